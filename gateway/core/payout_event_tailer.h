// Follows the store's payout event log and publishes each new event, in order, to this
// replica's WatchPayouts subscribers. On start it loads the recent log first, so cursors handed
// out before a restart (or by another replica) still resume without loss.
#ifndef GATEWAY_CORE_PAYOUT_EVENT_TAILER_H_
#define GATEWAY_CORE_PAYOUT_EVENT_TAILER_H_

#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gateway/core/payout_events.h"
#include "idempotency/store_executor.h"

namespace gateway {

class PayoutEventTailer {
 public:
  PayoutEventTailer(idempotency::StoreExecutor* store, PayoutEventHub* hub,
                    absl::Duration poll_interval = absl::Milliseconds(100));
  ~PayoutEventTailer();  // Stop()

  void Start();
  void Stop();
  // Publishes everything the store has now; returns how many events (tests, shutdown).
  int CatchUp();

 private:
  void Loop();

  idempotency::StoreExecutor* store_;
  PayoutEventHub* hub_;
  const absl::Duration poll_interval_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace gateway

#endif  // GATEWAY_CORE_PAYOUT_EVENT_TAILER_H_
