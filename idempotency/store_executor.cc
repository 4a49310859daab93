#include "idempotency/store_executor.h"

#include <algorithm>

namespace idempotency {

StoreExecutor::StoreExecutor(IdempotencyStore* store, int threads) : store_(store) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Loop(); });
}

StoreExecutor::~StoreExecutor() { Shutdown(); }

void StoreExecutor::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  for (auto& thread : threads_) thread.join();
  absl::MutexLock lock(&mu_);
  joined_ = true;
}

void StoreExecutor::Post(absl::AnyInvocable<void()> task) {
  {
    absl::MutexLock lock(&mu_);
    if (!joined_) {
      tasks_.push_back(std::move(task));
      return;
    }
  }
  // After Shutdown: dropped unrun, destroyed here outside the lock.
}

int64_t StoreExecutor::queued() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(tasks_.size());
}

void StoreExecutor::Loop() {
  while (true) {
    absl::AnyInvocable<void()> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](StoreExecutor* self)
               ABSL_NO_THREAD_SAFETY_ANALYSIS { return self->stopping_ || !self->tasks_.empty(); },
          this));
      if (tasks_.empty()) return;  // stopping and drained
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

}  // namespace idempotency
