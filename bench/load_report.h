// What the load generator reports: latencies and errors of its calls, and samples of the
// gateway (its /metrics counters, peak RSS and CPU seconds from /proc) taken before and after.
#ifndef BENCH_LOAD_REPORT_H_
#define BENCH_LOAD_REPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <grpcpp/support/status.h>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace bench {

class LoadReport {
 public:
  void Record(const std::string& provider, grpc::StatusCode code, absl::Duration latency);
  int64_t ok() const;
  int64_t ok(const std::string& provider) const;
  int64_t errors() const;
  // The q-quantile (0.5, 0.99, ...) of `provider`'s successful calls; zero when there are none.
  absl::Duration Percentile(const std::string& provider, double q) const;
  // Throughput, p50/p90/p99/max of successful calls, per provider and overall, and errors by
  // gRPC code.
  std::string Summary(absl::Duration elapsed) const;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, std::vector<int64_t>> latencies_us_ ABSL_GUARDED_BY(mu_);  // ok calls
  std::map<std::string, int64_t> errors_ ABSL_GUARDED_BY(mu_);  // "provider CODE" -> count
};

// One gateway's, or several replicas' summed: counters and histogram sums add up, so means and
// per-payout figures stay right over replicas.
struct GatewaySample {
  std::map<std::string, double> series;  // "name{labels}" -> value, from /metrics
  int64_t peak_rss_kib = -1;             // VmHWM (summed over replicas)
  double cpu_seconds = -1;               // utime + stime (summed over replicas)
  int processes = 0;                     // how many gateways' /proc counters are in it
};

// Empty parts when `admin` is "" or `pid` is 0.
GatewaySample SampleGateway(const std::string& admin, int pid);
// Every replica's sample, summed: `admins` and `pids` are parallel (either may be empty).
GatewaySample SampleGateways(const std::vector<std::string>& admins, const std::vector<int>& pids);

// How much the series whose names start with `prefix` moved, summed (e.g. every label set of
// "gateway_provider_token_refreshes_total{provider=\"monato\"").
double SeriesDelta(const GatewaySample& before, const GatewaySample& after,
                   const std::string& prefix);

// The counters that moved (token fetches, JWS signatures, TLS handshakes, idempotency claims,
// payouts, ...), the peak RSS, and CPU seconds per successful payout.
std::string GatewayDelta(const GatewaySample& before, const GatewaySample& after, int64_t payouts);

}  // namespace bench

#endif  // BENCH_LOAD_REPORT_H_
