#include "sandbox/common/send_ledger.h"

#include <algorithm>

namespace sandbox {
namespace {

void Add(SendCount& count, bool fresh_success, bool replayed, bool reply_lost) {
  ++count.sends;
  if (reply_lost) ++count.replies_lost;
  if (replayed) {
    ++count.replays;
  } else if (fresh_success) {
    ++count.created;
  } else {
    ++count.refused;
  }
}

int64_t MaxCreated(const std::map<SendKey, SendCount>& counts) {
  int64_t max = 0;
  for (const auto& [key, count] : counts) max = std::max(max, count.created);
  return max;
}

boost::json::array CountsJson(const std::map<SendKey, SendCount>& counts, const char* name) {
  boost::json::array rows;
  rows.reserve(counts.size());
  for (const auto& [key, count] : counts) {
    boost::json::object row = SendCountJson(count);
    row["operation"] = key.first;
    row[name] = key.second;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

SendTicket SendLedger::Arrive() {
  absl::MutexLock lock(&mu_);
  SendTicket ticket;
  ticket.arrival = next_arrival_++;
  ticket.epoch = epoch_;
  if (faults_.lose_reply_next > 0) {
    --faults_.lose_reply_next;
    ticket.lose_reply = true;
    ticket.lose_reply_after_ms = faults_.lose_reply_after_ms;
  }
  return ticket;
}

void SendLedger::Record(const std::string& operation, const std::string& key,
                        const std::string& body_fingerprint, const ServerReply& reply,
                        bool replayed, const SendTicket& ticket) {
  const bool fresh_success = !replayed && reply.status >= 200 && reply.status < 300;
  const bool lost = ticket.lose_reply;
  absl::MutexLock lock(&mu_);
  Add(counts_.total, fresh_success, replayed, lost);
  if (key.empty()) {
    ++counts_.without_key;
  } else {
    Add(counts_.by_key[{operation, key}], fresh_success, replayed, lost);
    events_[{operation, key}].push_back({ticket.arrival, ticket.epoch, fresh_success, lost});
  }
  Add(counts_.by_body[{operation, body_fingerprint}], fresh_success, replayed, lost);
}

void SendLedger::SetFaults(SendFaults faults) {
  absl::MutexLock lock(&mu_);
  faults_ = faults;
}

SendFaults SendLedger::faults() const {
  absl::MutexLock lock(&mu_);
  return faults_;
}

void SendLedger::set_epoch(int64_t epoch) {
  absl::MutexLock lock(&mu_);
  epoch_ = epoch;
}

int64_t SendLedger::epoch() const {
  absl::MutexLock lock(&mu_);
  return epoch_;
}

SendSnapshot SendLedger::snapshot() const {
  absl::MutexLock lock(&mu_);
  SendSnapshot snapshot = counts_;
  // In arrival order: a transfer is unjustified when an earlier send of the key, in the same
  // epoch, had made one whose reply was delivered.
  for (const auto& [key, recorded] : events_) {
    std::vector<Event> events = recorded;
    std::sort(events.begin(), events.end(),
              [](const Event& a, const Event& b) { return a.arrival < b.arrival; });
    std::vector<int64_t> answered_epochs;
    int64_t unjustified = 0;
    for (const Event& event : events) {
      if (!event.created) continue;
      if (std::find(answered_epochs.begin(), answered_epochs.end(), event.epoch) !=
          answered_epochs.end()) {
        ++unjustified;
      }
      if (!event.reply_lost) answered_epochs.push_back(event.epoch);
    }
    snapshot.by_key[key].unjustified = unjustified;
    snapshot.total.unjustified += unjustified;
  }
  return snapshot;
}

boost::json::object SendCountJson(const SendCount& count) {
  return {{"sends", count.sends},
          {"created", count.created},
          {"replays", count.replays},
          {"refused", count.refused},
          {"replies_lost", count.replies_lost},
          {"unjustified", count.unjustified}};
}

SendCount SendSnapshot::ForKey(const std::string& operation, const std::string& key) const {
  auto it = by_key.find({operation, key});
  return it == by_key.end() ? SendCount{} : it->second;
}

int64_t SendSnapshot::MaxCreatedPerKey() const { return MaxCreated(by_key); }
int64_t SendSnapshot::MaxCreatedPerBody() const { return MaxCreated(by_body); }

boost::json::object SendLedger::ToJson() const {
  const SendSnapshot counts = snapshot();
  return {{"total", SendCountJson(counts.total)},
          {"without_key", counts.without_key},
          {"max_created_per_key", counts.MaxCreatedPerKey()},
          {"max_created_per_body", counts.MaxCreatedPerBody()},
          {"epoch", epoch()},
          {"keys", CountsJson(counts.by_key, "key")},
          {"bodies", CountsJson(counts.by_body, "body_sha256")}};
}

}  // namespace sandbox
