#include "gateway/core/payout_event_tailer.h"

#include <utility>
#include <vector>

namespace gateway {
namespace {
constexpr int kPage = 500;
}  // namespace

PayoutEventTailer::PayoutEventTailer(idempotency::StoreExecutor* store, PayoutEventHub* hub,
                                     absl::Duration poll_interval)
    : store_(store), hub_(hub), poll_interval_(poll_interval) {}

PayoutEventTailer::~PayoutEventTailer() { Stop(); }

void PayoutEventTailer::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void PayoutEventTailer::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

int PayoutEventTailer::CatchUp() {
  int published = 0;
  while (true) {
    using Page = std::vector<std::pair<int64_t, payments::v1::PayoutEvent>>;
    absl::Notification done;
    absl::StatusOr<Page> page;
    const int64_t after = hub_->last_sequence();
    // The read runs on a store thread; this (the tailer's own) thread waits for it.
    store_->Run<Page>(
        [after](idempotency::PayoutEventLog& s) { return s.EventsAfter(after, kPage); },
        [&](absl::StatusOr<Page> events) {
          page = std::move(events);
          done.Notify();
        });
    done.WaitForNotification();
    if (!page.ok() || page->empty()) return published;
    for (auto& [sequence, event] : *page) hub_->Publish(sequence, std::move(event));
    published += static_cast<int>(page->size());
    if (static_cast<int>(page->size()) < kPage) return published;
  }
}

void PayoutEventTailer::Loop() {
  do {
    CatchUp();
  } while (!stop_.WaitForNotificationWithTimeout(poll_interval_));
}

}  // namespace gateway
