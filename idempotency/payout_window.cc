// The parts of PayoutsCreatedWithin every store shares.
#include "absl/status/status.h"
#include "idempotency/payout_store.h"

namespace idempotency {

absl::Time PayoutCreationTime(const payments::v1::Payout& payout, absl::Time saved) {
  if (!payout.has_create_time()) return saved;
  return absl::FromUnixSeconds(payout.create_time().seconds()) +
         absl::Nanoseconds(payout.create_time().nanos());
}

absl::Status CheckWindowQuery(const PayoutWindowQuery& query) {
  if (query.provider == payments::v1::PROVIDER_UNSPECIFIED) {
    return absl::InvalidArgumentError("a payout window needs its provider");
  }
  if (query.limit <= 0) {
    return absl::InvalidArgumentError("a payout window's page limit must be positive");
  }
  if (query.after_position < 0) {
    return absl::InvalidArgumentError("a payout window's after_position cannot be negative");
  }
  return absl::OkStatus();
}

}  // namespace idempotency
