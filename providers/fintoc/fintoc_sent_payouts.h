// Reconciliation's view of Fintoc (FintocProvider::ListSentPayouts): its outbound transfers
// dated within a window, a page at a time
// (docs/providers/fintoc.md#listing-transfers-for-reconciliation).
#ifndef PROVIDERS_FINTOC_FINTOC_SENT_PAYOUTS_H_
#define PROVIDERS_FINTOC_FINTOC_SENT_PAYOUTS_H_

#include <string>

#include "absl/time/time.h"
#include "providers/provider.h"

namespace providers::fintoc {

// Fintoc's largest page (`limit` 1..300).
inline constexpr int kSentPageMax = 300;

// A time as Fintoc's `since`/`until` take it: an RFC 3339 UTC date-time, whole seconds
// ("2025-09-02T15:43:51Z"). `round_up` rounds a fractional second up instead of down, so that
// an inclusive upper bound never drops the end of the window.
std::string FintocDateTime(absl::Time time, bool round_up = false);

// The first page's query of GET /v2/transfers for `window`: direction=outbound, since and until
// (inclusive, on transaction_date; an infinite bound is left out) and limit (page_size clamped
// to 1..300).
std::string SentTransfersQuery(const TimeWindow& window, int page_size);

}  // namespace providers::fintoc

#endif  // PROVIDERS_FINTOC_FINTOC_SENT_PAYOUTS_H_
