// Transport settings that would put secrets on the network in the clear (docs/deploy.md):
// caller tokens on a gRPC port without TLS, and a PostgreSQL URL (with its password) to a
// server off the host without TLS. Each needs an explicit allow in the configuration.
#ifndef GATEWAY_CONFIG_TRANSPORT_CHECKS_H_
#define GATEWAY_CONFIG_TRANSPORT_CHECKS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gateway/config/config.h"

namespace gateway {

// True for addresses that stay on this host: localhost, 127.0.0.0/8, ::1, Unix sockets.
bool IsLocalHost(absl::string_view host);

// INVALID_ARGUMENT naming the setting to change; never shows the store URL.
absl::Status CheckTransport(const GatewayConfig& config);

}  // namespace gateway

#endif  // GATEWAY_CONFIG_TRANSPORT_CHECKS_H_
