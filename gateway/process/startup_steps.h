// Start-up steps the gateway begins but does not wait for (e.g. registering the webhook URL
// with Monato): a failure is only logged, the process serves anyway. Tests and tools that
// need a step finished (a sandbox must know where to deliver webhooks) wait for them here.
#ifndef GATEWAY_PROCESS_STARTUP_STEPS_H_
#define GATEWAY_PROCESS_STARTUP_STEPS_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace gateway {

class StartupSteps {
 public:
  StartupSteps();

  // Registers a step named `name`; the step calls the returned function once, when done. The
  // function may outlive this object (it keeps the shared state alive).
  std::function<void(absl::Status)> Begin(std::string name);

  // OK once every step begun so far finished OK; the first failure (prefixed with its name);
  // DEADLINE_EXCEEDED if some step has not finished within `timeout`.
  absl::Status WaitAll(absl::Duration timeout) const;

 private:
  struct State {
    absl::Mutex mu;
    int pending ABSL_GUARDED_BY(mu) = 0;
    absl::Status first_failure ABSL_GUARDED_BY(mu);
  };
  std::shared_ptr<State> state_;
};

}  // namespace gateway

#endif  // GATEWAY_PROCESS_STARTUP_STEPS_H_
