#include "sandbox/testing/test_client.h"

#include <utility>

namespace sandbox {

TestClient::TestClient(std::string base_url, std::string ca_pem) : base_url_(std::move(base_url)) {
  options_.ca_pem = std::move(ca_pem);
  options_.timeout = absl::Seconds(10);
}

HttpResponse TestClient::Get(const std::string& path, const HeaderList& headers) const {
  return Fetch("GET", path, "", headers);
}

HttpResponse TestClient::Post(const std::string& path, const std::string& body,
                              const HeaderList& headers) const {
  return Fetch("POST", path, body, headers);
}

HttpResponse TestClient::Fetch(const std::string& method, const std::string& url_or_path,
                               const std::string& body, const HeaderList& headers) const {
  const std::string url = url_or_path.rfind("http", 0) == 0 ? url_or_path : base_url_ + url_or_path;
  absl::StatusOr<HttpResponse> response = HttpFetch(options_, method, url, headers, body);
  if (response.ok()) return *std::move(response);
  HttpResponse failed;
  failed.status = 0;
  failed.body = std::string(response.status().message());
  return failed;
}

boost::json::value JsonBody(const HttpResponse& response) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(response.body, ec);
  return ec ? boost::json::value() : value;
}

std::string JsonStr(const boost::json::value& value, const char* key) {
  const auto* object = value.if_object();
  if (object == nullptr) return "";
  const auto* member = object->if_contains(key);
  if (member == nullptr || !member->is_string()) return "";
  return std::string(member->as_string());
}

boost::json::value JsonAt(const boost::json::value& value, const char* pointer) {
  boost::system::error_code ec;
  const boost::json::value* found = value.find_pointer(pointer, ec);
  return found == nullptr ? boost::json::value() : *found;
}

std::string JsonStrAt(const boost::json::value& value, const char* pointer) {
  const boost::json::value found = JsonAt(value, pointer);
  return found.is_string() ? std::string(found.as_string()) : "";
}

}  // namespace sandbox
