#include "bench/load_driver.h"

#include <atomic>
#include <memory>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace bench {
namespace {

// Shared with the calls' callbacks, which may outlive DriveLoad's frame by a moment.
struct Run {
  LoadPlan plan;
  StartCall start;
  LoadReport* report = nullptr;
  absl::Time until;
  std::atomic<int64_t> next{0};
  absl::Mutex mu;
  int in_flight ABSL_GUARDED_BY(mu) = 0;

  bool MoreCalls() const { return plan.max_calls == 0 || next.load() < plan.max_calls; }

  static void StartOne(const std::shared_ptr<Run>& run, bool chain) {
    const int64_t n = run->next++;
    {
      absl::MutexLock lock(&run->mu);
      ++run->in_flight;
    }
    const absl::Time started = absl::Now();
    run->start(n, [run, chain, started](const std::string& label, grpc::StatusCode code) {
      run->report->Record(label, code, absl::Now() - started);
      if (chain && absl::Now() < run->until && run->MoreCalls()) StartOne(run, /*chain=*/true);
      absl::MutexLock lock(&run->mu);
      --run->in_flight;
    });
  }
};

}  // namespace

LoadResult DriveLoad(const LoadPlan& plan, const StartCall& start, LoadReport* report) {
  auto run = std::make_shared<Run>();
  run->plan = plan;
  run->start = start;
  run->report = report;
  const absl::Time begin = absl::Now();
  run->until = begin + plan.duration;
  const int concurrency = std::max(1, plan.concurrency);
  LoadResult result;
  if (plan.rate <= 0) {
    for (int i = 0; i < concurrency && run->MoreCalls(); ++i) Run::StartOne(run, /*chain=*/true);
  } else {
    for (int64_t slot = 0;; ++slot) {
      const absl::Time at = begin + absl::Seconds(static_cast<double>(slot) / plan.rate);
      if (at >= run->until || !run->MoreCalls()) break;
      absl::SleepFor(at - absl::Now());
      bool full;
      {
        absl::MutexLock lock(&run->mu);
        full = run->in_flight >= concurrency;
      }
      if (full) {
        ++result.missed_slots;
        continue;
      }
      Run::StartOne(run, /*chain=*/false);
    }
  }
  absl::MutexLock lock(&run->mu);
  run->mu.Await(absl::Condition(
      +[](Run* r) ABSL_NO_THREAD_SAFETY_ANALYSIS { return r->in_flight == 0; }, run.get()));
  result.elapsed = absl::Now() - begin;
  return result;
}

}  // namespace bench
