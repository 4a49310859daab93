#include "sandbox/common/scheduler.h"

#include <algorithm>

#include "absl/time/clock.h"

namespace sandbox {

Scheduler::Scheduler(int threads) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Work(); });
}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::RunAfter(absl::Duration delay, std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  if (stopping_) return;
  tasks_.emplace(
      std::make_pair(absl::Now() + std::max(delay, absl::ZeroDuration()), next_sequence_++),
      std::move(task));
  wake_.SignalAll();
}

void Scheduler::Stop() {
  std::map<std::pair<absl::Time, int64_t>, std::function<void()>> dropped;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    dropped.swap(tasks_);
    wake_.SignalAll();
  }
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
  // `dropped` is destroyed here, outside the lock: tasks may own objects whose destructors
  // take other locks.
}

int64_t Scheduler::pending() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(tasks_.size()) + running_;
}

void Scheduler::Work() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    if (tasks_.empty()) {
      wake_.Wait(&mu_);
      continue;
    }
    const absl::Time due = tasks_.begin()->first.first;
    if (due > absl::Now()) {
      // RunAfter and Stop signal, so an earlier task or a stop cuts this wait short.
      wake_.WaitWithDeadline(&mu_, due);
      continue;
    }
    std::function<void()> task = std::move(tasks_.begin()->second);
    tasks_.erase(tasks_.begin());
    ++running_;
    mu_.Unlock();
    task();
    task = nullptr;  // destroy the captures outside the lock too
    mu_.Lock();
    --running_;
  }
}

}  // namespace sandbox
