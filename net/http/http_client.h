// The one HTTP client every provider adapter uses (Envoy-style small interface: the real
// implementation is BeastHttpClient; tests of an adapter use testing/FakeHttpClient).
#ifndef NET_HTTP_HTTP_CLIENT_H_
#define NET_HTTP_HTTP_CLIENT_H_

#include <cstdint>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "net/http/http_types.h"

namespace net::http {

// Counters a benchmark or the metrics endpoint can read.
struct HttpClientStats {
  int64_t requests = 0;            // Send calls
  int64_t attempts = 0;            // requests put on a connection (first tries and retries)
  int64_t connections_opened = 0;  // TCP connects (+ TLS handshakes for https)
  int64_t connection_reuses = 0;   // attempts that used a kept-alive connection
  int64_t stale_connections = 0;   // idle connections found closed by the server
  int64_t retries = 0;             // attempts after the first
  int64_t timeouts = 0;            // requests that ended DEADLINE_EXCEEDED
  int64_t failures = 0;            // requests that ended with any other error
};

using ResponseCallback = absl::AnyInvocable<void(absl::StatusOr<HttpResponse>)>;

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // Sends `request` and calls `done` exactly once, on a client thread, with the response
  // (any HTTP status: 4xx and 5xx are responses, not errors) or an error status:
  //   UNAVAILABLE        could not connect / TLS failed / connection lost
  //   DEADLINE_EXCEEDED  the deadline passed
  //   DATA_LOSS          the response was malformed or larger than the configured cap
  // Errors carry RequestMayHaveBeenSent() when the request may have reached the server.
  // Never blocks.
  virtual void Send(HttpRequest request, ResponseCallback done) = 0;

  virtual HttpClientStats stats() const = 0;
};

// Send, then block the calling thread until the answer. For tests, benchmarks and tools
// only: never call it on a gateway thread (nothing there may wait on a provider).
absl::StatusOr<HttpResponse> SendAndWait(HttpClient& client, HttpRequest request);

}  // namespace net::http

#endif  // NET_HTTP_HTTP_CLIENT_H_
