// Payout statuses only move forward: a late or replayed PENDING never overwrites SUCCEEDED,
// a confirmed PENDING never falls back to UNKNOWN, and the one change after a final status is
// SUCCEEDED -> RETURNED (money sent back by the receiving bank).
#ifndef VOCABULARY_PAYOUT_STATUS_RULES_H_
#define VOCABULARY_PAYOUT_STATUS_RULES_H_

#include "proto/payments/v1/common.pb.h"

namespace idempotency {

bool IsFinal(payments::v1::PayoutStatus status);

// The status to keep when `incoming` arrives for a payout stored with `stored`.
payments::v1::PayoutStatus NextStatus(payments::v1::PayoutStatus stored,
                                      payments::v1::PayoutStatus incoming);

}  // namespace idempotency

#endif  // VOCABULARY_PAYOUT_STATUS_RULES_H_
