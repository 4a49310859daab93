// The scheduled reconciliation: every `interval`, on its own thread, the replica that takes the
// store's "reconciliation" lease reconciles each configured provider over the `lookback` ending
// `grace` ago (so that transfers the provider dates a little late are in). With several
// replicas on one PostgreSQL store, one runs at a time: the lease outlives the interval a little,
// so its holder keeps it while it lives, and another replica takes over once it has expired.
#ifndef GATEWAY_RECONCILIATION_RECONCILIATION_SCHEDULE_H_
#define GATEWAY_RECONCILIATION_RECONCILIATION_SCHEDULE_H_

#include <string>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gateway/reconciliation/reconciliation_runner.h"
#include "idempotency/store_executor.h"

namespace gateway {

struct ScheduleOptions {
  absl::Duration interval;  // > 0
  absl::Duration lookback = absl::Hours(24);
  absl::Duration grace = absl::Minutes(15);
  std::string instance_id;  // the lease's holder: this process
  // A run that outlasts this is not waited for any longer (it still finishes).
  absl::Duration run_wait = absl::Minutes(30);
};

// The lease's name in the store.
inline constexpr char kReconciliationLease[] = "reconciliation";

class ReconciliationSchedule {
 public:
  ReconciliationSchedule(ReconciliationRunner* runner, idempotency::StoreExecutor* store,
                         ScheduleOptions options);
  ~ReconciliationSchedule();  // Stop()

  // The first attempt is at once (a restarted replica does not wait a whole interval), then
  // one every interval.
  void Start();
  void Stop();

  // One attempt: take the lease, and when held run every provider. True when this replica ran.
  // Blocks (up to run_wait): call it from the schedule's thread or a test, never a gRPC thread.
  bool RunOnce(absl::Time now);

  // How long a taken lease lasts: the interval plus a margin (half of it, at most 10 minutes).
  absl::Duration LeaseTtl() const;

 private:
  void Loop();
  // Waits for `done` up to run_wait, or until Stop. False when it gave up.
  bool Wait(absl::Notification& done);

  ReconciliationRunner* runner_;
  idempotency::StoreExecutor* store_;
  const ScheduleOptions options_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace gateway

#endif  // GATEWAY_RECONCILIATION_RECONCILIATION_SCHEDULE_H_
