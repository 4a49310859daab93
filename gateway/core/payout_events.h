// Fan-out of payout status changes to WatchPayouts subscribers. Events come from the store's
// event log (PayoutEventTailer), in sequence order, so every replica sees every replica's events
// and a cursor (the sequence) means the same everywhere. The most recent events are kept in
// memory, so a subscriber that reconnects with its cursor gets what it missed.
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

  // Delivers the event with this store sequence (its cursor) to matching subscribers. Events
  // must come in increasing sequence; an older or repeated one is ignored.
  void Publish(int64_t sequence, payments::v1::PayoutEvent event);
  // The last sequence published (0 before any).
  int64_t last_sequence();

  // Subscribes; first replays retained events after `request.cursor` (if any) that match the
  // filters. OUT_OF_RANGE when the cursor is older than what is retained; INVALID_ARGUMENT when
  // it is not a cursor; UNAVAILABLE once the hub is closed. Returns a subscription id.
  // `caller`: only events of this caller's payouts are delivered.
  absl::StatusOr<uint64_t> Subscribe(const payments::v1::WatchPayoutsRequest& request,
                                     const std::string& caller, Listener listener,
                                     OnClose on_close);
  void Unsubscribe(uint64_t subscription);

  // Ends every subscription (their OnClose runs) and refuses new ones.
  void Close();

 private:
  struct Subscriber {
    payments::v1::WatchPayoutsRequest filter;
    std::string caller;
    Listener listener;
    OnClose on_close;
  };
  static bool Matches(const payments::v1::WatchPayoutsRequest& filter, const std::string& caller,
                      const payments::v1::PayoutEvent& event);

  const size_t retained_events_;
  absl::Mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  int64_t last_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_subscription_ ABSL_GUARDED_BY(mu_) = 1;
  // Kept serialized: a parsed event is ~1.5 KiB of small heap blocks, its bytes a few hundred.
  // 10,000 parsed events were 15 MiB of the gateway's RSS under load (issue 15); replay, which
  // parses them back, only happens when a subscriber reconnects with a cursor.
  std::deque<std::pair<int64_t, std::string>> retained_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, Subscriber> subscribers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gateway

#endif  // GATEWAY_CORE_PAYOUT_EVENTS_H_
