#include "sandbox/common/send_ledger.h"

#include <algorithm>

namespace sandbox {
namespace {

void Add(SendCount& count, bool fresh_success, bool replayed) {
  ++count.sends;
  if (replayed) {
    ++count.replays;
  } else if (fresh_success) {
    ++count.created;
  } else {
    ++count.refused;
  }
}

}  // namespace

void SendLedger::Record(const std::string& operation, const std::string& key,
                        const std::string& body_fingerprint, const Reply& reply, bool replayed) {
  const bool fresh_success = !replayed && reply.status >= 200 && reply.status < 300;
  absl::MutexLock lock(&mu_);
  Add(counts_.total, fresh_success, replayed);
  if (key.empty()) {
    ++counts_.without_key;
  } else {
    Add(counts_.by_key[{operation, key}], fresh_success, replayed);
  }
  Add(counts_.by_body[{operation, body_fingerprint}], fresh_success, replayed);
}

SendSnapshot SendLedger::snapshot() const {
  absl::MutexLock lock(&mu_);
  return counts_;
}

boost::json::object SendCountJson(const SendCount& count) {
  return {{"sends", count.sends},
          {"created", count.created},
          {"replays", count.replays},
          {"refused", count.refused}};
}

SendCount SendSnapshot::ForKey(const std::string& operation, const std::string& key) const {
  auto it = by_key.find({operation, key});
  return it == by_key.end() ? SendCount{} : it->second;
}

namespace {

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

int64_t SendSnapshot::MaxCreatedPerKey() const { return MaxCreated(by_key); }
int64_t SendSnapshot::MaxCreatedPerBody() const { return MaxCreated(by_body); }

boost::json::object SendLedger::ToJson() const {
  const SendSnapshot counts = snapshot();
  return {{"total", SendCountJson(counts.total)},
          {"without_key", counts.without_key},
          {"max_created_per_key", counts.MaxCreatedPerKey()},
          {"max_created_per_body", counts.MaxCreatedPerBody()},
          {"keys", CountsJson(counts.by_key, "key")},
          {"bodies", CountsJson(counts.by_body, "body_sha256")}};
}

}  // namespace sandbox
