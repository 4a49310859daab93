// MonatoProvider::FindPayoutByReference and ListSentPayouts. Monato's Fincore reference documents
// no transaction listing, search or report (docs/providers/monato.md, "Finding a payout without its
// id"), so an unknown outcome whose key is too old to re-send cannot be looked up: it is left for a
// person to reconcile against Monato's statements.
#include "absl/status/status.h"
#include "providers/monato/monato_provider.h"

namespace providers::monato {

void MonatoProvider::FindPayoutByReference(const PayoutOrder& order, absl::Time sent_after,
                                           const CallContext& context,
                                           Callback<payments::v1::Payout> done) {
  done(absl::UnimplementedError(
      "Monato documents no transaction listing or search, so a payout without its Monato id "
      "cannot be looked up by reference; check Monato's statements"));
}

void MonatoProvider::ListSentPayouts(const TimeWindow& window, const PageQuery& page,
                                     const CallContext& context,
                                     Callback<payments::v1::ListPayoutsResponse> done) {
  done(absl::UnimplementedError(
      "Monato documents no listing, report or export of outgoing transactions "
      "(docs/providers/monato.md, \"Reconciliation: no listing of outgoing transactions\"); "
      "read each payout by its Monato id instead: orphans cannot be detected at Monato"));
}

}  // namespace providers::monato
