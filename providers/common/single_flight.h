// Coalesces concurrent requests for the same key into one piece of work: the first caller
// for a key starts it, later callers wait, and everyone gets the one result.
#ifndef PROVIDERS_COMMON_SINGLE_FLIGHT_H_
#define PROVIDERS_COMMON_SINGLE_FLIGHT_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace providers {

template <typename T>
class SingleFlight {
 public:
  using Callback = absl::AnyInvocable<void(absl::StatusOr<T>)>;

  // Queues `done` for `key`. Returns true when the caller is the first and must start the
  // work (and later call Complete); false when the work is already under way.
  bool Join(const std::string& key, Callback done) {
    absl::MutexLock lock(&mu_);
    auto& waiters = waiting_[key];
    waiters.push_back(std::move(done));
    return waiters.size() == 1;
  }

  // Answers everyone waiting for `key` (outside the lock).
  void Complete(const std::string& key, const absl::StatusOr<T>& result) {
    std::vector<Callback> waiters;
    {
      absl::MutexLock lock(&mu_);
      auto it = waiting_.find(key);
      if (it == waiting_.end()) return;
      waiters = std::move(it->second);
      waiting_.erase(it);
    }
    for (auto& waiter : waiters) waiter(result);
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, std::vector<Callback>> waiting_ ABSL_GUARDED_BY(mu_);
};

}  // namespace providers

#endif  // PROVIDERS_COMMON_SINGLE_FLIGHT_H_
