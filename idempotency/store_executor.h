// Runs blocking store calls on the executor's own threads, so that no gRPC or Asio thread ever
// waits on the disk or the database. Callbacks run on the store thread that did the work; they
// must hand off quickly (they usually start an asynchronous provider call and return).
#ifndef IDEMPOTENCY_STORE_EXECUTOR_H_
#define IDEMPOTENCY_STORE_EXECUTOR_H_

#include <deque>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "idempotency/idempotency_store.h"

namespace idempotency {

class StoreExecutor {
 public:
  // `threads`: 1 for SQLite (one connection), the connection pool size for PostgreSQL.
  StoreExecutor(IdempotencyStore* store, int threads);
  ~StoreExecutor();  // Shutdown()

  // Finishes queued work (and whatever that work queues in turn), then joins the threads.
  // Work posted afterwards is dropped unrun, so a late callback during a process's shutdown
  // cannot reach objects already gone. Call it before destroying what queued callbacks use.
  void Shutdown();

  // Runs `work(store)` on a store thread, then `done(result)` on the same thread.
  template <typename T>
  void Run(absl::AnyInvocable<absl::StatusOr<T>(IdempotencyStore&)> work,
           absl::AnyInvocable<void(absl::StatusOr<T>)> done) {
    Post([this, work = std::move(work), done = std::move(done)]() mutable { done(work(*store_)); });
  }

  int64_t queued() const;

 private:
  void Post(absl::AnyInvocable<void()> task);
  void Loop();

  IdempotencyStore* store_;
  mutable absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool joined_ ABSL_GUARDED_BY(mu_) = false;  // Shutdown finished: Post drops work
  std::vector<std::thread> threads_;
};

}  // namespace idempotency

#endif  // IDEMPOTENCY_STORE_EXECUTOR_H_
