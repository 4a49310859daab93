// A child process for the chaos run: the real sandbox or gateway binary, stdout and stderr
// appended to a log file, stopped with SIGKILL (mid-run) or SIGTERM (at the end). Like
// tests/e2e/child_process.h, which is test-only; this one serves a binary.
#ifndef BENCH_CHAOS_CHILD_H_
#define BENCH_CHAOS_CHILD_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace chaos {

std::string ReadFile(const std::string& path);
bool WriteFile(const std::string& path, const std::string& content);

class Child {
 public:
  Child(const std::string& binary, const std::vector<std::string>& args,
        const std::string& log_path);
  ~Child();  // SIGKILL if still running
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Until `path` exists and is not empty; false if the child exits or time runs out.
  bool WaitForFile(const std::string& path, absl::Duration timeout = absl::Seconds(20));
  void Signal(int signal_number);
  // The exit status (-1 for a timeout or a death by signal).
  int WaitForExit(absl::Duration timeout);
  bool running();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
};

}  // namespace chaos

#endif  // BENCH_CHAOS_CHILD_H_
