#include "bench/sandbox_control.h"

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "net/http/beast_http_client.h"
#include "vocabulary/status_macros.h"

namespace bench {

absl::StatusOr<std::string> SandboxControl(const std::string& base_url, const std::string& ca_file,
                                           const std::string& method, const std::string& path,
                                           const std::string& body) {
  net::http::BeastHttpClientOptions options;
  options.ca_file = ca_file;
  ASSIGN_OR_RETURN(auto client, net::http::BeastHttpClient::Create(options));
  net::http::HttpRequest request;
  request.method = method;
  request.url = absl::StrCat(base_url, path);
  request.body = body;
  if (!body.empty()) request.headers = {{"Content-Type", "application/json"}};
  request.deadline = absl::Now() + absl::Seconds(10);
  ASSIGN_OR_RETURN(auto reply, net::http::SendAndWait(*client, std::move(request)));
  if (reply.status < 200 || reply.status >= 300) {
    return absl::FailedPreconditionError(
        absl::StrCat(method, " ", path, " answered HTTP ", reply.status, ": ", reply.body));
  }
  return reply.body;
}

absl::StatusOr<int64_t> JsonInteger(const std::string& json, const std::string& field) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return absl::InvalidArgumentError("not a JSON object");
  const boost::json::value* found = value.as_object().if_contains(field);
  if (found == nullptr || !found->is_int64()) {
    return absl::NotFoundError(absl::StrCat("no integer field ", field));
  }
  return found->as_int64();
}

}  // namespace bench
