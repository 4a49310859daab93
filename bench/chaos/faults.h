// The chaos run's provider faults, injected through the sandbox's control endpoints while the
// callers run: every `period`, on a random provider, one of a 503 burst or a connection dropped
// before processing (the money path, /_sandbox/faults), a reply lost after processing at once
// or after the gateway's provider timeout (the sandbox's send_faults, so the send ledger knows
// the gateway never got it), a latency spike on the money path (below the timeout) or on
// reads (beyond it), a dropped read reply, or a Monato token revocation. (Duplicated and
// reordered webhooks are the sandbox's own, set at its start; the gateway kills are the
// runner's.)
#ifndef BENCH_CHAOS_FAULTS_H_
#define BENCH_CHAOS_FAULTS_H_

#include <cstdint>
#include <map>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "bench/chaos/environment.h"

namespace chaos {

class FaultInjector {
 public:
  // `timeout_ms`: the gateway's provider timeout. Latency on the money path stays well below
  // it (a reply the gateway gave up on must be one the ledger knows was lost).
  // `unseen_drops`: that many of the lost replies are dropped by the server's fault plan
  // instead, which the send ledger cannot see; a second transfer after one counts as
  // unjustified, so a run with them must fail (proof that the check can).
  // `slow_reads`: read latency spikes go beyond the timeout (else they stay well below it);
  // today they burn the caller's key when they hit a lookup before the money-moving call
  // (tests/chaos/lookup_timeout_test.cc).
  FaultInjector(Environment* env, absl::Duration period, int timeout_ms, uint32_t seed,
                int unseen_drops = 0, bool slow_reads = true);
  ~FaultInjector();  // Stop()

  void Start();
  // Stops injecting and clears every fault plan (webhook faults stay).
  void Stop();
  // Injected faults by kind, and "control_errors" for control calls that failed.
  std::map<std::string, int64_t> counts() const;

 private:
  void Loop();
  void InjectOne(uint32_t roll);

  Environment* const env_;
  const absl::Duration period_;
  const int timeout_ms_;
  int unseen_drops_;
  const bool slow_reads_;
  uint32_t state_;
  absl::Notification stop_;
  std::thread thread_;
  mutable absl::Mutex mu_;
  std::map<std::string, int64_t> counts_ ABSL_GUARDED_BY(mu_);
};

}  // namespace chaos

#endif  // BENCH_CHAOS_FAULTS_H_
