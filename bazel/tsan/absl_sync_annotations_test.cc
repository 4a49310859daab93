// Hand-offs through absl synchronization that ThreadSanitizer must accept once
// bazel/tsan:absl_sync_annotations is linked (scripts/sanitize.sh tsan), and one race it must
// still report. Without the annotations every "Passes" case below stops TSan with a false data
// race report (docs/testing.md, "Sanitizers"); in the normal build they are plain checks.
#include <atomic>
#include <cstdlib>
#include <thread>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace {

// Plain (non-atomic) data handed from one thread to another.
struct Shared {
  absl::Mutex mu;
  int value = 0;  // guarded by mu where a test says so
};

TEST(AbslSyncAnnotationsTest, LockUnlockPasses) {
  Shared s;
  std::thread writer([&] {
    absl::MutexLock lock(&s.mu);
    s.value = 1;
  });
  writer.detach();  // no join: its happens-before edge would hide a missing annotation
  for (;;) {
    absl::MutexLock lock(&s.mu);
    if (s.value == 1) break;
  }
  absl::MutexLock lock(&s.mu);
  EXPECT_EQ(s.value, 1);
}

TEST(AbslSyncAnnotationsTest, TryLockAndReaderLockPass) {
  Shared s;
  std::thread writer([&] {
    while (!s.mu.TryLock()) {
    }
    s.value = 2;
    s.mu.Unlock();
  });
  writer.detach();
  for (;;) {
    absl::ReaderMutexLock lock(&s.mu);
    if (s.value == 2) break;
  }
  while (!s.mu.ReaderTryLock()) {
  }
  EXPECT_EQ(s.value, 2);
  s.mu.ReaderUnlock();
}

TEST(AbslSyncAnnotationsTest, AwaitAndLockWhenPass) {
  Shared s;
  int payload = 0;  // written before the hand-off, read after it, never under the lock
  std::thread writer([&] {
    payload = 7;
    absl::MutexLock lock(&s.mu);
    s.value = 1;
  });
  writer.detach();
  {
    absl::MutexLock lock(&s.mu);
    s.mu.Await(absl::Condition(
        +[](int* v) { return *v == 1; }, &s.value));
    EXPECT_EQ(payload, 7);
    s.value = 2;  // back to the writer's side below
  }
  std::thread second([&] {
    s.mu.LockWhen(absl::Condition(
        +[](int* v) { return *v == 2; }, &s.value));
    payload = 8;
    s.value = 3;
    s.mu.Unlock();
  });
  second.detach();
  EXPECT_TRUE(s.mu.ReaderLockWhenWithTimeout(absl::Condition(
                                                 +[](int* v) { return *v == 3; }, &s.value),
                                             absl::Seconds(60)));
  EXPECT_EQ(payload, 8);
  s.mu.ReaderUnlock();
}

TEST(AbslSyncAnnotationsTest, CondVarWaitPasses) {
  Shared s;
  absl::CondVar changed;
  std::thread writer([&] {
    absl::MutexLock lock(&s.mu);
    s.value = 5;
    changed.SignalAll();
  });
  writer.detach();
  absl::MutexLock lock(&s.mu);
  while (s.value != 5) changed.WaitWithTimeout(&s.mu, absl::Seconds(1));
  s.value = 6;
  EXPECT_EQ(s.value, 6);
}

TEST(AbslSyncAnnotationsTest, NotificationAndBlockingCounterPass) {
  int payload = 0;
  auto* ready = new absl::Notification;  // the polling thread outlives this test
  std::thread writer([&payload, ready] {
    payload = 9;
    ready->Notify();
  });
  writer.detach();
  while (!ready->HasBeenNotified()) {  // the inline acquire load
  }
  EXPECT_EQ(payload, 9);
  ready->WaitForNotification();
  EXPECT_EQ(payload, 9);

  int parts[2] = {0, 0};
  absl::BlockingCounter done(2);
  for (int i = 0; i < 2; ++i) {
    std::thread([&parts, &done, i] {
      parts[i] = i + 1;
      done.DecrementCount();
    }).detach();
  }
  done.Wait();
  EXPECT_EQ(parts[0] + parts[1], 3);
}

#if defined(__SANITIZE_THREAD__)
// Two readers share a ReaderLock, so their critical sections are not ordered: writing under
// it is a race TSan must still see (the read_lock flag must reach TSan).
void WriteUnderTwoReaderLocks() {
  static Shared s;
  static std::atomic<bool> first_done{false};
  std::thread first([] {
    absl::ReaderMutexLock lock(&s.mu);
    s.value = 1;
    first_done.store(true, std::memory_order_relaxed);  // relaxed: no happens-before
  });
  first.detach();
  while (!first_done.load(std::memory_order_relaxed)) {
  }
  {
    absl::ReaderMutexLock lock(&s.mu);
    s.value = 2;
  }
  std::exit(0);  // TSan's exit hook turns a report into exit code 66
}

TEST(AbslSyncAnnotationsDeathTest, WritesUnderReaderLocksStillRace) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(WriteUnderTwoReaderLocks(), testing::ExitedWithCode(66),
              "ThreadSanitizer: data race");
}
#endif

}  // namespace
