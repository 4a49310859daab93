// Requests and responses of the shared provider HTTP client.
#ifndef NET_HTTP_HTTP_TYPES_H_
#define NET_HTTP_HTTP_TYPES_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "vocabulary/outcome_unknown.h"  // RequestMayHaveBeenSent, MarkRequestSent

namespace net::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  // "https://host[:port]/path?query" ("http://" only where configuration allows it).
  std::string url;
  Headers headers;
  // Sent byte for byte: whoever signs the body signs exactly these bytes.
  std::string body;
  // When the caller stops waiting; the client also applies its own per-request timeout.
  absl::Time deadline = absl::InfiniteFuture();
  // May this request be sent twice? True for reads, and for writes that carry an
  // idempotency key the provider honours. Only such requests are ever retried.
  bool safe_to_retry = false;
  // Runs before every attempt, the first included, and may rewrite the request (e.g. a fresh
  // single-use Fintoc JWS signature over `body`). A non-OK status ends the request with it.
  std::function<absl::Status(HttpRequest&)> prepare_attempt;
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // names in lower case
  std::string body;
  int attempts = 0;  // how many attempts it took

  // The first value of a header (name in any case), "" when absent.
  std::string Header(absl::string_view name) const;
};

}  // namespace net::http

#endif  // NET_HTTP_HTTP_TYPES_H_
