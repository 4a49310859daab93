// Fan-out of payout status changes to WatchPayouts subscribers. Keeps the most recent events
// in memory so a subscriber that reconnects with its cursor gets what it missed (as long as
// the events are still retained on this replica).
#ifndef GATEWAY_CORE_PAYOUT_EVENTS_H_
#define GATEWAY_CORE_PAYOUT_EVENTS_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "proto/payments/v1/payout_service.pb.h"

namespace gateway {

class PayoutEventHub {
 public:
  // Called with each event, in order, from the publishing thread; must not block.
  using Listener = std::function<void(const payments::v1::PayoutEvent&)>;
  // Called once when the hub closes (server shutdown).
  using OnClose = std::function<void()>;

  explicit PayoutEventHub(size_t retained_events = 10'000);

  // Records a status change and delivers it to matching subscribers.
  void Publish(const payments::v1::Payout& payout, payments::v1::PayoutStatus previous_status);

  // Subscribes; first replays retained events after `request.cursor` (if any) that match the
  // filters. OUT_OF_RANGE when the cursor is older than what is retained; INVALID_ARGUMENT when
  // it is not a cursor; UNAVAILABLE once the hub is closed. Returns a subscription id.
  absl::StatusOr<uint64_t> Subscribe(const payments::v1::WatchPayoutsRequest& request,
                                     Listener listener, OnClose on_close);
  void Unsubscribe(uint64_t subscription);

  // Ends every subscription (their OnClose runs) and refuses new ones.
  void Close();

 private:
  struct Subscriber {
    payments::v1::WatchPayoutsRequest filter;
    Listener listener;
    OnClose on_close;
  };
  static bool Matches(const payments::v1::WatchPayoutsRequest& filter,
                      const payments::v1::Payout& payout);

  const size_t retained_events_;
  absl::Mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t next_sequence_ ABSL_GUARDED_BY(mu_) = 1;
  uint64_t next_subscription_ ABSL_GUARDED_BY(mu_) = 1;
  std::deque<std::pair<uint64_t, payments::v1::PayoutEvent>> retained_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, Subscriber> subscribers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gateway

#endif  // GATEWAY_CORE_PAYOUT_EVENTS_H_
