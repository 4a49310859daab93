// A small blocking HTTPS client for the simulator tests: one base URL, the sandbox CA as the
// only trusted root (so the tests also prove the certificate verifies), JSON helpers.
#ifndef SANDBOX_TESTING_TEST_CLIENT_H_
#define SANDBOX_TESTING_TEST_CLIENT_H_

#include <string>

#include <boost/json.hpp>

#include "sandbox/common/http_client.h"

namespace sandbox {

class TestClient {
 public:
  // base_url like "https://127.0.0.1:4443"; ca_pem the sandbox CA ("" for plain http).
  TestClient(std::string base_url, std::string ca_pem);

  // Transport failures become status 0 with the error text as the body, so a test sees them
  // in its assertion message instead of crashing.
  HttpResponse Get(const std::string& path, const HeaderList& headers = {}) const;
  HttpResponse Post(const std::string& path, const std::string& body,
                    const HeaderList& headers = {}) const;
  HttpResponse Fetch(const std::string& method, const std::string& url_or_path,
                     const std::string& body, const HeaderList& headers) const;

  const std::string& base_url() const { return base_url_; }

 private:
  std::string base_url_;
  HttpClientOptions options_;
};

// The body as JSON; a null value when it is not JSON (so assertions fail, not crash).
boost::json::value JsonBody(const HttpResponse& response);
// Convenience for object members: "" when absent or not a string.
std::string JsonStr(const boost::json::value& value, const char* key);
// The value at a JSON pointer ("/details/0/reason"); null when absent.
boost::json::value JsonAt(const boost::json::value& value, const char* pointer);
// The string at a JSON pointer; "" when absent or not a string.
std::string JsonStrAt(const boost::json::value& value, const char* pointer);

}  // namespace sandbox

#endif  // SANDBOX_TESTING_TEST_CLIENT_H_
