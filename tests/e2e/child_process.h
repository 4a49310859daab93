// Child processes for end-to-end tests and the chaos run (bench/chaos): the real gateway and
// sandbox binaries, started with their flags, stdout and stderr captured to a file, stopped
// with a signal (SIGTERM or SIGKILL). No child outlives its test: the destructor kills it (an
// ASSERT that returns early included), and by default the kernel kills it if the test process
// itself dies (PR_SET_PDEATHSIG), e.g. on a crash or when Bazel's timeout kills the test.
#ifndef TESTS_E2E_CHILD_PROCESS_H_
#define TESTS_E2E_CHILD_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace e2e {

std::string TempPath(const std::string& name);
std::string ReadFile(const std::string& path);
// False if the file could not be written.
bool WriteFile(const std::string& path, const std::string& content);

struct ChildOptions {
  std::vector<std::string> env;  // "NAME=value" entries added to the environment
  bool append_log = false;       // keep the log of an earlier run (a restarted process)
  // PR_SET_PDEATHSIG. The signal follows the THREAD that forked, not the process: turn it off
  // when that thread may end before the child should (the chaos run restarts the gateway from
  // its killer thread).
  bool die_with_parent = true;
};

class ChildProcess {
 public:
  // `binary` relative to the working directory (a test's runfiles root, e.g. "gateway/gateway").
  ChildProcess(const std::string& binary, const std::vector<std::string>& args,
               const std::string& log_path, const ChildOptions& options = {});
  ~ChildProcess();  // SIGKILL if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits until `path` exists and is not empty; false if the child exits or time runs out.
  bool WaitForFile(const std::string& path, absl::Duration timeout = absl::Seconds(10));
  void Signal(int signal_number);
  // The exit code, or -1 for a timeout or death by signal.
  int WaitForExit(absl::Duration timeout);
  bool running();
  pid_t pid() const { return pid_; }
  std::string Log() const { return ReadFile(log_path_); }

 private:
  std::string log_path_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
};

}  // namespace e2e

#endif  // TESTS_E2E_CHILD_PROCESS_H_
