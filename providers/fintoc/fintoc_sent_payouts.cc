// FintocProvider::ListSentPayouts: reconciliation's view of Fintoc, its outbound transfers
// dated within a window (docs/providers/fintoc.md#listing-transfers-for-reconciliation).
#include "absl/status/status.h"
#include "providers/fintoc/fintoc_provider.h"

namespace providers::fintoc {

void FintocProvider::ListSentPayouts(const TimeWindow& window, const PageQuery& page,
                                     const CallContext& context,
                                     Callback<payments::v1::ListPayoutsResponse> done) {
  done(absl::UnimplementedError("not yet"));
}

}  // namespace providers::fintoc
