// Child processes for end-to-end tests: the real gateway and sandbox binaries, started with
// their flags, stderr captured to a file, stopped with a signal (SIGTERM or SIGKILL). No child
// outlives its test: the destructor kills it (an ASSERT that returns early included), and the
// kernel kills it if the test process itself dies (PR_SET_PDEATHSIG), e.g. on a crash or when
// Bazel's timeout kills the test.
#ifndef TESTS_E2E_CHILD_PROCESS_H_
#define TESTS_E2E_CHILD_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace e2e {

std::string TempPath(const std::string& name);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

class ChildProcess {
 public:
  // `binary` relative to the test's runfiles root (e.g. "gateway/gateway").
  // `env`: "NAME=value" entries added to the test's environment. Construct it on a thread
  // that outlives it (the death signal follows the thread that forked, not the process).
  ChildProcess(const std::string& binary, const std::vector<std::string>& args,
               const std::string& log_path, const std::vector<std::string>& env = {});
  ~ChildProcess();  // SIGKILL if still running

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
