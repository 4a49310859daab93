// The webhook listener from configuration: one route per linked provider with a webhook (its
// secrets read from the `webhooks:` key its registration names; TLS optional), then each
// configured provider's start-up steps (e.g. Monato is told the URL to call). The steps are not
// awaited: a failure is logged, and the resolver's polling covers that provider's payouts.
#ifndef GATEWAY_PROCESS_WEBHOOK_STARTUP_H_
#define GATEWAY_PROCESS_WEBHOOK_STARTUP_H_

#include <memory>

#include "absl/status/statusor.h"
#include "gateway/config/config.h"
#include "gateway/core/payout_engine.h"
#include "gateway/process/startup_steps.h"
#include "gateway/webhooks/webhook_service.h"
#include "gateway/wiring/provider_factory.h"
#include "idempotency/store_executor.h"

namespace gateway {

// Everything passed must outlive the returned service. The registration is begun in `steps`.
absl::StatusOr<std::unique_ptr<WebhookService>> StartWebhooks(const WebhookSettings& settings,
                                                              PayoutEngine* engine,
                                                              idempotency::StoreExecutor* store,
                                                              BuiltProviders& built,
                                                              StartupSteps* steps);

}  // namespace gateway

#endif  // GATEWAY_PROCESS_WEBHOOK_STARTUP_H_
