// The admin port: plain HTTP, GET /metrics in the Prometheus text format. Kept off the gRPC
// and webhook ports so it can stay inside the cluster (scraped by Prometheus, never exposed).
#ifndef GATEWAY_SERVER_ADMIN_SERVER_H_
#define GATEWAY_SERVER_ADMIN_SERVER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "metrics/registry.h"
#include "net/http/http_server.h"

namespace gateway {

// Listens on `listen_address` ("host:port", port 0: any free port). `before_scrape` runs
// before each render (to refresh gauges read from elsewhere); may be empty. At most
// `max_connections` are open at once, and a request must arrive within the listener's default
// header and body limits (net/http/http_server.h).
absl::StatusOr<std::unique_ptr<net::http::HttpServer>> StartAdminServer(
    const std::string& listen_address, const metrics::Registry* registry,
    std::function<void()> before_scrape, int max_connections = 32);

}  // namespace gateway

#endif  // GATEWAY_SERVER_ADMIN_SERVER_H_
