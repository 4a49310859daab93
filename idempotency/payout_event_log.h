// The payout event log behind WatchPayouts: every status change, in one order for all
// replicas. PayoutEventTailer reads it; the payout paths append to it.
#ifndef IDEMPOTENCY_PAYOUT_EVENT_LOG_H_
#define IDEMPOTENCY_PAYOUT_EVENT_LOG_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/payments/v1/payout_service.pb.h"

namespace idempotency {

class PayoutEventLog {
 public:
  virtual ~PayoutEventLog() = default;

  // Returns the event's sequence number (its cursor), or 0 when the store numbers events only
  // once their batch has committed (PostgreSQL inside a batch: postgres_payout_records.cc).
  virtual absl::StatusOr<int64_t> AppendPayoutEvent(const payments::v1::PayoutEvent& event) = 0;
  // Events with a larger sequence than `after_sequence`, in order.
  virtual absl::StatusOr<std::vector<std::pair<int64_t, payments::v1::PayoutEvent>>> EventsAfter(
      int64_t after_sequence, int limit) = 0;
  // Deletes events recorded before `before`; returns how many.
  virtual absl::StatusOr<int64_t> SweepEvents(absl::Time before) = 0;
};

}  // namespace idempotency

#endif  // IDEMPOTENCY_PAYOUT_EVENT_LOG_H_
