// The providers' Idempotency-Key semantics, shared by both simulators: the FIRST response
// under a key (success or error) is kept for `ttl` and replayed for a retry with the same
// request fingerprint; a different fingerprint is a mismatch; a retry that arrives while the
// first request is still being processed is "in progress". The caller maps each outcome to
// its provider's status codes and error bodies.
//
// Deduplication can be switched off (set_dedup(false)): every request then proceeds and
// nothing is kept, as at a provider whose key expired or that ignores keys, so a second send
// by the gateway becomes a second transfer instead of a replay.
#ifndef SANDBOX_COMMON_IDEMPOTENCY_STORE_H_
#define SANDBOX_COMMON_IDEMPOTENCY_STORE_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sandbox/common/clock.h"
#include "sandbox/http/http_server.h"

namespace sandbox {

class IdempotencyStore {
 public:
  IdempotencyStore(const Clock* clock, absl::Duration ttl) : clock_(clock), ttl_(ttl) {}

  enum class Outcome {
    kProceed,     // first use (or the old entry expired): process, then Complete()
    kReplay,      // same key, same fingerprint, finished: send `reply`
    kMismatch,    // same key, different fingerprint
    kInProgress,  // same key, the first request has not finished yet
  };
  struct Claim {
    Outcome outcome = Outcome::kProceed;
    ServerReply reply;  // with kReplay
  };

  Claim Begin(const std::string& key, const std::string& fingerprint);
  // Saves the reply of a request that got kProceed.
  void Complete(const std::string& key, const ServerReply& reply);
  // Forgets a key that got kProceed without a reply worth keeping (e.g. an auth failure).
  void Abandon(const std::string& key);

  int64_t replays() const;

  // On by default. Off: Begin() always answers kProceed and keeps nothing (entries kept
  // before stay, and apply again once switched back on).
  void set_dedup(bool dedup);
  bool dedup() const;

 private:
  struct Entry {
    std::string fingerprint;
    bool done = false;
    ServerReply reply;
    absl::Time expires_at = absl::InfiniteFuture();
  };

  const Clock* clock_;
  const absl::Duration ttl_;
  mutable absl::Mutex mu_;
  std::map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  int64_t replays_ ABSL_GUARDED_BY(mu_) = 0;
  bool dedup_ ABSL_GUARDED_BY(mu_) = true;
};

}  // namespace sandbox

#endif  // SANDBOX_COMMON_IDEMPOTENCY_STORE_H_
