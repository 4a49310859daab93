// Reads what the checker compares: every transfer and send the sandbox recorded
// (GET /_sandbox/transfers and /_sandbox/sends on both ports) and every payout the gateway
// recorded (ListPayouts over gRPC, all pages).
#ifndef BENCH_CHAOS_COLLECT_H_
#define BENCH_CHAOS_COLLECT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "bench/chaos/checker.h"
#include "bench/chaos/environment.h"

namespace chaos {

// Fills input->transfers, key_sends and body_sends (money-outs and outbound transfers only).
absl::Status CollectSandbox(Environment& env, CheckInput* input);

// Fills input->payouts.
absl::Status CollectGateway(const std::string& address, CheckInput* input);

}  // namespace chaos

#endif  // BENCH_CHAOS_COLLECT_H_
