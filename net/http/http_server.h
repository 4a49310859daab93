// A small asynchronous HTTP(S)/1.1 server (Boost.Beast over Asio) with keep-alive and replies
// that may come later from any thread: the gateway's webhook listener, its admin port and the
// provider sandbox all run on it. Modeled on Beast's advanced_server_flex example.
//
// It carries no fault injection: the sandbox adds that (sandbox/http/) through
// ServerOptions::request_filter, which production servers leave empty.
#ifndef NET_HTTP_HTTP_SERVER_H_
#define NET_HTTP_HTTP_SERVER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace net::http {

struct ServerRequest {
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

struct ServerReply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type = "application/json";

  static ServerReply Json(int status, std::string body) {
    ServerReply reply;
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
    virtual void Deliver(ServerReply reply) = 0;
    virtual void Close() = 0;
  };
  explicit Responder(std::shared_ptr<Target> target) : state_(std::make_shared<State>()) {
    state_->target = std::move(target);
  }
  void Send(ServerReply reply) const;
  // Closes the connection without replying, as a crashed or cut-off server would.
  void Drop() const;

 private:
  struct State {
    std::atomic<bool> used{false};
    std::shared_ptr<Target> target;
  };
  std::shared_ptr<State> state_;
};

using Handler = std::function<void(const ServerRequest&, Responder)>;

// What a request filter decides for one request, before the handler runs.
struct FilterDecision {
  std::optional<ServerReply> reply;    // answer with this; the handler does not run
  bool drop_now = false;               // close the connection at once; the handler does not run
  int delay_ms = 0;                    // wait this long before writing the reply
  bool drop_instead_of_reply = false;  // the handler runs, then the connection closes unanswered
  bool close_after_reply = false;      // reply (promising keep-alive), then close the connection
};
// Sees every request before the handler, on the connection's thread; must not block.
using RequestFilter = std::function<FilterDecision(const ServerRequest&)>;

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
  // Empty in production; the sandbox's fault injection and control endpoints (sandbox/http/).
  RequestFilter request_filter;
  std::string server_name = "payouts-gateway";  // the Server header
  // Called with the status when the server itself refuses a request before any handler
  // (400 unparseable, 413 body too large, 431 headers too large), so callers can count them.
  std::function<void(int status)> on_refused;
};

class HttpServer {
 public:
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(ServerOptions options, Handler handler);
  ~HttpServer();

  int port() const { return port_; }
  void Stop();

  int64_t connections_accepted() const { return connections_.load(); }
  // Connections closed at once because max_connections were open.
  int64_t connections_refused() const { return refused_connections_.load(); }
  int64_t requests_served() const { return requests_.load(); }

  // For handlers that schedule work (timers) on the server's threads.
  boost::asio::io_context& io_context() { return *io_context_; }

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
  HttpServer(ServerOptions options, Handler handler);
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
  bool stopped_ = false;
};

}  // namespace net::http

#endif  // NET_HTTP_HTTP_SERVER_H_
