#include "idempotency/claim_rules.h"

namespace idempotency {

ClaimResult DecideClaim(const ClaimRequest& request,
                        const absl::optional<IdempotencyRecord>& existing, absl::Time now) {
  if (!existing.has_value() || existing->expires <= now) {  // new, or free again
    IdempotencyRecord record;
    record.id = request.id;
    record.fingerprint = request.fingerprint;
    record.request = request.request;
    record.owner = request.owner;
    record.lease_expiry = now + request.lease;
    record.created = now;
    record.expires = now + request.retention;
    return ClaimResult{ClaimOutcome::kClaimed, std::move(record)};
  }
  if (existing->fingerprint != request.fingerprint) {
    return ClaimResult{ClaimOutcome::kMismatch, *existing};
  }
  if (existing->state == RecordState::kCompleted) {
    return ClaimResult{ClaimOutcome::kCompleted, *existing};
  }
  if (existing->lease_expiry > now) return ClaimResult{ClaimOutcome::kInFlight, *existing};
  // In progress under an owner whose lease ran out (it died): the caller takes it over.
  ClaimResult taken{ClaimOutcome::kTakenOver, *existing};
  taken.record.owner = request.owner;
  taken.record.lease_expiry = now + request.lease;
  return taken;
}

}  // namespace idempotency
