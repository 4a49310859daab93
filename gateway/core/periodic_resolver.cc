#include "gateway/core/periodic_resolver.h"

#include <memory>

#include "absl/time/clock.h"
#include "gateway/logging/json_log.h"
#include "vocabulary/status_macros.h"

namespace gateway {

PeriodicResolver::PeriodicResolver(PayoutEngine* engine, idempotency::StoreExecutor* store,
                                   absl::Duration interval, absl::Duration pending_recheck,
                                   absl::Duration pass_wait)
    : engine_(engine),
      store_(store),
      interval_(interval),
      pending_recheck_(pending_recheck),
      pass_wait_(pass_wait) {}

PeriodicResolver::~PeriodicResolver() { Stop(); }

void PeriodicResolver::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicResolver::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void PeriodicResolver::Loop() {
  while (!stop_.WaitForNotificationWithTimeout(interval_)) {
    // One pass at a time: wait for it (bounded) before scheduling the next.
    // Shared with the pass: one that outlasts the wait notifies after this loop moved on.
    auto pass_done = std::make_shared<absl::Notification>();
    engine_->ResolveOnce(pending_recheck_, [pass_done](int looked_at) {
      if (looked_at > 0) Log(LogLevel::kInfo, "resolver_pass", {{"payouts", looked_at}});
      pass_done->Notify();
    });
    pass_done->WaitForNotificationWithTimeout(pass_wait_);
    store_->Run<int64_t>(
        [](idempotency::GatewayStore& store) -> absl::StatusOr<int64_t> {
          // WatchPayouts cursors older than a day are no longer resumable.
          RETURN_IF_ERROR(store.SweepEvents(absl::Now() - absl::Hours(24)).status());
          return store.SweepExpired(absl::Now());
        },
        [](absl::StatusOr<int64_t> swept) {
          if (swept.ok() && *swept > 0) {
            Log(LogLevel::kInfo, "idempotency_records_swept", {{"records", *swept}});
          }
        });
  }
}

}  // namespace gateway
