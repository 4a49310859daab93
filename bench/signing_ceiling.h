// Scenario 2: the machine's own RS256 signing rate over the Fintoc JWS key, measured
// in the same run as the payouts. Every Fintoc transfer needs one signature, so this rate is
// the ceiling for Fintoc payouts through the gateway.
#ifndef BENCH_SIGNING_CEILING_H_
#define BENCH_SIGNING_CEILING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace bench {

// Signatures per second with `threads` threads signing a transfer-sized body for `duration`,
// through the gateway's own JwsSigner (same key, same code path, fresh nonce each time).
absl::StatusOr<double> SignaturesPerSecond(const std::string& key_path, int threads,
                                           absl::Duration duration);

}  // namespace bench

#endif  // BENCH_SIGNING_CEILING_H_
