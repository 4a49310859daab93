// A child process never outlives its test: not when the ChildProcess is destroyed (an ASSERT
// returning early), and not when the test process itself dies without running destructors.
#include "tests/e2e/child_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace e2e {
namespace {

// Gone, or a zombie nobody has reaped yet (it runs no more either way).
bool Dead(pid_t pid) {
  const std::string stat = ReadFile(absl::StrCat("/proc/", pid, "/stat"));
  if (stat.empty()) return true;
  const size_t close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
}

bool DiesWithin(pid_t pid, absl::Duration timeout) {
  const absl::Time give_up = absl::Now() + timeout;
  while (!Dead(pid)) {
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

TEST(ChildProcessTest, DestroyingItKillsTheChild) {
  pid_t pid = -1;
  {
    ChildProcess child("/bin/sleep", {"60"}, TempPath("sleep-1.log"));
    ASSERT_TRUE(child.running());
    pid = child.pid();
  }
  EXPECT_TRUE(Dead(pid));
}

TEST(ChildProcessTest, TheChildDiesWhenTheTestProcessDies) {
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t test_like = fork();
  ASSERT_GE(test_like, 0);
  if (test_like == 0) {
    // A "test" that starts a child, then dies without running any destructor.
    ChildProcess child("/bin/sleep", {"60"}, TempPath("sleep-2.log"));
    const std::string pid = absl::StrCat(child.pid(), "\n");
    (void)!write(pipe_fds[1], pid.data(), pid.size());
    _exit(1);
  }
  close(pipe_fds[1]);
  char buffer[32] = {};
  const ssize_t read_bytes = read(pipe_fds[0], buffer, sizeof(buffer) - 1);
  close(pipe_fds[0]);
  waitpid(test_like, nullptr, 0);
  ASSERT_GT(read_bytes, 0);
  pid_t orphan = -1;
  ASSERT_TRUE(absl::SimpleAtoi(std::string(buffer, read_bytes - 1), &orphan)) << buffer;
  EXPECT_TRUE(DiesWithin(orphan, absl::Seconds(10))) << "pid " << orphan << " outlived its test";
  kill(orphan, SIGKILL);  // in case it did
}

}  // namespace
}  // namespace e2e
