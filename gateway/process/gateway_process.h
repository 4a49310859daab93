// The whole gateway built from its configuration, as one object: the store and its executor,
// the providers (gateway/wiring, with the metrics decorator production uses), the payout engine
// and core, the event tailer, the resolver, the webhook listener and its start-up steps,
// credential reload, the admin (metrics) port and the gRPC server. gateway/main.cc runs one;
// tests/e2e runs the very same object in-process.
//
// Start logs what the binary logs (webhooks_listening, admin_listening, serving); on failure
// it logs nothing and returns a status DescribeStartFailure turns into the event and exit code.
#ifndef GATEWAY_PROCESS_GATEWAY_PROCESS_H_
#define GATEWAY_PROCESS_GATEWAY_PROCESS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/config/config.h"
#include "gateway/core/gateway_core.h"
#include "gateway/core/payout_engine.h"
#include "gateway/core/payout_event_tailer.h"
#include "gateway/core/payout_events.h"
#include "gateway/core/periodic_resolver.h"
#include "gateway/policy/policy_book.h"
#include "gateway/process/server_security.h"
#include "gateway/process/start_failure.h"
#include "gateway/process/startup_steps.h"
#include "gateway/reconciliation/reconciliation_runner.h"
#include "gateway/reconciliation/reconciliation_schedule.h"
#include "gateway/server/gateway_server.h"
#include "gateway/validation/bank_catalog.h"
#include "gateway/webhooks/webhook_service.h"
#include "gateway/wiring/credential_watcher.h"
#include "gateway/wiring/provider_factory.h"
#include "idempotency/gateway_store.h"
#include "idempotency/store_executor.h"
#include "net/http/http_server.h"

namespace gateway {

class GatewayProcess {
 public:
  // Builds and starts everything `config` describes, in the binary's order; serving once it
  // returns. Not OK (see start_failure.h) when a step fails; what was started is stopped.
  static absl::StatusOr<std::unique_ptr<GatewayProcess>> Start(GatewayConfig config);

  ~GatewayProcess();  // Shutdown()
  GatewayProcess(const GatewayProcess&) = delete;
  GatewayProcess& operator=(const GatewayProcess&) = delete;

  // The orderly stop: the gRPC port reports NOT_SERVING for server.drain_delay, then refuses new
  // calls and gives in-flight ones server.shutdown_grace; then the webhook listener, the admin
  // port, the resolver, the reconciliation schedule, the tailer and credential reload stop; then
  // the provider clients (no reply arrives after this) and last the store executor drains. Safe to
  // call more than once.
  void Shutdown();

  // Bound ports: gRPC; webhooks and admin (0 when not configured).
  int port() const { return server_->port(); }
  int webhook_port() const { return webhooks_ == nullptr ? 0 : webhooks_->port(); }
  int admin_port() const { return admin_ == nullptr ? 0 : admin_->port(); }

  // Waits for the start-up steps begun but not awaited by Start (Monato's webhook
  // registration); see StartupSteps::WaitAll.
  absl::Status WaitForStartupSteps(absl::Duration timeout) const {
    return startup_steps_.WaitAll(timeout);
  }

  const GatewayConfig& config() const { return config_; }
  BuiltProviders& providers() { return *providers_; }
  PayoutEngine& engine() { return *engine_; }
  GatewayCore& core() { return *core_; }
  idempotency::StoreExecutor& store() { return *executor_; }
  WebhookService* webhooks() { return webhooks_.get(); }  // null when not configured
  ReconciliationRunner& reconciliation() { return *reconciliation_; }
  CredentialWatcher& credential_watcher() { return credential_watcher_; }
  const PolicyBook* policies() const { return policies_.get(); }  // null: open

 private:
  explicit GatewayProcess(GatewayConfig config);
  // The steps of Start, each a StartStepFailed status on failure.
  absl::Status StartCore();
  absl::Status StartInbound();

  const GatewayConfig config_;
  BankCatalog banks_ = BankCatalog::Builtin();
  std::unique_ptr<BuiltProviders> providers_;
  std::unique_ptr<idempotency::GatewayStore> store_;
  std::unique_ptr<idempotency::StoreExecutor> executor_;
  // The caller policies (server.policies_file); null with no file: the gateway is open.
  std::unique_ptr<PolicyBook> policies_;
  PayoutEventHub events_;
  std::unique_ptr<PayoutEngine> engine_;
  std::unique_ptr<GatewayCore> core_;
  std::unique_ptr<PayoutEventTailer> tailer_;
  std::unique_ptr<PeriodicResolver> resolver_;
  // Reconciliation on demand (the RPC) and, with reconciliation.interval, on a schedule.
  std::unique_ptr<ReconciliationRunner> reconciliation_;
  std::unique_ptr<ReconciliationSchedule> reconciliation_schedule_;  // null: not scheduled
  StartupSteps startup_steps_;
  std::unique_ptr<WebhookService> webhooks_;
  ServerSecurity security_;
  CredentialWatcher credential_watcher_;
  std::unique_ptr<net::http::HttpServer> admin_;
  std::unique_ptr<GatewayServer> server_;
  bool shut_down_ = false;
};

}  // namespace gateway

#endif  // GATEWAY_PROCESS_GATEWAY_PROCESS_H_
