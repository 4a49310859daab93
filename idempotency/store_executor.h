// Runs blocking store calls on the executor's own threads, so that no gRPC or Asio thread ever
// waits on the disk or the database. Callbacks run on the store thread that did the work; they
// must hand off quickly (they usually start an asynchronous provider call and return).
//
// Transactions: with a store that supports batches, each piece of work (often several store
// calls: a payout's record, its log entry and its answer) runs as one transaction, and its
// callback runs only after the commit. With one thread (SQLite) the work queued while the
// thread was busy shares that transaction (group commit: one disk flush for all of it); with
// several (PostgreSQL, one connection each) every piece of work has its own. A claim is
// therefore durable before its caller goes on to the provider.
#ifndef IDEMPOTENCY_STORE_EXECUTOR_H_
#define IDEMPOTENCY_STORE_EXECUTOR_H_

#include <deque>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "idempotency/gateway_store.h"

namespace idempotency {

class StoreExecutor {
 public:
  // `threads`: 1 for SQLite (one connection), the connection pool size for PostgreSQL.
  StoreExecutor(GatewayStore* store, int threads);
  ~StoreExecutor();  // Shutdown()

  // Finishes queued work (and whatever that work queues in turn), then joins the threads.
  // Work posted afterwards is dropped unrun, so a late callback during a process's shutdown
  // cannot reach objects already gone. Call it before destroying what queued callbacks use.
  void Shutdown();

  // Runs `work(store)` on a store thread, then `done(result)` on the same thread once the
  // result is durable (after the batch's commit; a failed commit is `done`'s error instead).
  // `work` may take just the part of the store it uses (a ClaimStore&, PayoutStore&, ...).
  template <typename T>
  void Run(absl::AnyInvocable<absl::StatusOr<T>(GatewayStore&)> work,
           absl::AnyInvocable<void(absl::StatusOr<T>)> done) {
    auto result = std::make_shared<absl::StatusOr<T>>(absl::UnknownError("not run"));
    Post(Task{[this, work = std::move(work), result]() mutable { *result = work(*store_); },
              [done = std::move(done), result](const absl::Status& committed) mutable {
                if (committed.ok()) {
                  done(std::move(*result));
                } else {
                  done(committed);
                }
              }});
  }

  int64_t queued() const;

  // At most this many calls share one commit.
  static constexpr size_t kMaxBatch = 64;

 private:
  struct Task {
    absl::AnyInvocable<void()> work;
    absl::AnyInvocable<void(const absl::Status& committed)> deliver;
  };
  void Post(Task task);
  void Loop();
  void RunBatch(std::vector<Task>& batch);

  GatewayStore* store_;
  const bool batching_;
  const size_t max_batch_;
  mutable absl::Mutex mu_;
  std::deque<Task> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool joined_ ABSL_GUARDED_BY(mu_) = false;  // Shutdown finished: Post drops work
  std::vector<std::thread> threads_;
};

}  // namespace idempotency

#endif  // IDEMPOTENCY_STORE_EXECUTOR_H_
