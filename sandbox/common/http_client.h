// A blocking HTTP/1.1 client for http:// and https:// URLs (Boost.Beast over Asio), one
// connection per call, with an overall timeout. HTTPS always verifies the peer certificate
// and host name against the given CA (PEM text or file) or, without one, the system store.
// The webhook sender uses it to reach receivers, and the tests use it to reach the sandbox.
#ifndef SANDBOX_COMMON_HTTP_CLIENT_H_
#define SANDBOX_COMMON_HTTP_CLIENT_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"

namespace sandbox {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct ParsedUrl {
  bool tls = false;
  std::string host;
  std::string port;    // "443" / "80" when the URL names none
  std::string target;  // path and query, "/" at least
};

// http(s)://host[:port][/path][?query]; IPv6 literals in brackets. nullopt otherwise.
absl::optional<ParsedUrl> ParseUrl(absl::string_view url);

struct HttpClientOptions {
  std::string ca_pem;                          // trusted CA certificates (PEM); or
  std::string ca_file;                         // a PEM file of them; neither: the system store
  absl::Duration timeout = absl::Seconds(10);  // for the whole exchange
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  // "" when absent; present-but-empty is told apart by HasHeader.
  std::string Header(const std::string& lower_case_name) const;
  bool HasHeader(const std::string& lower_case_name) const;
};

// Any status code is a response; errors are for transport failures (connect, TLS, timeout).
absl::StatusOr<HttpResponse> HttpFetch(const HttpClientOptions& options, absl::string_view method,
                                       absl::string_view url, const HeaderList& headers,
                                       const std::string& body);

}  // namespace sandbox

#endif  // SANDBOX_COMMON_HTTP_CLIENT_H_
