#include "gateway/server/gateway_server.h"

#include <algorithm>
#include <vector>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/logging/json_log.h"
#include "gateway/server/rpc_logging.h"

namespace gateway {

GatewayServer::GatewayServer(GatewayCore* core, const CallerAuthenticator* auth,
                             ReconciliationRunner* reconciliation)
    : core_(core),
      payout_service_(core, auth),
      account_service_(core, auth),
      limits_service_(core, auth),
      reconciliation_service_(core, reconciliation, auth) {}

GatewayServer::~GatewayServer() { Shutdown(absl::ZeroDuration(), absl::ZeroDuration()); }

absl::StatusOr<std::unique_ptr<GatewayServer>> GatewayServer::Start(
    const std::string& listen_address, GatewayCore* core, const CallerAuthenticator* auth,
    const ServerTls* tls, ReconciliationRunner* reconciliation) {
  // Both are process-wide switches that must be set before a builder is created.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<GatewayServer> server(new GatewayServer(core, auth, reconciliation));
  grpc::ServerBuilder builder;
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (tls != nullptr) {
    grpc::SslServerCredentialsOptions options(
        tls->client_ca_pem.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                   : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    options.pem_root_certs = tls->client_ca_pem;
    options.pem_key_cert_pairs.push_back({tls->private_key_pem, tls->cert_chain_pem});
    credentials = grpc::SslServerCredentials(options);
  }
  builder.AddListeningPort(listen_address, credentials, &server->port_);
  builder.RegisterService(&server->payout_service_);
  builder.RegisterService(&server->account_service_);
  builder.RegisterService(&server->limits_service_);
  builder.RegisterService(&server->reconciliation_service_);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(std::make_unique<RpcLoggingInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(creators));
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", listen_address));
  }
  auto* health = server->server_->GetHealthCheckService();
  health->SetServingStatus(true);
  for (const char* name : {kReadinessService, kLivenessService}) {
    health->SetServingStatus(name, true);
  }
  return server;
}

void GatewayServer::Shutdown(absl::Duration drain_delay, absl::Duration grace) {
  if (stopped_ || server_ == nullptr) return;
  stopped_ = true;
  const absl::Time deadline = absl::Now() + std::max(grace, drain_delay);
  // Not ready (overall, the API services and "readiness") but alive: a liveness probe must not
  // restart a pod that is draining.
  auto* health = server_->GetHealthCheckService();
  for (const char* name :
       {"", kReadinessService, "payments.v1.PayoutService", "payments.v1.AccountService",
        "payments.v1.LimitsService", "payments.v1.ReconciliationService"}) {
    health->SetServingStatus(name, false);
  }
  Log(LogLevel::kInfo, "shutdown_started",
      {{"drain_delay_ms", absl::ToInt64Milliseconds(drain_delay)},
       {"grace_ms", absl::ToInt64Milliseconds(grace)}});
  absl::SleepFor(drain_delay);
  // Streams end now with UNAVAILABLE so watchers reconnect elsewhere with their cursor.
  core_->events().Close();
  server_->Shutdown(absl::ToChronoTime(deadline));
  server_->Wait();
  Log(LogLevel::kInfo, "shutdown_complete");
}

}  // namespace gateway
