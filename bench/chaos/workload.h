// The chaos run's callers: `payouts` CreatePayout jobs over both providers through the real
// gateway, `concurrency` at a time (bench's load driver), each retried with its key until a
// definite answer (UNAVAILABLE, ABORTED, DEADLINE_EXCEEDED, ... are "ask again", as a careful
// client does while the gateway is killed and restarted). A share of the jobs is re-sent with
// the same key once answered, or sent twice at once; both answers must agree.
#ifndef BENCH_CHAOS_WORKLOAD_H_
#define BENCH_CHAOS_WORKLOAD_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bench/chaos/checker.h"
#include "bench/load_report.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"

namespace chaos {

struct WorkloadOptions {
  int64_t payouts = 10000;
  int concurrency = 32;
  int resend_percent = 30;             // of jobs: re-sent with the same key
  int concurrent_resend_percent = 50;  // of those: both sends at once instead of one after another
  int rejected_percent = 5;            // of jobs: to the provider's "rejected" test CLABE
  absl::Duration give_up = absl::Minutes(5);  // per job, retries included
  std::string run_id;                         // makes keys unique per run
};

class Workload {
 public:
  // `accounts`: the gateway's source account per provider ("monato", "fintoc").
  Workload(const std::string& address, std::map<std::string, std::string> accounts,
           WorkloadOptions options);

  // Runs every job; `on_done(n)` after each finished job (n = jobs finished so far), on the
  // job's thread.
  void Run(const std::function<void(int64_t)>& on_done);

  std::vector<Job> jobs() const;
  const bench::LoadReport& report() const { return report_; }
  absl::Duration elapsed() const { return elapsed_; }

 private:
  struct Answer {
    bool definite = false;
    std::string code;
    std::string payout_id;
  };
  payments::v1::CreatePayoutRequest RequestFor(int64_t n, Job* job) const;
  void RunJob(int64_t n);
  Answer SendUntilAnswered(const payments::v1::CreatePayoutRequest& request, int64_t n,
                           absl::Time give_up);

  const std::map<std::string, std::string> accounts_;
  const WorkloadOptions options_;
  std::vector<std::unique_ptr<payments::v1::PayoutService::Stub>> stubs_;
  mutable absl::Mutex mu_;
  std::vector<Job> jobs_ ABSL_GUARDED_BY(mu_);
  std::atomic<int64_t> done_{0};
  bench::LoadReport report_;
  absl::Duration elapsed_;
};

}  // namespace chaos

#endif  // BENCH_CHAOS_WORKLOAD_H_
