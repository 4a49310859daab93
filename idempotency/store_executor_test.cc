// The executor's shutdown contract: queued work (and work it queues) finishes; later work is
// dropped unrun instead of reaching objects that are being destroyed.
#include "idempotency/store_executor.h"

#include <atomic>
#include <utility>
#include <vector>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "idempotency/memory_store.h"

namespace idempotency {
namespace {

absl::StatusOr<bool> NoStoreWork(GatewayStore&) { return true; }

TEST(StoreExecutorTest, ShutdownFinishesQueuedWorkAndWhatItQueues) {
  MemoryStore store;
  StoreExecutor executor(&store, 1);
  absl::Notification release;
  std::atomic<int> ran{0};
  // The first task holds the thread, so the rest are still queued when Shutdown starts.
  executor.Run<bool>(
      [&](GatewayStore&) -> absl::StatusOr<bool> {
        release.WaitForNotification();
        return true;
      },
      [&](absl::StatusOr<bool>) { ++ran; });
  for (int i = 0; i < 5; ++i) {
    executor.Run<bool>(NoStoreWork, [&](absl::StatusOr<bool>) {
      ++ran;
      executor.Run<bool>(NoStoreWork, [&](absl::StatusOr<bool>) { ++ran; });  // a follow-up
    });
  }
  release.Notify();
  executor.Shutdown();
  EXPECT_EQ(ran.load(), 1 + 5 + 5);
}

// Work names only the part of the store it uses; the executor hands it the whole store.
TEST(StoreExecutorTest, WorkMayTakeOnePartOfTheStore) {
  MemoryStore store;
  StoreExecutor executor(&store, 1);
  payments::v1::PayoutEvent event;
  event.set_caller("billing");
  executor.Run<int64_t>([event](PayoutEventLog& log) { return log.AppendPayoutEvent(event); },
                        [](absl::StatusOr<int64_t>) {});
  absl::Notification read;
  absl::StatusOr<std::vector<std::pair<int64_t, payments::v1::PayoutEvent>>> events;
  executor.Run<std::vector<std::pair<int64_t, payments::v1::PayoutEvent>>>(
      [](PayoutEventLog& log) { return log.EventsAfter(0, 10); },
      [&](auto result) {
        events = std::move(result);
        read.Notify();
      });
  read.WaitForNotification();
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].second.caller(), "billing");
}

TEST(StoreExecutorTest, WorkPostedAfterShutdownIsDroppedUnrun) {
  MemoryStore store;
  StoreExecutor executor(&store, 2);
  executor.Shutdown();
  executor.Shutdown();  // idempotent
  bool ran = false;
  auto witness = std::make_shared<int>(0);
  executor.Run<bool>(NoStoreWork, [&ran, witness](absl::StatusOr<bool>) { ran = true; });
  EXPECT_FALSE(ran);
  EXPECT_EQ(witness.use_count(), 1);  // the callback was destroyed, not kept for later
  EXPECT_EQ(executor.queued(), 0);
}

// A store that only records batches; the tasks below do their "work" without calling it.
class BatchRecordingStore final : public GatewayStore {
 public:
  absl::Status commit_result = absl::OkStatus();
  std::atomic<int> begun{0}, committed{0};

