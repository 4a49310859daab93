#include "gateway/reconciliation/reconciliation_schedule.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/time/clock.h"
#include "gateway/logging/json_log.h"
#include "idempotency/gateway_store.h"

namespace gateway {

ReconciliationSchedule::ReconciliationSchedule(ReconciliationRunner* runner,
                                               idempotency::StoreExecutor* store,
                                               ScheduleOptions options)
    : runner_(runner), store_(store), options_(std::move(options)) {}

ReconciliationSchedule::~ReconciliationSchedule() { Stop(); }

void ReconciliationSchedule::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void ReconciliationSchedule::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

absl::Duration ReconciliationSchedule::LeaseTtl() const {
  return options_.interval + std::min(options_.interval / 2, absl::Minutes(10));
}

void ReconciliationSchedule::Loop() {
  do {
    RunOnce(absl::Now());
  } while (!stop_.WaitForNotificationWithTimeout(options_.interval));
}

bool ReconciliationSchedule::Wait(absl::Notification& done) {
  const absl::Time give_up = absl::Now() + options_.run_wait;
  // A second at a time, so that Stop does not wait for a long run.
  while (!done.WaitForNotificationWithTimeout(absl::Seconds(1))) {
    if (stop_.HasBeenNotified() || absl::Now() >= give_up) return false;
  }
  return true;
}

bool ReconciliationSchedule::RunOnce(absl::Time now) {
  // Shared with the callbacks: one that arrives after the wait gave up still has them.
  struct Waiter {
    absl::Notification done;
    absl::StatusOr<bool> leased = false;
  };
  auto lease = std::make_shared<Waiter>();
  const std::string holder = options_.instance_id;
  const absl::Duration ttl = LeaseTtl();
  store_->Run<bool>(
      [holder, now, ttl](idempotency::GatewayStore& s) {
        return s.TryTakeLease(kReconciliationLease, holder, now, ttl);
      },
      [lease](absl::StatusOr<bool> taken) {
        lease->leased = std::move(taken);
        lease->done.Notify();
      });
  if (!Wait(lease->done)) return false;
  if (!lease->leased.ok()) {
    Log(LogLevel::kError, "reconciliation_run",
        {{"result", "error"},
         {"error", std::string("the lease could not be taken: ") +
                       std::string(lease->leased.status().message())}});
    return false;
  }
  if (!*lease->leased) {
    Log(LogLevel::kDebug, "reconciliation_skipped",
        {{"reason", "another replica holds the lease"}});
    return false;
  }
  const absl::Time to = now - options_.grace;
  const absl::Time from = to - options_.lookback;
  // Each provider in turn; its outcome is logged and counted by the runner, and one provider's
  // failure does not keep the others from running.
  for (providers::Provider* provider : runner_->providers()->All()) {
    auto run = std::make_shared<absl::Notification>();
    runner_->Run(provider->id(), from, to, now,
                 [run](absl::StatusOr<ProviderRun>) { run->Notify(); });
    if (!Wait(*run) || stop_.HasBeenNotified()) break;
  }
  return true;
}

}  // namespace gateway
