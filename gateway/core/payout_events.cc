#include "gateway/core/payout_events.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "vocabulary/error_details.h"

namespace gateway {

PayoutEventHub::PayoutEventHub(size_t retained_events) : retained_events_(retained_events) {}

bool PayoutEventHub::Matches(const payments::v1::WatchPayoutsRequest& filter,
                             const std::string& caller, const payments::v1::PayoutEvent& event) {
  const payments::v1::Payout& payout = event.payout();
  if (event.caller() != caller) return false;
  if (filter.provider() != payments::v1::PROVIDER_UNSPECIFIED &&
      filter.provider() != payout.provider()) {
    return false;
  }
  if (filter.payout_ids().empty()) return true;
  return std::find(filter.payout_ids().begin(), filter.payout_ids().end(), payout.id()) !=
         filter.payout_ids().end();
}

void PayoutEventHub::Publish(int64_t sequence, payments::v1::PayoutEvent event) {
  absl::MutexLock lock(&mu_);
  if (closed_ || sequence <= last_sequence_) return;
  last_sequence_ = sequence;
  event.set_cursor(absl::StrCat(sequence));
  // Delivered under the lock so every subscriber sees events in sequence order; listeners
  // only queue the event and return.
  for (auto& [id, subscriber] : subscribers_) {
    if (Matches(subscriber.filter, subscriber.caller, event)) subscriber.listener(event);
  }
  retained_.emplace_back(sequence, event.SerializeAsString());
  if (retained_.size() > retained_events_) retained_.pop_front();
}

int64_t PayoutEventHub::last_sequence() {
  absl::MutexLock lock(&mu_);
  return last_sequence_;
}

absl::StatusOr<uint64_t> PayoutEventHub::Subscribe(const payments::v1::WatchPayoutsRequest& request,
                                                   const std::string& caller, Listener listener,
                                                   OnClose on_close) {
  int64_t after = 0;
  if (!request.cursor().empty() && (!absl::SimpleAtoi(request.cursor(), &after) || after < 0)) {
    return InvalidField("cursor", "is not a cursor from a previous PayoutEvent");
  }
  absl::MutexLock lock(&mu_);
  if (closed_) return absl::UnavailableError("the server is shutting down; reconnect");
  if (!request.cursor().empty()) {
    if (after > last_sequence_) {
      return InvalidField("cursor", "is ahead of this server's events");
    }
    const int64_t oldest = retained_.empty() ? last_sequence_ + 1 : retained_.front().first;
    if (after + 1 < oldest) {
      return absl::OutOfRangeError(absl::StrCat("events after cursor ", after,
                                                " are no longer retained (oldest is ", oldest,
                                                "); re-read the payouts with ListPayouts"));
    }
    payments::v1::PayoutEvent event;
    for (const auto& [sequence, bytes] : retained_) {
      if (sequence <= after) continue;
      // Serialized by Publish from a valid message: parsing cannot fail.
      event.ParseFromString(bytes);
      if (Matches(request, caller, event)) listener(event);
    }
  }
  const uint64_t id = next_subscription_++;
  subscribers_[id] = Subscriber{request, caller, std::move(listener), std::move(on_close)};
  return id;
}

void PayoutEventHub::Unsubscribe(uint64_t subscription) {
  absl::MutexLock lock(&mu_);
  subscribers_.erase(subscription);
}

void PayoutEventHub::Close() {
  std::map<uint64_t, Subscriber> subscribers;
  {
    absl::MutexLock lock(&mu_);
    closed_ = true;
    subscribers.swap(subscribers_);
  }
  for (auto& [id, subscriber] : subscribers) {
    if (subscriber.on_close) subscriber.on_close();
  }
}

}  // namespace gateway
