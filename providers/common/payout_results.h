// Payouts (and refunds) as adapters hand them back: the provider's reply completed with what
// the caller asked for, or an UNKNOWN outcome when the reply was lost or unreadable.
#ifndef PROVIDERS_COMMON_PAYOUT_RESULTS_H_
#define PROVIDERS_COMMON_PAYOUT_RESULTS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "proto/payments/v1/payout_service.pb.h"
#include "providers/provider.h"

namespace providers {

// The parts of a payout the caller asked for, which providers' replies do not echo.
payments::v1::Payout WithOrder(payments::v1::Payout payout, const PayoutOrder& order);

// The money may or may not have moved: an UNKNOWN payout carrying the provider key that
// resolves it (the gateway re-asks the provider with that same key).
payments::v1::Payout UnknownOutcome(payments::v1::Provider provider, const PayoutOrder& order,
                                    const std::string& provider_key, absl::string_view why);

// OK unless `native_payout_id` is the id of an UNKNOWN payout, which no provider knows: the
// caller resolves it by retrying CreatePayout with the same idempotency key (FAILED_PRECONDITION).
absl::Status CheckReadablePayoutId(absl::string_view native_payout_id);

// The refund may or may not have happened: an UNKNOWN refund of the order (no id set), which
// keeps the caller's key claimed until the outcome is known.
payments::v1::Refund UnknownRefund(payments::v1::Provider provider, const RefundOrder& order);

}  // namespace providers

#endif  // PROVIDERS_COMMON_PAYOUT_RESULTS_H_
