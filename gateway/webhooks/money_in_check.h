// Whether what a provider says when asked about a transaction confirms a MONEY_IN webhook
// (docs/webhooks.md). Monato signs nothing, so its MONEY_IN is recorded only when a read of the
// same transaction agrees on the id, amount, currency and that the money came in and settled.
#ifndef GATEWAY_WEBHOOKS_MONEY_IN_CHECK_H_
#define GATEWAY_WEBHOOKS_MONEY_IN_CHECK_H_

#include "absl/status/status.h"
#include "proto/payments/v1/payout_service.pb.h"
#include "providers/webhook_event.h"

namespace gateway {

// OK: confirmed. FAILED_PRECONDITION: the read contradicts the event (another amount,
// currency or transaction, or the money was rejected): the gateway refuses the money.
// UNAVAILABLE: the read cannot decide yet (not settled): ask again on redelivery.
absl::Status CheckMoneyInRead(const providers::WebhookEvent& event,
                              const payments::v1::Payout& read);

}  // namespace gateway

#endif  // GATEWAY_WEBHOOKS_MONEY_IN_CHECK_H_
