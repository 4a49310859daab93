// Scenario 2: the machine's own RS256 signing rate over the Fintoc JWS key, measured
// in the same run as the payouts. Every Fintoc transfer needs one signature, so this rate is
// the ceiling for Fintoc payouts through the gateway.
#ifndef BENCH_SIGNING_CEILING_H_
#define BENCH_SIGNING_CEILING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace bench {

struct SigningCeiling {
  double per_second = 0;  // signatures per second of wall time, all threads together
  // CPU time per signature, from the signing threads' own clocks: steadier than the rate on a
  // shared machine, and what issue 15's target for a Fintoc payout is stated against.
  absl::Duration cpu_per_signature;
};

// `threads` threads signing a transfer-sized body for `duration`, through the gateway's own
// JwsSigner (same key, same code path, fresh nonce each time).
absl::StatusOr<SigningCeiling> SignaturesPerSecond(const std::string& key_path, int threads,
                                                   absl::Duration duration);

}  // namespace bench

#endif  // BENCH_SIGNING_CEILING_H_
