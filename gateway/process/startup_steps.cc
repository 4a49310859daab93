#include "gateway/process/startup_steps.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace gateway {

StartupSteps::StartupSteps() : state_(std::make_shared<State>()) {}

std::function<void(absl::Status)> StartupSteps::Begin(std::string name) {
  {
    absl::MutexLock lock(&state_->mu);
    ++state_->pending;
  }
  return [state = state_, name = std::move(name)](absl::Status status) {
    absl::MutexLock lock(&state->mu);
    --state->pending;
    if (!status.ok() && state->first_failure.ok()) {
      state->first_failure =
          absl::Status(status.code(), absl::StrCat(name, ": ", status.message()));
    }
  };
}

absl::Status StartupSteps::WaitAll(absl::Duration timeout) const {
  State& state = *state_;
  absl::MutexLock lock(&state.mu);
  auto done = [&state] { return state.pending == 0; };  // called with state.mu held
  if (!state.mu.AwaitWithTimeout(absl::Condition(&done), timeout)) {
    return absl::DeadlineExceededError(
        absl::StrCat(state.pending, " start-up step(s) still running"));
  }
  return state.first_failure;
}

}  // namespace gateway
