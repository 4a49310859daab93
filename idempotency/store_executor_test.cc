// The executor's shutdown contract: queued work (and work it queues) finishes; later work is
// dropped unrun instead of reaching objects that are being destroyed.
#include "idempotency/store_executor.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "idempotency/memory_store.h"

namespace idempotency {
namespace {

absl::StatusOr<bool> NoStoreWork(IdempotencyStore&) { return true; }

TEST(StoreExecutorTest, ShutdownFinishesQueuedWorkAndWhatItQueues) {
  MemoryStore store;
  StoreExecutor executor(&store, 1);
  absl::Notification release;
  std::atomic<int> ran{0};
  // The first task holds the thread, so the rest are still queued when Shutdown starts.
  executor.Run<bool>(
      [&](IdempotencyStore&) -> absl::StatusOr<bool> {
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

}  // namespace
}  // namespace idempotency
