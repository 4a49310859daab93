// Finding the Fintoc transfer a payout order created when its id is unknown (an unknown outcome
// whose Idempotency-Key is too old to re-send): a bounded walk of GET /v2/transfers, newest
// first, filtered by direction, source account and date (docs/provider-idempotency.md,
// "Past half the key lifetime"), matching the fields the gateway sent (TransferBody).
#ifndef PROVIDERS_FINTOC_FINTOC_LOOKUP_H_
#define PROVIDERS_FINTOC_FINTOC_LOOKUP_H_

#include <string>

#include "absl/time/time.h"
#include "proto/payments/v1/payout_service.pb.h"
#include "providers/fintoc/fintoc_session.h"
#include "providers/provider.h"

namespace providers::fintoc {

// Transfers older than `sent_after` by more than this are not candidates (clocks differ, and
// the gateway dates a payout a little before it sends it).
inline constexpr absl::Duration kLookupClockMargin = absl::Minutes(15);
// At most this many pages of kLookupPageSize are read; a longer listing is not searched to the
// end, so the search is UNAVAILABLE rather than a NOT_FOUND it cannot vouch for.
inline constexpr int kLookupMaxPages = 20;
inline constexpr int kLookupPageSize = 100;

// Whether `transfer` (a parsed list item) is the one `order` created: same source account,
// amount, currency, counterparty account number, numeric reference and comment, and dated
// (when it has a date) no earlier than `not_before`.
bool MatchesOrder(const payments::v1::Payout& transfer, const PayoutOrder& order,
                  absl::Time not_before);

// The search behind FintocProvider::FindPayoutByReference (see Provider for the answers).
void FindTransferByReference(FintocSession* session, const PayoutOrder& order,
                             absl::Time sent_after, absl::Time deadline,
                             Callback<payments::v1::Payout> done);

}  // namespace providers::fintoc

#endif  // PROVIDERS_FINTOC_FINTOC_LOOKUP_H_
