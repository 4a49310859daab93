#include "gateway/process/gateway_process.h"

#include <string>
#include <utility>

#include <unistd.h>

#include <boost/json.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include "absl/strings/str_cat.h"
#include "gateway/logging/json_log.h"
#include "gateway/process/webhook_startup.h"
#include "gateway/reconciliation/reconciliation_metrics.h"
#include "gateway/server/admin_server.h"
#include "gateway/wiring/credential_reload.h"
#include "gateway/wiring/policy_file.h"
#include "gateway/wiring/store_factory.h"
#include "idempotency/instrumented_store.h"
#include "metrics/gateway_metrics.h"
#include "providers/provider_registry.h"
#include "vocabulary/status_macros.h"

namespace gateway {
namespace {

absl::Status AddExtraBanks(const GatewayConfig& config, BankCatalog& banks) {
  for (const auto& [code, name] : config.extra_banks) {
    if (absl::Status added = banks.Add(code, name); !added.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("validation.extra_banks: ", added.message()));
    }
  }
  return absl::OkStatus();
}

// This process, as the owner of its idempotency claims: host name and a random UUID.
std::string InstanceId() {
  char host[256] = "gateway";
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(host, "/", boost::uuids::to_string(boost::uuids::random_generator()()));
}

}  // namespace

GatewayProcess::GatewayProcess(GatewayConfig config) : config_(std::move(config)) {}

GatewayProcess::~GatewayProcess() { Shutdown(); }

absl::StatusOr<std::unique_ptr<GatewayProcess>> GatewayProcess::Start(GatewayConfig config) {
  std::unique_ptr<GatewayProcess> process(new GatewayProcess(std::move(config)));
  RETURN_IF_ERROR(process->StartCore());
  RETURN_IF_ERROR(process->StartInbound());
  return process;
}

// Providers, store, engine and the background work on them.
absl::Status GatewayProcess::StartCore() {
  if (absl::Status banks = AddExtraBanks(config_, banks_); !banks.ok()) {
    return StartStepFailed("config_invalid", banks);
  }
  // The caller policies first: a refused file stops the start before anything is opened.
  if (!config_.policies_file.empty()) {
    auto policies = LoadPolicyFile(config_.policies_file);
    if (!policies.ok()) return StartStepFailed("config_invalid", policies.status());
    policies_ = *std::move(policies);
  }
  auto built = BuildProviders(config_);
  if (!built.ok()) return StartStepFailed("providers_invalid", built.status());
  providers_ = *std::move(built);
  auto opened = OpenStore(config_.store_url);
  if (!opened.ok()) return StartStepFailed("store_unavailable", opened.status());
  // Every store call counted and timed (gateway_store_operations_total).
  store_ = std::make_unique<idempotency::InstrumentedStore>(
      std::move(opened->store), metrics::Metrics().store_operations,
      metrics::Metrics().store_operation_seconds);
  executor_ = std::make_unique<idempotency::StoreExecutor>(store_.get(), opened->threads);
  EngineOptions engine_options;
  engine_options.instance_id = InstanceId();
  engine_options.lease = config_.store_lease;
  engine_options.retention = config_.store_retention;
  engine_ = std::make_unique<PayoutEngine>(executor_.get(), &providers_->registry, &banks_,
                                           &events_, engine_options);
  core_ = std::make_unique<GatewayCore>(&providers_->registry, &banks_, &events_, engine_.get(),
                                        policies_.get());
  // WatchPayouts subscribers are fed from the store's event log: every replica sees every
  // replica's events, and cursors survive restarts.
  tailer_ = std::make_unique<PayoutEventTailer>(executor_.get(), &events_);
  tailer_->Start();
  resolver_ = std::make_unique<PeriodicResolver>(engine_.get(), executor_.get(),
                                                 config_.resolve_interval, config_.pending_recheck);
  resolver_->Start();
  RunnerOptions reconciliation;
  reconciliation.grace = config_.reconciliation.grace;
  reconciliation.stuck_after = config_.reconciliation.stuck_after;
  reconciliation.max_records_per_slice =
      static_cast<size_t>(config_.reconciliation.max_records_per_slice);
  reconciliation_ = std::make_unique<ReconciliationRunner>(executor_.get(), &providers_->registry,
                                                           engine_.get(), reconciliation);
  // Listed on /metrics from the start (the alert rules look for them).
  RecMetrics();
  if (config_.reconciliation.interval > absl::ZeroDuration()) {
    ScheduleOptions schedule;
    schedule.interval = config_.reconciliation.interval;
    schedule.lookback = config_.reconciliation.lookback;
    schedule.grace = config_.reconciliation.grace;
    schedule.instance_id = engine_options.instance_id;
    reconciliation_schedule_ = std::make_unique<ReconciliationSchedule>(
        reconciliation_.get(), executor_.get(), std::move(schedule));
    reconciliation_schedule_->Start();
  }
  return absl::OkStatus();
}