  bool SupportsBatches() const override { return true; }
  absl::Status BeginBatch() override {
    ++begun;
    return absl::OkStatus();
  }
  absl::Status CommitBatch() override {
    ++committed;
    return commit_result;
  }

#define UNUSED_CALL(...) \
  __VA_ARGS__ override { return absl::UnimplementedError("not in this test"); }
  UNUSED_CALL(absl::StatusOr<ClaimResult> Claim(const ClaimRequest&, absl::Time))
  UNUSED_CALL(absl::Status Complete(const RecordKey&, const std::string&, const IdempotencyRecord&))
  UNUSED_CALL(absl::Status Release(const RecordKey&, const std::string&))
  UNUSED_CALL(absl::StatusOr<std::vector<IdempotencyRecord>> Abandoned(absl::Time, int))
  UNUSED_CALL(absl::StatusOr<int64_t> SweepExpired(absl::Time))
  UNUSED_CALL(absl::StatusOr<LimitUsage> SpendUsage(const SpendQuery&, absl::Time))
  UNUSED_CALL(absl::Status SavePayout(const StoredPayout&))
  UNUSED_CALL(absl::StatusOr<absl::optional<payments::v1::Payout>> GetPayout(const std::string&,
                                                                             const std::string&))
  UNUSED_CALL(absl::StatusOr<std::vector<payments::v1::Payout>> ListPayouts(const PayoutQuery&))
  UNUSED_CALL(absl::StatusOr<absl::optional<StoredPayout>> FindPayoutByProviderRef(
      payments::v1::Provider, const std::string&, const std::string&))
  UNUSED_CALL(absl::StatusOr<int64_t> AppendPayoutEvent(const payments::v1::PayoutEvent&))
  UNUSED_CALL(absl::StatusOr<std::vector<std::pair<int64_t, payments::v1::PayoutEvent>>>
                  EventsAfter(int64_t, int))
  UNUSED_CALL(absl::StatusOr<int64_t> SweepEvents(absl::Time))
  UNUSED_CALL(absl::Status SaveReceived(const payments::v1::ReceivedTransaction&))
  UNUSED_CALL(absl::StatusOr<std::vector<payments::v1::ReceivedTransaction>> ListReceived(
      payments::v1::Provider, const std::string&, int))
  UNUSED_CALL(absl::StatusOr<absl::optional<payments::v1::ReceivedTransaction>> GetReceived(
      const std::string&))
  UNUSED_CALL(absl::StatusOr<std::vector<StoredPayout>> PayoutsDueForResolve(absl::Time, absl::Time,
                                                                             int))
  UNUSED_CALL(absl::Status ScheduleResolve(const std::string&, const std::string&, int, absl::Time))
  UNUSED_CALL(absl::StatusOr<PayoutWindowPage> PayoutsCreatedWithin(const PayoutWindowQuery&))
  UNUSED_CALL(absl::StatusOr<bool> TryTakeLease(const std::string&, const std::string&, absl::Time,
                                                absl::Duration))
#undef UNUSED_CALL
};

// Queues `count` calls behind one that holds the store thread, then lets them all run.
std::vector<absl::Status> RunQueuedBehindABlocker(StoreExecutor& executor, int count) {
  absl::Notification release;
  absl::Mutex mu;
  std::vector<absl::Status> answers;
  absl::BlockingCounter answered(count + 1);
  executor.Run<bool>(
      [&](GatewayStore&) -> absl::StatusOr<bool> {
        release.WaitForNotification();
        return true;
      },
      [&](absl::StatusOr<bool>) { answered.DecrementCount(); });
  for (int i = 0; i < count; ++i) {
    executor.Run<bool>(NoStoreWork, [&](absl::StatusOr<bool> result) {
      {
        absl::MutexLock lock(&mu);
        answers.push_back(result.status());
      }
      answered.DecrementCount();  // last: the waiting test may return (and free `mu`) at once
    });
  }
  release.Notify();
  answered.Wait();
  return answers;
}

TEST(StoreExecutorTest, CallsQueuedTogetherShareOneCommit) {
  BatchRecordingStore store;
  StoreExecutor executor(&store, 1);
  const auto answers = RunQueuedBehindABlocker(executor, 10);
  ASSERT_EQ(answers.size(), 10u);
  for (const absl::Status& answer : answers) EXPECT_TRUE(answer.ok()) << answer;
  // The blocker's batch (which may have caught some of the 10 before it started) and one for
  // everything that waited behind it: never a commit per call.
  EXPECT_GE(store.committed.load(), 1);
  EXPECT_LE(store.committed.load(), 2);
  EXPECT_EQ(store.begun.load(), store.committed.load());
}

TEST(StoreExecutorTest, ALoneCallIsItsOwnTransactionToo) {
  BatchRecordingStore store;
  StoreExecutor executor(&store, 1);
  absl::Notification done;
  executor.Run<bool>(NoStoreWork, [&](absl::StatusOr<bool>) { done.Notify(); });
  done.WaitForNotification();
  EXPECT_EQ(store.begun.load(), 1);
  EXPECT_EQ(store.committed.load(), 1);
}

TEST(StoreExecutorTest, AFailedCommitIsEveryBatchedCallersError) {
  BatchRecordingStore store;
  store.commit_result = absl::UnavailableError("disk full");
  StoreExecutor executor(&store, 1);
  const auto answers = RunQueuedBehindABlocker(executor, 5);
  ASSERT_EQ(answers.size(), 5u);
  for (const absl::Status& answer : answers) {
    EXPECT_EQ(answer.code(), absl::StatusCode::kUnavailable);  // not the work's "true"
  }
}

TEST(StoreExecutorTest, SeveralThreadsGiveEachTaskATransactionOfItsOwn) {
  BatchRecordingStore store;  // one connection per thread (PostgreSQL)
  StoreExecutor executor(&store, 2);
  RunQueuedBehindABlocker(executor, 10);
  EXPECT_EQ(store.begun.load(), 11);  // the blocker and the 10: never two tasks in one
  EXPECT_EQ(store.committed.load(), 11);
}

}  // namespace
}  // namespace idempotency
