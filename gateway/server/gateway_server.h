// The gRPC server: PayoutService, AccountService, LimitsService, ReconciliationService,
// grpc.health.v1 and server reflection on one address, and an orderly shutdown: NOT_SERVING first,
// then in-flight calls finish, then stop.
#ifndef GATEWAY_SERVER_GATEWAY_SERVER_H_
#define GATEWAY_SERVER_GATEWAY_SERVER_H_

#include <memory>
#include <string>

#include <grpcpp/server.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/core/gateway_core.h"
#include "gateway/server/account_service.h"
#include "gateway/server/limits_service.h"
#include "gateway/server/payout_service.h"
#include "gateway/server/reconciliation_service.h"

namespace gateway {

// grpc.health.v1 names for Kubernetes' native gRPC probes. On shutdown "readiness" (and the
// overall "") go NOT_SERVING at once; "liveness" stays SERVING until the process exits.
inline constexpr char kReadinessService[] = "readiness";
inline constexpr char kLivenessService[] = "liveness";

// TLS for the gRPC port, PEM text. With client_ca_pem, every connection must present a client
// certificate that CA signed (mutual TLS).
struct ServerTls {
  std::string cert_chain_pem;
  std::string private_key_pem;
  std::string client_ca_pem;
};

class GatewayServer {
 public:
  // Starts serving on `listen_address` ("host:port"; port 0 picks a free one). `core` must
  // outlive the server.
  // `auth` (may be null: no caller authentication) must outlive the server, and so must
  // `reconciliation` (may be null: ReconciliationService answers UNIMPLEMENTED).
  static absl::StatusOr<std::unique_ptr<GatewayServer>> Start(
      const std::string& listen_address, GatewayCore* core,
      const CallerAuthenticator* auth = nullptr, const ServerTls* tls = nullptr,
      ReconciliationRunner* reconciliation = nullptr);
  ~GatewayServer();

  // The port actually bound.
  int port() const { return port_; }

  // Health goes NOT_SERVING at once while calls are still accepted for `drain_delay` (so load
  // balancers and Kubernetes stop sending new ones); then new calls are refused and in-flight
  // ones get until `grace` (counted from now) to finish before they are cancelled. Blocks until
  // the server has stopped. Safe to call more than once.
  void Shutdown(absl::Duration drain_delay, absl::Duration grace);

 private:
  GatewayServer(GatewayCore* core, const CallerAuthenticator* auth,
                ReconciliationRunner* reconciliation);

  GatewayCore* core_;
  PayoutService payout_service_;
  AccountService account_service_;
  LimitsService limits_service_;
  ReconciliationService reconciliation_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool stopped_ = false;
};

}  // namespace gateway

#endif  // GATEWAY_SERVER_GATEWAY_SERVER_H_
