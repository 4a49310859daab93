#include "sandbox/common/idempotency_store.h"

namespace sandbox {

IdempotencyStore::Claim IdempotencyStore::Begin(const std::string& key,
                                                const std::string& fingerprint) {
  absl::MutexLock lock(&mu_);
  if (!dedup_) return Claim{};  // kProceed; Complete() finds no entry and keeps nothing
  const absl::Time now = clock_->Now();
  auto it = entries_.find(key);
  if (it != entries_.end() && it->second.done && it->second.expires_at <= now) {
    entries_.erase(it);  // pruned: the key may create a new object now
    it = entries_.end();
  }
  Claim claim;
  if (it == entries_.end()) {
    entries_[key].fingerprint = fingerprint;
    claim.outcome = Outcome::kProceed;
  } else if (it->second.fingerprint != fingerprint) {
    claim.outcome = Outcome::kMismatch;
  } else if (!it->second.done) {
    claim.outcome = Outcome::kInProgress;
  } else {
    claim.outcome = Outcome::kReplay;
    claim.reply = it->second.reply;
    ++replays_;
  }
  return claim;
}

void IdempotencyStore::Complete(const std::string& key, const ServerReply& reply) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(key);
  // Done already: a send made while dedup was off must not replace the kept first reply.
  if (it == entries_.end() || it->second.done) return;
  it->second.done = true;
  it->second.reply = reply;
  it->second.expires_at = clock_->Now() + ttl_;
}

void IdempotencyStore::Abandon(const std::string& key) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(key);
  if (it != entries_.end() && !it->second.done) entries_.erase(it);
}

void IdempotencyStore::set_dedup(bool dedup) {
  absl::MutexLock lock(&mu_);
  dedup_ = dedup;
}

bool IdempotencyStore::dedup() const {
  absl::MutexLock lock(&mu_);
  return dedup_;
}

int64_t IdempotencyStore::replays() const {
  absl::MutexLock lock(&mu_);
  return replays_;
}

}  // namespace sandbox
