// Who may call the gRPC port and over what: caller tokens (server.callers) and the port's TLS
// (server.tls_*), read from their files. With a client CA but no caller tokens, the client
// certificate's common name is the caller (mutual TLS).
#ifndef GATEWAY_PROCESS_SERVER_SECURITY_H_
#define GATEWAY_PROCESS_SERVER_SECURITY_H_

#include <memory>

#include "absl/status/statusor.h"
#include "gateway/config/config.h"
#include "gateway/server/caller_auth.h"
#include "gateway/server/gateway_server.h"

namespace gateway {

struct ServerSecurity {
  std::unique_ptr<CallerAuthenticator> auth;  // null: every call is the anonymous caller
  std::unique_ptr<ServerTls> tls;             // null: plaintext
};

// INVALID_ARGUMENT / FAILED_PRECONDITION naming the setting when a file cannot be read or parsed.
absl::StatusOr<ServerSecurity> LoadServerSecurity(const GatewayConfig& config);

}  // namespace gateway

#endif  // GATEWAY_PROCESS_SERVER_SECURITY_H_
