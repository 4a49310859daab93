// Wall-clock time behind an interface, so tests can freeze it (a Fintoc JWS made at
// ts=1756828731 must be "fresh") or move it (a Monato token must expire) without sleeping.
// Delays (settlement, retries) run on real time; only timestamps and expiry use a Clock.
#ifndef SANDBOX_COMMON_CLOCK_H_
#define SANDBOX_COMMON_CLOCK_H_

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace sandbox {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

class SystemClock : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  // A process-wide instance that is never destroyed.
  static const Clock* Get() {
    static const SystemClock* const kClock = new SystemClock();
    return kClock;
  }
};

// Starts at `start` and moves only when told to. Thread-safe.
class ManualClock : public Clock {
 public:
  explicit ManualClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Set(absl::Time now) {
    absl::MutexLock lock(&mu_);
    now_ = now;
  }
  void Advance(absl::Duration by) {
    absl::MutexLock lock(&mu_);
    now_ += by;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sandbox

#endif  // SANDBOX_COMMON_CLOCK_H_
