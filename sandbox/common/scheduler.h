// Runs tasks after a delay on its own worker threads: settlement timers, slow money_out
// processing, webhook deliveries and their retries. Keeps all of that off the HTTP server's
// threads. Delays are real (steady enough for a sandbox) time, not a Clock.
#ifndef SANDBOX_COMMON_SCHEDULER_H_
#define SANDBOX_COMMON_SCHEDULER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <thread>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace sandbox {

class Scheduler {
 public:
  explicit Scheduler(int threads = 1);
  ~Scheduler();  // Stop()
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Runs `task` once, on a worker thread, no sooner than `delay` from now. Tasks due at the
  // same time run in the order they were added (with one thread). Ignored after Stop().
  void RunAfter(absl::Duration delay, std::function<void()> task);

  // Waits for the running tasks, drops the rest, joins the threads. Idempotent.
  void Stop();

  // Tasks added and not yet finished.
  int64_t pending() const;

 private:
  void Work();

  mutable absl::Mutex mu_;
  absl::CondVar wake_;
  // (due time, sequence) -> task; the sequence keeps equal due times in FIFO order.
  std::map<std::pair<absl::Time, int64_t>, std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  int64_t next_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t running_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace sandbox

#endif  // SANDBOX_COMMON_SCHEDULER_H_
