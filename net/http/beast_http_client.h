// The real HttpClient: Boost.Beast over Asio and OpenSSL, following Beast's async client
// examples minus their shortcuts: TLS 1.2+ with certificate and host-name verification always
// on (system CA store, or a CA bundle file for the sandbox and private CAs), SNI, a bounded
// pool of kept-alive connections per origin, a deadline on every request, and retries with
// backoff and jitter only for requests that are safe to repeat.
#ifndef NET_HTTP_BEAST_HTTP_CLIENT_H_
#define NET_HTTP_BEAST_HTTP_CLIENT_H_

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "net/http/connection_pool.h"
#include "net/http/http_client.h"
#include "net/http/retry_policy.h"

namespace net::http {

struct BeastHttpClientOptions {
  int max_connections_per_origin = 8;
  // Applied to every request, on top of (never beyond) the request's own deadline.
  absl::Duration request_timeout = absl::Seconds(10);
  // Kept-alive connections idle longer than this are closed instead of reused.
  absl::Duration idle_timeout = absl::Seconds(30);
  size_t max_response_bytes = 1 << 20;
  // PEM bundle of CAs to trust; empty: the system store.
  std::string ca_file;
  // http:// URLs are refused unless this is set (webhook-style local targets only).
  bool allow_plain_http = false;
  RetryOptions retry;
  int io_threads = 1;
};

class BeastHttpClient final : public HttpClient {
 public:
  // INVALID_ARGUMENT when the CA file cannot be loaded.
  static absl::StatusOr<std::unique_ptr<BeastHttpClient>> Create(BeastHttpClientOptions options);
  ~BeastHttpClient() override;  // Shutdown()

  // Stops the I/O threads: unfinished requests are dropped (their callbacks never run), and
  // every later Send answers UNAVAILABLE at once without sending. The object stays valid, so
  // adapters that still hold it during a process's shutdown fail cleanly instead of touching
  // freed memory.
  void Shutdown();

  void Send(HttpRequest request, ResponseCallback done) override;
  HttpClientStats stats() const override;

  // Open and idle connections of one origin ("https://host:port"); zeros when unknown.
  std::pair<int, int> PoolSizes(const std::string& origin) const;

 private:
  class Call;
  explicit BeastHttpClient(BeastHttpClientOptions options);
  ConnectionPool* PoolFor(const Url& url);

  const BeastHttpClientOptions options_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::ssl::context tls_;
  Backoff backoff_;
  PoolCounters pool_counters_;
  std::atomic<int64_t> requests_{0}, attempts_{0}, retries_{0}, timeouts_{0}, failures_{0};
  mutable absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<ConnectionPool>> pools_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_;
  std::atomic<bool> shut_down_{false};
};

}  // namespace net::http

#endif  // NET_HTTP_BEAST_HTTP_CLIENT_H_
