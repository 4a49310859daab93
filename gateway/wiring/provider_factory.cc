#include "gateway/wiring/provider_factory.h"

#include "absl/strings/str_cat.h"
#include "gateway/logging/json_log.h"
#include "gateway/wiring/test_hold_provider.h"
#include "metrics/gateway_metrics.h"
#include "providers/instrumented_provider.h"
#include "vocabulary/status_macros.h"

namespace gateway {
namespace {

// Every adapter call counted and timed (gateway_provider_requests_total and _seconds).
std::unique_ptr<providers::Provider> Instrumented(std::unique_ptr<providers::Provider> adapter) {
  metrics::GatewayMetrics& m = metrics::Metrics();
  return std::make_unique<providers::InstrumentedProvider>(
      WithTestHolds(std::move(adapter)), m.provider_requests, m.provider_request_seconds);
}

absl::Status Add(const providers::ProviderRegistration& registration,
                 const ProviderSettings& settings, BuiltProviders& built) {
  providers::BuildContext context;
  context.log = LogProviderEvent;
  ASSIGN_OR_RETURN(auto made, registration.build(settings, context));
  if (made.adapter == nullptr || made.adapter->id() != registration.id) {
    return absl::InternalError(absl::StrCat("providers.", registration.name,
                                            ": its registration built no ", registration.name,
                                            " adapter"));
  }
  built.registry.Add(Instrumented(std::move(made.adapter)));
  built.extras.push_back(
      {registration.name, std::move(made.secret_watches), std::move(made.on_webhooks_listening)});
  if (made.http != nullptr) {
    if (!made.origin.empty()) {
      built.pools.push_back({registration.name, made.http.get(), made.origin});
    }
    built.http_clients.push_back(std::move(made.http));
  }
  return absl::OkStatus();
}

}  // namespace

void LogProviderEvent(absl::string_view event, const absl::Status& status) {
  if (status.ok()) {
    Log(LogLevel::kInfo, event);
  } else {
    Log(LogLevel::kError, event, {{"error", std::string(status.message())}});
  }
}

absl::StatusOr<std::unique_ptr<BuiltProviders>> BuildProviders(const GatewayConfig& config) {
  auto built = std::make_unique<BuiltProviders>();
  for (const auto& [name, settings] : config.providers) {
    if (!settings.enabled) continue;
    const providers::ProviderRegistration* registration = providers::FindLinkedProvider(name);
    if (registration == nullptr) {
      return absl::UnimplementedError(
          absl::StrCat("providers.", name, " is enabled but this build has no ", name,
                       " adapter yet; set providers.", name, ".enabled: false"));
    }
    RETURN_IF_ERROR(Add(*registration, settings, *built));
  }
  return built;
}

void BuiltProviders::UpdatePoolGauges() const {
  metrics::Gauge* gauge = metrics::Metrics().provider_connections;
  for (const PoolOf& pool : pools) {
    const auto [open, idle] = pool.client->PoolSizes(pool.origin);
    gauge->Set({pool.provider, "open"}, open);
    gauge->Set({pool.provider, "idle"}, idle);
    metrics::Metrics().provider_connects->SetTotal({pool.provider},
                                                   pool.client->stats().connections_opened);
  }
}

}  // namespace gateway
