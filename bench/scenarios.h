// The benchmark scenarios, each measured within one run and printed with its ratio or count and
// whether the target is met. scripts/run.sh --bench --scenario=N starts the sandbox and the
// gateway and passes the settings below (BENCHMARKS.md has the commands and the figures).
#ifndef BENCH_SCENARIOS_H_
#define BENCH_SCENARIOS_H_

#include <string>
#include <vector>

#include "bench/load_driver.h"

namespace bench {

struct BenchSetup {
  // The gateway, or several replicas on one store: calls are spread round-robin over `addrs`,
  // and their counters (/metrics at `admins`, /proc of `gateway_pids`) summed.
  std::vector<std::string> addrs;
  std::string token;  // caller token, if the gateway needs one
  std::vector<std::string> admins;
  std::vector<int> gateway_pids;
  int channels = 4;  // per gateway
  LoadPlan plan;     // concurrency, duration, rate, payouts from the flags
  // Paced latency phases (scenario 1: direct and gateway at each rate; a plain run: the
  // gateway at each); `half_peak`: a closed-loop peak first, then half of it, paced.
  std::vector<double> fixed_rates;
  bool half_peak = false;
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

// A plain run: the plan against the gateway with the mix; report and gateway counters. With
// `half_peak`, a closed-loop peak first and then half of it, paced.
int RunPlain(const BenchSetup& setup);
// 1: Monato through the gateway versus the same money_out sent straight to the sandbox: the
// throughput ratio at peak (closed loop) and the added p50/p90/p99 (gateway minus direct) at
// each fixed rate and at half the gateway's peak. With fixed rates only, no peak is run.
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
