// What a claim of an idempotency key decides, the same for every store: given the record
// stored for the key (read under the store's lock or transaction), the outcome and the record
// as it must be afterwards. The store only carries it out: kClaimed -> write `record` (a new
// key, or one past its retention), kTakenOver -> set the new owner and lease, anything else ->
// write nothing.
#ifndef IDEMPOTENCY_CLAIM_RULES_H_
#define IDEMPOTENCY_CLAIM_RULES_H_

#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "idempotency/claim_store.h"

namespace idempotency {

ClaimResult DecideClaim(const ClaimRequest& request,
                        const absl::optional<IdempotencyRecord>& existing, absl::Time now);

}  // namespace idempotency

#endif  // IDEMPOTENCY_CLAIM_RULES_H_
