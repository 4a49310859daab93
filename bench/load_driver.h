// Drives calls for a load run: a closed loop (`concurrency` calls always in flight) or paced
// (`rate` calls started per second, at most `concurrency` in flight; a slot missed at the limit
// is counted, not made up later), for a duration or a number of calls. What a call is (a gRPC
// CreatePayout to the gateway, a money_out straight to the sandbox) is the caller's.
#ifndef BENCH_LOAD_DRIVER_H_
#define BENCH_LOAD_DRIVER_H_

#include <cstdint>
#include <functional>
#include <string>

#include <grpcpp/support/status.h>

#include "absl/time/time.h"
#include "bench/load_report.h"

namespace bench {

struct LoadPlan {
  absl::Duration duration = absl::Seconds(10);
  int64_t max_calls = 0;  // 0: the duration decides
  int concurrency = 16;
  double rate = 0;  // calls per second; 0: closed loop
};

// Answers one call: its label in the report (a provider, "monato-direct") and its outcome.
using CallFinished = std::function<void(const std::string& label, grpc::StatusCode code)>;
// Starts call number `n`; `finished` must run exactly once, on any thread.
using StartCall = std::function<void(int64_t n, CallFinished finished)>;

struct LoadResult {
  absl::Duration elapsed;
  int64_t missed_slots = 0;
};

// Runs the plan, records every call's latency and outcome in `report`, and returns when every
// call has answered.
LoadResult DriveLoad(const LoadPlan& plan, const StartCall& start, LoadReport* report);

}  // namespace bench

#endif  // BENCH_LOAD_DRIVER_H_
