// Leases by name in the store: one replica at a time does a scheduled job (reconciliation),
// however many share the store.
#ifndef IDEMPOTENCY_LEASE_STORE_H_
#define IDEMPOTENCY_LEASE_STORE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace idempotency {

class LeaseStore {
 public:
  virtual ~LeaseStore() = default;

  // Takes the lease `name` for `holder` until `now + ttl` when it is free, expired (its expiry
  // at or before `now`), or already `holder`'s (renewal). True when `holder` holds it after
  // the call. Atomic across replicas. `now` is the caller's clock: replicas whose clocks differ
  // by more than a small part of `ttl` may overlap by that much. INVALID_ARGUMENT for an empty
  // name or holder or a ttl that is not positive.
  virtual absl::StatusOr<bool> TryTakeLease(const std::string& name, const std::string& holder,
                                            absl::Time now, absl::Duration ttl) = 0;
};

// The checks every store applies to a lease request.
absl::Status CheckLeaseRequest(const std::string& name, const std::string& holder,
                               absl::Duration ttl);

}  // namespace idempotency

#endif  // IDEMPOTENCY_LEASE_STORE_H_
