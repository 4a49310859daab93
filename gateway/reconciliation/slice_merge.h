// A run cut into slices (docs/reconciliation.md, "How a run works") reports each item once: the
// slice that owns it. A gateway record is owned by the slice holding its creation time; an item
// without one (an orphan, a duplicate) by the slice holding its transfer's date (the first and
// last slices also own the grace margins outside the window, and the first the undated). Each
// slice's classifier also sees its neighbours (records and transfers within the grace), which
// it needs to pair across the boundary exactly as a whole-window run would; their items are
// the neighbouring slice's. SliceMerge keeps only the owned items, in one report.
#ifndef GATEWAY_RECONCILIATION_SLICE_MERGE_H_
#define GATEWAY_RECONCILIATION_SLICE_MERGE_H_

#include <cstddef>
#include <cstdint>

#include "absl/time/time.h"
#include "proto/payments/v1/common.pb.h"
#include "reconciliation/item.h"
#include "reconciliation/report.h"
#include "reconciliation/views.h"

namespace gateway {

class SliceMerge {
 public:
  // The run's window [from, to); at most `max_items` non-matched items are kept (the counts
  // stay complete).
  SliceMerge(payments::v1::Provider provider, absl::Time from, absl::Time to, size_t max_items);

  // The next slice, [start, end). `lists`: false for a provider read by id, where every
  // transfer read is for an owned record.
  void BeginSlice(absl::Time start, absl::Time end, bool lists);

  bool OwnsRecord(absl::Time created) const { return created >= start_ && created < end_; }
  bool OwnsTransfer(absl::Time date) const;

  // An owned record given to the slice's classifier.
  void RecordFed() { ++records_; }
  // A transfer given to the slice's classifier (counted when owned).
  void TransferFed(const reconciliation::ProviderTransfer& transfer);
  // Each item the slice's classifier emits, matched or not. True when it is the slice's and not
  // matched: the caller acts on it (statuses to apply, stuck counts).
  bool Seen(const reconciliation::Item& item);
  // The slice's classifier's report (its diagnostic counts join the run's).
  void EndSlice(const reconciliation::Report& slice_report);

  reconciliation::Report& report() { return report_; }

 private:
  bool OutsideWindow(absl::Time date) const;

  const absl::Time from_;
  const absl::Time to_;
  const size_t max_items_;
  reconciliation::Report report_;

  absl::Time start_;
  absl::Time end_;
  bool lists_ = true;
  int64_t records_ = 0;
  // Owned transfers given, and named by an item, inside and outside [from, to).
  int64_t fed_inside_ = 0;
  int64_t fed_outside_ = 0;
  int64_t seen_inside_ = 0;
  int64_t seen_outside_ = 0;
};

}  // namespace gateway

#endif  // GATEWAY_RECONCILIATION_SLICE_MERGE_H_
