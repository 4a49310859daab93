// The webhook listener from configuration (its secrets read, TLS optional), and the providers
// that need it told where it is (Monato's webhook registration, not awaited: a failure is
// logged and Monato's payouts are then covered by the resolver's polling).
#ifndef GATEWAY_PROCESS_WEBHOOK_STARTUP_H_
#define GATEWAY_PROCESS_WEBHOOK_STARTUP_H_

#include <memory>

#include "absl/status/statusor.h"
#include "gateway/config/config.h"
#include "gateway/core/payout_ledger.h"
#include "gateway/process/startup_steps.h"
#include "gateway/webhooks/webhook_service.h"
#include "gateway/wiring/provider_factory.h"
#include "idempotency/store_executor.h"

namespace gateway {

// Everything passed must outlive the returned service. The registration is begun in `steps`.
absl::StatusOr<std::unique_ptr<WebhookService>> StartWebhooks(const WebhookSettings& settings,
                                                              PayoutLedger* ledger,
                                                              idempotency::StoreExecutor* store,
                                                              BuiltProviders& built,
                                                              StartupSteps* steps);

}  // namespace gateway

#endif  // GATEWAY_PROCESS_WEBHOOK_STARTUP_H_
