// Runs the engine's resolver pass (take over abandoned claims, re-ask the provider about
// UNKNOWN and long-PENDING payouts) and the sweep of expired idempotency records on a timer,
// on its own thread, until stopped.
#ifndef GATEWAY_CORE_PERIODIC_RESOLVER_H_
#define GATEWAY_CORE_PERIODIC_RESOLVER_H_

#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gateway/core/payout_engine.h"
#include "idempotency/store_executor.h"

namespace gateway {

class PeriodicResolver {
 public:
  // A pass that outlasts `pass_wait` is not waited for any longer (it still finishes).
  PeriodicResolver(PayoutEngine* engine, idempotency::StoreExecutor* store, absl::Duration interval,
                   absl::Duration pending_recheck, absl::Duration pass_wait = absl::Seconds(60));
  ~PeriodicResolver();  // Stop()

  void Start();
  void Stop();

 private:
  void Loop();

  PayoutEngine* engine_;
  idempotency::StoreExecutor* store_;
  const absl::Duration interval_;
  const absl::Duration pending_recheck_;
  const absl::Duration pass_wait_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace gateway

#endif  // GATEWAY_CORE_PERIODIC_RESOLVER_H_
