#include "gateway/reconciliation/slice_merge.h"

#include <algorithm>

namespace gateway {

SliceMerge::SliceMerge(payments::v1::Provider provider, absl::Time from, absl::Time to,
                       size_t max_items)
    : from_(from), to_(to), max_items_(max_items) {
  report_.provider = provider;
  report_.window_start = from;
  report_.window_end = to;
}

void SliceMerge::BeginSlice(absl::Time start, absl::Time end, bool lists) {
  start_ = start;
  end_ = end;
  lists_ = lists;
  records_ = fed_inside_ = fed_outside_ = seen_inside_ = seen_outside_ = 0;
}

bool SliceMerge::OwnsTransfer(absl::Time date) const {
  if (!lists_) return true;  // read by id for a record of this slice
  return (start_ <= from_ || date >= start_) && (end_ >= to_ || date < end_);
}

bool SliceMerge::OutsideWindow(absl::Time date) const {
  return date != absl::InfinitePast() && (date < from_ || date >= to_);
}

void SliceMerge::TransferFed(const reconciliation::ProviderTransfer& transfer) {
  if (!OwnsTransfer(transfer.create_time)) return;
  ++(OutsideWindow(transfer.create_time) ? fed_outside_ : fed_inside_);
}

bool SliceMerge::Seen(const reconciliation::Item& item) {
  if (item.provider.has_value() && OwnsTransfer(item.provider->create_time)) {
    ++(OutsideWindow(item.provider->create_time) ? seen_outside_ : seen_inside_);
  }
  const bool owned = item.gateway.has_value()
                         ? OwnsRecord(item.gateway->create_time)
                         : item.provider.has_value() && OwnsTransfer(item.provider->create_time);
  if (!owned) return false;
  // As the classifier counts it: the record's money, else the transfer's.
  const bool from_gateway = item.gateway.has_value();
  reconciliation::AddToTotals(
      report_.totals[static_cast<int>(item.item_class)],
      from_gateway ? item.gateway->currency : item.provider->currency,
      from_gateway ? item.gateway->amount_minor : item.provider->amount_minor);
  if (item.item_class == reconciliation::ItemClass::kMatched) return false;
  if (report_.items.size() < max_items_) {
    report_.items.push_back(item);
  } else {
    ++report_.items_dropped;
  }
  return true;
}

void SliceMerge::EndSlice(const reconciliation::Report& slice_report) {
  report_.gateway_records += records_;
  report_.gateway_outside_window += slice_report.gateway_outside_window;
  report_.provider_transfers += fed_inside_ + fed_outside_;
  // An owned transfer no item names was a repeat (in the window), or unpaired outside the
  // window, as a whole-window classifier counts them.
  report_.provider_repeats += std::max<int64_t>(0, fed_inside_ - seen_inside_);
  report_.provider_outside_window += std::max<int64_t>(0, fed_outside_ - seen_outside_);
  report_.peak_held = std::max(report_.peak_held, slice_report.peak_held);
}

}  // namespace gateway
