// The sandbox's HTTP(S) server: the shared server (net/http/http_server.h) with the sandbox's
// fault injection (sandbox/http/fault_injection.h) installed as its request filter, and, when
// asked for, the /_sandbox/stats and /_sandbox/faults control endpoints.
#ifndef SANDBOX_HTTP_HTTP_SERVER_H_
#define SANDBOX_HTTP_HTTP_SERVER_H_

#include <cstdint>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "absl/status/statusor.h"
#include "net/http/http_server.h"
#include "sandbox/http/fault_injection.h"

namespace sandbox {

using net::http::Handler;
using net::http::Responder;
using net::http::ServerReply;
using net::http::ServerRequest;

struct ServerOptions : net::http::ServerOptions {
  // Answer /_sandbox/stats and /_sandbox/faults over HTTP (never on a production port).
  bool control_endpoints = false;
};

class HttpServer {
 public:
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(ServerOptions options, Handler handler);
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(net::http::ServerOptions options,
                                                           Handler handler) {
    ServerOptions sandbox_options;
    static_cast<net::http::ServerOptions&>(sandbox_options) = std::move(options);
    return Start(std::move(sandbox_options), std::move(handler));
  }

  int port() const { return server_->port(); }
  void Stop() { server_->Stop(); }

  void SetFaults(FaultPlan plan) { faults_->SetFaults(std::move(plan)); }
  FaultPlan faults() const { return faults_->faults(); }

  int64_t connections_accepted() const { return server_->connections_accepted(); }
  int64_t connections_refused() const { return server_->connections_refused(); }
  int64_t requests_served() const { return server_->requests_served(); }
  boost::asio::io_context& io_context() { return server_->io_context(); }

 private:
  HttpServer(std::shared_ptr<FaultInjector> faults, std::unique_ptr<net::http::HttpServer> server)
      : faults_(std::move(faults)), server_(std::move(server)) {}

  std::shared_ptr<FaultInjector> faults_;  // shared with the server's request filter
  std::unique_ptr<net::http::HttpServer> server_;
};

}  // namespace sandbox

#endif  // SANDBOX_HTTP_HTTP_SERVER_H_
