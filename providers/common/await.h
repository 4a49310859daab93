// Blocks until an asynchronous call answers, for tests, benchmarks and tools (never on a gRPC
// or I/O thread): `start` receives the callback to hand to the call.
//
//   auto account = Await<Account>([&](auto done) { provider.GetAccount(id, ctx, std::move(done));
//   });
#ifndef PROVIDERS_COMMON_AWAIT_H_
#define PROVIDERS_COMMON_AWAIT_H_

#include <utility>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"

namespace providers {

template <typename T, typename Start>
absl::StatusOr<T> Await(Start start) {
  absl::Notification done;
  absl::StatusOr<T> result = absl::UnknownError("no answer");
  start([&](absl::StatusOr<T> answer) {
    result = std::move(answer);
    done.Notify();
  });
  done.WaitForNotification();
  return result;
}

}  // namespace providers

#endif  // PROVIDERS_COMMON_AWAIT_H_