// Webhooks, credential reload, the admin port and last the gRPC port.
absl::Status GatewayProcess::StartInbound() {
  if (config_.webhooks.enabled) {
    auto started = StartWebhooks(config_.webhooks, engine_.get(), executor_.get(), *providers_,
                                 &startup_steps_);
    if (!started.ok()) return StartStepFailed("webhooks_unavailable", started.status());
    webhooks_ = *std::move(started);
    Log(LogLevel::kInfo, "webhooks_listening", {{"port", webhooks_->port()}});
  }
  auto security = LoadServerSecurity(config_);
  if (!security.ok()) return StartStepFailed("config_invalid", security.status());
  security_ = *std::move(security);
  // Rotated secret files are put in use without a restart.
  WatchCredentials(config_, providers_.get(), security_.auth.get(), &credential_watcher_);
  if (policies_ != nullptr) {
    WatchPolicyFile(config_.policies_file, policies_.get(), &credential_watcher_);
  }
  credential_watcher_.Start();
  if (!config_.admin_listen_address.empty()) {
    auto started = StartAdminServer(
        config_.admin_listen_address, &metrics::Metrics().registry,
        [pools = providers_.get()] { pools->UpdatePoolGauges(); }, config_.admin_max_connections);
    if (!started.ok()) return StartStepFailed("admin_unavailable", started.status());
    admin_ = *std::move(started);
    Log(LogLevel::kInfo, "admin_listening", {{"port", admin_->port()}, {"path", "/metrics"}});
  }
  auto server = GatewayServer::Start(config_.listen_address, core_.get(), security_.auth.get(),
                                     security_.tls.get(), reconciliation_.get());
  if (!server.ok()) return StartStepFailed("listen_failed", server.status());
  server_ = *std::move(server);
  boost::json::array provider_names;
  for (providers::Provider* provider : providers_->registry.All()) {
    provider_names.push_back(boost::json::string(payments::v1::Provider_Name(provider->id())));
  }
  Log(LogLevel::kInfo, "serving",
      {{"listen_address", config_.listen_address},
       {"port", server_->port()},
       {"providers", std::move(provider_names)}});
  return absl::OkStatus();
}

void GatewayProcess::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  if (server_ != nullptr) server_->Shutdown(config_.drain_delay, config_.shutdown_grace);
  if (webhooks_ != nullptr) webhooks_->Stop();
  if (admin_ != nullptr) admin_->Stop();
  if (resolver_ != nullptr) resolver_->Stop();
  if (reconciliation_schedule_ != nullptr) reconciliation_schedule_->Stop();
  if (tailer_ != nullptr) tailer_->Stop();
  credential_watcher_.Stop();
  // No provider reply may arrive once the core starts going away, and queued store work must
  // finish while everything its callbacks use still exists (they are destroyed after this, in
  // reverse order of creation, once the executor has stopped taking work).
  if (providers_ != nullptr) {
    for (auto& client : providers_->http_clients) client->Shutdown();
  }
  if (executor_ != nullptr) executor_->Shutdown();
}

}  // namespace gateway
