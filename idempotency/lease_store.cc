#include "idempotency/lease_store.h"

namespace idempotency {

absl::Status CheckLeaseRequest(const std::string& name, const std::string& holder,
                               absl::Duration ttl) {
  if (name.empty() || holder.empty()) {
    return absl::InvalidArgumentError("a lease needs a name and a holder");
  }
  if (ttl <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("a lease's ttl must be positive");
  }
  return absl::OkStatus();
}

}  // namespace idempotency
