// The benchmark scenarios, each measured within one run and printed with its ratio or count and
// whether the target is met. scripts/run.sh --bench --scenario=N starts the sandbox and the
// gateway and passes the settings below (BENCHMARKS.md has the commands and the figures).
#ifndef BENCH_SCENARIOS_H_
#define BENCH_SCENARIOS_H_

#include <string>

#include "bench/load_driver.h"

namespace bench {

struct BenchSetup {
  std::string addr;   // the gateway's gRPC address
  std::string token;  // caller token, if the gateway needs one
  std::string admin;  // the gateway's admin address, for /metrics
  int gateway_pid = 0;
  int channels = 4;
  LoadPlan plan;  // concurrency, duration, rate, payouts from the flags
  std::string mix = "monato:1,fintoc:1";
  // The sandbox, for the direct baseline and the control endpoints.
  std::string monato_url;
  std::string fintoc_url;
  std::string sandbox_ca;
  std::string monato_client_id;
  std::string monato_api_key;
  std::string monato_client_secret;
  std::string fintoc_jws_key;  // PEM path: scenario 2's sign-only loop
  int sign_threads = 2;
  int pool_size = 8;  // the gateway's max_connections per provider (scenario 4's bound)
};

// A plain run: the plan against the gateway with the mix; report and gateway counters.
int RunPlain(const BenchSetup& setup);
// 1: Monato through the gateway versus the same money_out sent straight to the sandbox; the
// throughput ratio at peak (closed loop), then the added p50/p99 at half the gateway's peak.
int RunDirectComparison(const BenchSetup& setup);
// 2: Fintoc through the gateway versus a sign-only loop over the same key on as many threads.
int RunSigningCeiling(const BenchSetup& setup);
// 3: Monato's tokens revoked, then `setup.plan.concurrency` payouts at once: token fetches.
int RunTokenExpiryBurst(const BenchSetup& setup);
// 4: `setup.plan.max_calls` payouts: TLS handshakes per provider against the pool size.
int RunHandshakeCount(const BenchSetup& setup);
// 5: both sandboxes answer after 200 ms; `setup.plan.concurrency` payouts in flight: peak RSS.
int RunMemoryUnderLatency(const BenchSetup& setup);

}  // namespace bench

#endif  // BENCH_SCENARIOS_H_
