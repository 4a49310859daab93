#include "sandbox/http/http_server.h"
#include "vocabulary/status_macros.h"

#include <utility>

namespace sandbox {

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(ServerOptions options,
                                                              Handler handler) {
  auto faults = std::make_shared<FaultInjector>(options.control_endpoints);
  net::http::ServerOptions server_options = std::move(options);
  server_options.request_filter = [faults](const ServerRequest& request) {
    return faults->Decide(request);
  };
  ASSIGN_OR_RETURN(std::unique_ptr<net::http::HttpServer> server,
                   net::http::HttpServer::Start(std::move(server_options), std::move(handler)));
  faults->set_server(server.get());
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(faults), std::move(server)));
}

}  // namespace sandbox
