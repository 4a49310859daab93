// Chooses the slices of a reconciliation run (docs/reconciliation.md, "How a run works"): the
// run's window [from, to) is cut into slices, each with at most `max_records` gateway records
// counting its neighbours (the records created within `grace` of it, inside [from, to)), so that
// a run's memory is bounded whatever the window holds. A candidate slice is counted by paging
// the store (the records are discarded as they are counted, and the count stops past the cap);
// too many halves it, down to `min_length`, where the excess is accepted and said.
#ifndef GATEWAY_RECONCILIATION_SLICE_PLANNER_H_
#define GATEWAY_RECONCILIATION_SLICE_PLANNER_H_

#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "idempotency/store_executor.h"
#include "proto/payments/v1/common.pb.h"

namespace gateway {

struct SliceLimits {
  absl::Time from;  // the run's window
  absl::Time to;
  absl::Duration grace;
  size_t max_records = 10000;
  absl::Duration min_length = absl::Seconds(1);
  int store_page_size = 500;
};

struct Slice {
  absl::Time start;
  absl::Time end;
  // The records counted for it, neighbours included (at most max_records + a page once past
  // the cap: the count stops there).
  int64_t records = 0;
  // More than max_records, and no longer than min_length: accepted anyway.
  bool over_cap = false;
};

// The records of [start, end) and its neighbours: [start - grace, end + grace) within [from, to).
absl::Time FeedStart(const SliceLimits& limits, absl::Time start);
absl::Time FeedEnd(const SliceLimits& limits, absl::Time end);

// The slice starting at `start` (< limits.to), trying [start, start + first_try) first (clipped
// to `to`). `done` runs on a store thread.
void PlanSlice(idempotency::StoreExecutor* store, payments::v1::Provider provider,
               const SliceLimits& limits, absl::Time start, absl::Duration first_try,
               std::function<void(absl::StatusOr<Slice>)> done);

}  // namespace gateway

#endif  // GATEWAY_RECONCILIATION_SLICE_PLANNER_H_
