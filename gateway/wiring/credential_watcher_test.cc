#include "gateway/wiring/credential_watcher.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace gateway {
namespace {

std::string TempFile(const std::string& name) {
  return std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
}

void Write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// Replaces the file the way Kubernetes does: a new file renamed over the old (a new inode).
void Rotate(const std::string& path, const std::string& text) {
  Write(path + ".new", text);
  ASSERT_EQ(std::rename((path + ".new").c_str(), path.c_str()), 0);
}

TEST(CredentialWatcherTest, AppliesOnceWhenAFileChangesAndNotWhenItDoesNot) {
  const std::string file = TempFile("key_a");
  Write(file, "one");
  int applied = 0;
  CredentialWatcher watcher;
  watcher.Watch("test.key", {file}, [&applied] {
    ++applied;
    return absl::OkStatus();
  });
  watcher.CheckNow();
  EXPECT_EQ(applied, 0);  // unchanged since Watch
  Rotate(file, "two");
  watcher.CheckNow();
  watcher.CheckNow();
  EXPECT_EQ(applied, 1);
  Rotate(file, "three");
  watcher.CheckNow();
  EXPECT_EQ(applied, 2);
}

TEST(CredentialWatcherTest, AMissingFileMidRotationChangesNothingARefusedApplyIsNotRetried) {
  const std::string file = TempFile("key_b");
  Write(file, "one");
  int applied = 0;
  CredentialWatcher watcher;
  watcher.Watch("test.key", {file}, [&applied] {
    ++applied;
    return absl::FailedPreconditionError("refused");
  });
  std::remove(file.c_str());
  watcher.CheckNow();
  EXPECT_EQ(applied, 0);
  Write(file, "bad");
  watcher.CheckNow();
  watcher.CheckNow();  // the same bad file is not applied (or logged) again and again
  EXPECT_EQ(applied, 1);
}

TEST(CredentialWatcherTest, TheThreadPollsUntilStopped) {
  const std::string file = TempFile("key_c");
  Write(file, "one");
  std::atomic<int> applied{0};
  CredentialWatcher watcher(absl::Milliseconds(10));
  watcher.Watch("test.key", {file}, [&applied] {
    ++applied;
    return absl::OkStatus();
  });
  watcher.Start();
  Rotate(file, "two");
  const absl::Time until = absl::Now() + absl::Seconds(5);
  while (applied.load() == 0 && absl::Now() < until) absl::SleepFor(absl::Milliseconds(5));
  EXPECT_EQ(applied.load(), 1);
  watcher.Stop();
  Rotate(file, "three");
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(applied.load(), 1);
}

}  // namespace
}  // namespace gateway
