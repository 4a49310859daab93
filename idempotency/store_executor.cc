#include "idempotency/store_executor.h"

#include <algorithm>

namespace idempotency {

StoreExecutor::StoreExecutor(GatewayStore* store, int threads)
    : store_(store),
      batching_(store->SupportsBatches()),
      // Several threads (one connection each): a transaction per task, never several tasks
      // in one, whose row locks could then wait on each other across threads.
      max_batch_(threads <= 1 ? kMaxBatch : 1) {
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

void StoreExecutor::Post(Task task) {
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
  std::vector<Task> batch;
  while (true) {
    batch.clear();
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](StoreExecutor* self)
               ABSL_NO_THREAD_SAFETY_ANALYSIS { return self->stopping_ || !self->tasks_.empty(); },
          this));
      if (tasks_.empty()) return;  // stopping and drained
      // Everything queued while this thread was busy (up to kMaxBatch) shares one commit.
      const size_t take = batching_ ? std::min(tasks_.size(), max_batch_) : 1;
      for (size_t i = 0; i < take; ++i) {
        batch.push_back(std::move(tasks_.front()));
        tasks_.pop_front();
      }
    }
    if (!batching_) {
      batch[0].work();  // the store's own transactions are its commits
      batch[0].deliver(absl::OkStatus());
      continue;
    }
    // Even a lone task runs as one transaction: its several calls (a payout's record, its log
    // entry and its answer) are then all or nothing, and cost one disk flush, not one each.
    RunBatch(batch);
  }
}

void StoreExecutor::RunBatch(std::vector<Task>& batch) {
  if (!store_->BeginBatch().ok()) {
    for (Task& task : batch) {  // no batch today: each call commits on its own
      task.work();
      task.deliver(absl::OkStatus());
    }
    return;
  }
  size_t ran = 0;
  // A call whose error cost the store its transaction ends the batch there.
  while (ran < batch.size() && (ran == 0 || store_->BatchOpen())) batch[ran++].work();
  const absl::Status committed = store_->CommitBatch();
  if (ran < batch.size()) {
    absl::MutexLock lock(&mu_);
    for (size_t i = batch.size(); i-- > ran;) tasks_.push_front(std::move(batch[i]));
  }
  // Callers hear back only now, when what they asked for is durable (or known lost).
  for (size_t i = 0; i < ran; ++i) batch[i].deliver(committed);
}

}  // namespace idempotency
