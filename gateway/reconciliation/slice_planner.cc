#include "gateway/reconciliation/slice_planner.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "idempotency/payout_store.h"

namespace gateway {
namespace {

// One candidate after another, each counted page by page; kept alive by its callbacks.
struct PageTally {
  int64_t count = 0;
  int64_t last_position = 0;
};

// One candidate after another, each counted page by page; kept alive by its callbacks.
class Planner : public std::enable_shared_from_this<Planner> {
 public:
  Planner(idempotency::StoreExecutor* store, payments::v1::Provider provider,
          const SliceLimits& limits, absl::Time start, absl::Duration first_try,
          std::function<void(absl::StatusOr<Slice>)> done)
      : store_(store), provider_(provider), limits_(limits), done_(std::move(done)) {
    slice_.start = start;
    slice_.end = std::min(limits_.to, start + std::max(first_try, limits_.min_length));
  }

  void Count() {
    slice_.records = 0;
    CountPage(0);
  }

 private:
  void CountPage(int64_t after_position) {
    idempotency::PayoutWindowQuery query;
    query.provider = provider_;
    query.created_from = FeedStart(limits_, slice_.start);
    query.created_to = FeedEnd(limits_, slice_.end);
    query.limit = limits_.store_page_size;
    query.after_position = after_position;
    store_->Run<PageTally>(
        [query](idempotency::PayoutStore& s) -> absl::StatusOr<PageTally> {
          auto page = s.PayoutsCreatedWithin(query);
          if (!page.ok()) return page.status();
          // Only the count leaves the store thread: the records are dropped here.
          return PageTally{static_cast<int64_t>(page->payouts.size()), page->last_position};
        },
        [self = shared_from_this()](absl::StatusOr<PageTally> tally) {
          self->OnPage(std::move(tally));
        });
  }

  void OnPage(absl::StatusOr<PageTally> tally) {
    if (!tally.ok()) return Done(tally.status());
    if (tally->count == 0) return Done(slice_);  // the whole candidate counted
    slice_.records += tally->count;
    // Past the cap at the shortest length: taken anyway, counted to the end for the warning.
    if (slice_.over_cap || static_cast<size_t>(slice_.records) <= limits_.max_records) {
      return CountPage(tally->last_position);
    }
    const absl::Duration half = (slice_.end - slice_.start) / 2;
    if (half < limits_.min_length) {
      slice_.over_cap = true;
      return CountPage(tally->last_position);
    }
    slice_.end = slice_.start + half;
    Count();
  }

  void Done(absl::StatusOr<Slice> slice) {
    auto done = std::move(done_);
    done(std::move(slice));
  }

  idempotency::StoreExecutor* const store_;
  const payments::v1::Provider provider_;
  const SliceLimits limits_;
  std::function<void(absl::StatusOr<Slice>)> done_;
  Slice slice_;
};

}  // namespace

absl::Time FeedStart(const SliceLimits& limits, absl::Time start) {
  return std::max(limits.from, start - limits.grace);
}

absl::Time FeedEnd(const SliceLimits& limits, absl::Time end) {
  return std::min(limits.to, end + limits.grace);
}

void PlanSlice(idempotency::StoreExecutor* store, payments::v1::Provider provider,
               const SliceLimits& limits, absl::Time start, absl::Duration first_try,
               std::function<void(absl::StatusOr<Slice>)> done) {
  std::make_shared<Planner>(store, provider, limits, start, first_try, std::move(done))->Count();
}

}  // namespace gateway
