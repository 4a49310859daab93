// A small asynchronous HTTP(S)/1.1 server (Boost.Beast over Asio) with keep-alive and replies
// that may come later from any thread: the gateway's webhook listener and the provider
// sandbox both run on it. Modeled on Beast's advanced_server_flex example.
//
// For the sandbox and tests it can inject faults (FaultPlan, set in code). Only with
// ServerOptions::control_endpoints does it also answer, before any fault or handler,
//   GET  /_sandbox/stats   {"connections":N,"requests":N}
//   POST /_sandbox/faults  a FaultPlan as JSON (see below); GET returns the current plan
// which must never be reachable on a production port.
#ifndef PROVIDERS_HTTP_HTTP_SERVER_H_
#define PROVIDERS_HTTP_HTTP_SERVER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace providers::http {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // as sent: "/v2/transfers?limit=2"
  std::string path;                            // "/v2/transfers"
  std::string query;                           // "limit=2"
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  // "" when absent.
  std::string Header(const std::string& lower_case_name) const;
  // The (URL-decoded) value of a query parameter; "" when absent.
  std::string QueryParam(const std::string& name) const;
};

struct Reply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type = "application/json";

  static Reply Json(int status, std::string body) {
    Reply reply;
    reply.status = status;
    reply.body = std::move(body);
    return reply;
  }
};

// Answers one request. Copyable; the first Send or Drop wins, later ones do nothing.
// May be used from any thread, at any later time.
class Responder {
 public:
  struct Target {
    virtual ~Target() = default;
    virtual void Deliver(Reply reply) = 0;
    virtual void Close() = 0;
  };
  explicit Responder(std::shared_ptr<Target> target) : state_(std::make_shared<State>()) {
    state_->target = std::move(target);
  }
  void Send(Reply reply) const;
  // Closes the connection without replying, as a crashed or cut-off server would.
  void Drop() const;

 private:
  struct State {
    std::atomic<bool> used{false};
    std::shared_ptr<Target> target;
  };
  std::shared_ptr<State> state_;
};

using Handler = std::function<void(const Request&, Responder)>;

// Faults apply to requests whose path starts with path_prefix ("" = every request).
struct FaultPlan {
  std::string path_prefix;
  int latency_ms = 0;  // added before every matching reply
  int fail_next = 0;   // next N matching requests get fail_status; the handler never runs
  int fail_status = 503;
  int retry_after_s = -1;          // with fail_next: a Retry-After header, when >= 0
  int drop_before_next = 0;        // next N: the connection closes before the handler runs
  int drop_after_next = 0;         // next N: the handler runs (the operation happens), then the
                                   // connection closes instead of the reply
  int close_after_reply_next = 0;  // next N: a normal keep-alive reply, then the server closes
                                   // the connection, as an idle timeout would
};

struct ServerOptions {
  std::string address = "127.0.0.1";
  int port = 0;  // 0: any free port
  bool tls = true;
  std::string cert_pem;  // server certificate chain (tls)
  std::string key_pem;   // its private key (tls)
  int threads = 1;
  size_t body_limit = 1 << 20;
  // Connections open at once; one more is closed as soon as it is accepted (0: no cap).
  int max_connections = 1024;
  // Slowloris bounds: a request's header must arrive within header_timeout of its first byte,
  // its body within body_timeout of the header (a reply must be taken as fast), and a connection
  // may wait idle_timeout for a request's first byte (a new one, or the next on keep-alive).
  absl::Duration header_timeout = absl::Seconds(10);
  absl::Duration body_timeout = absl::Seconds(30);
  absl::Duration idle_timeout = absl::Seconds(60);  // above clients' pool idle time (30 s)
  // Answer /_sandbox/stats and /_sandbox/faults over HTTP (sandbox only).
  bool control_endpoints = false;
  std::string server_name = "payouts-gateway";  // the Server header
  // Called with the status when the server itself refuses a request before any handler
  // (400 unparseable, 413 body too large, 431 headers too large), so callers can count them.
  std::function<void(int status)> on_refused;
};

class HttpsServer {
 public:
  static absl::StatusOr<std::unique_ptr<HttpsServer>> Start(ServerOptions options, Handler handler);
  ~HttpsServer();

  int port() const { return port_; }
  void Stop();

  void SetFaults(FaultPlan plan);
  FaultPlan faults() const;

  int64_t connections_accepted() const { return connections_.load(); }
  // Connections closed at once because max_connections were open.
  int64_t connections_refused() const { return refused_connections_.load(); }
  int64_t requests_served() const { return requests_.load(); }

  // For handlers that schedule work (timers) on the server's threads.
  boost::asio::io_context& io_context() { return *io_context_; }

  // What the fault plan says about one request; consumes one count of a "next N" fault.
  enum class FaultAction { kNone, kFail, kDropBefore, kDropAfter, kCloseAfterReply };
  FaultAction TakeFault(const std::string& path, int* latency_ms, int* fail_status,
                        int* retry_after_s);
  // Handles /_sandbox/* requests; false when `request` is not one.
  bool HandleControl(const Request& request, Responder responder);

  const Handler& handler() const { return handler_; }
  size_t body_limit() const { return options_.body_limit; }
  const std::string& server_name() const { return options_.server_name; }
  const ServerOptions& options() const { return options_; }
  void CountConnection() { ++connections_; }
  void CountRefusedConnection() { ++refused_connections_; }
  void Refused(int status) {
    if (options_.on_refused) options_.on_refused(status);
  }
  void CountRequest() { ++requests_; }

 private:
  HttpsServer(ServerOptions options, Handler handler);
  absl::Status Listen();

  ServerOptions options_;
  Handler handler_;
  std::unique_ptr<boost::asio::io_context> io_context_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<std::thread> threads_;
  int port_ = 0;
  std::atomic<int64_t> connections_{0};
  std::atomic<int64_t> refused_connections_{0};
  std::atomic<int64_t> requests_{0};
  mutable absl::Mutex mu_;
  FaultPlan faults_ ABSL_GUARDED_BY(mu_);
  bool stopped_ = false;
};

}  // namespace providers::http

#endif  // PROVIDERS_HTTP_HTTP_SERVER_H_
