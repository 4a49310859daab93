#include "vocabulary/payout_status_rules.h"

namespace idempotency {
namespace {

using payments::v1::PayoutStatus;

int Rank(PayoutStatus status) {
  switch (status) {
    case payments::v1::PAYOUT_STATUS_UNSPECIFIED:
      return 0;
    case payments::v1::PAYOUT_STATUS_UNKNOWN:
      return 1;
    case payments::v1::PAYOUT_STATUS_PENDING:
      return 2;
    case payments::v1::PAYOUT_STATUS_SUCCEEDED:
    case payments::v1::PAYOUT_STATUS_FAILED:
    case payments::v1::PAYOUT_STATUS_REJECTED:
      return 3;
    case payments::v1::PAYOUT_STATUS_RETURNED:
      return 4;
    default:
      return 0;
  }
}

}  // namespace

bool IsFinal(PayoutStatus status) { return Rank(status) >= 3; }

PayoutStatus NextStatus(PayoutStatus stored, PayoutStatus incoming) {
  if (!IsFinal(stored)) return Rank(incoming) >= Rank(stored) ? incoming : stored;
  if (stored == payments::v1::PAYOUT_STATUS_SUCCEEDED &&
      incoming == payments::v1::PAYOUT_STATUS_RETURNED) {
    return incoming;
  }
  return stored;  // final: no other change is believed
}

}  // namespace idempotency
