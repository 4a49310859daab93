// The webhook listener from configuration: one route per linked provider with a webhook
// (its secrets read from the `webhooks:` key its registration names), then each configured
// provider's start-up steps (e.g. Monato is told the URL to call).
#ifndef GATEWAY_WIRING_WEBHOOK_STARTUP_H_
#define GATEWAY_WIRING_WEBHOOK_STARTUP_H_

#include <memory>

#include "absl/status/statusor.h"
#include "gateway/config/config.h"
#include "gateway/core/payout_ledger.h"
#include "gateway/webhooks/webhook_service.h"
#include "gateway/wiring/provider_factory.h"
#include "idempotency/store_executor.h"

namespace gateway {

// INVALID_ARGUMENT / FAILED_PRECONDITION naming the setting that is wrong or unreadable.
absl::StatusOr<std::unique_ptr<WebhookService>> StartWebhooks(const WebhookSettings& settings,
                                                              PayoutLedger* ledger,
                                                              idempotency::StoreExecutor* store,
                                                              BuiltProviders& built);

}  // namespace gateway

#endif  // GATEWAY_WIRING_WEBHOOK_STARTUP_H_
