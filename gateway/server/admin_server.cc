#include "gateway/server/admin_server.h"

#include <utility>

#include "net/http/url.h"

namespace gateway {

absl::StatusOr<std::unique_ptr<net::http::HttpServer>> StartAdminServer(
    const std::string& listen_address, const metrics::Registry* registry,
    std::function<void()> before_scrape, int max_connections) {
  net::http::ServerOptions options;
  auto address = net::http::ParseListenAddress(listen_address);
  if (!address.ok()) {
    return absl::InvalidArgumentError("server.admin_listen_address must be host:port");
  }
  options.address = address->host;
  options.port = address->port;
  options.tls = false;
  options.threads = 1;
  options.body_limit = 4096;  // nothing here takes a body
  options.max_connections = max_connections;
  return net::http::HttpServer::Start(
      options, [registry, before_scrape = std::move(before_scrape)](
                   const net::http::ServerRequest& request, net::http::Responder responder) {
        if (request.path != "/metrics") {
          return responder.Send(net::http::ServerReply::Json(404, R"({"error":"not found"})"));
        }
        if (request.method != "GET") {
          return responder.Send(net::http::ServerReply::Json(405, R"({"error":"GET only"})"));
        }
        if (before_scrape) before_scrape();
        net::http::ServerReply reply;
        reply.status = 200;
        reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
        reply.body = registry->RenderText();
        responder.Send(std::move(reply));
      });
}

}  // namespace gateway
