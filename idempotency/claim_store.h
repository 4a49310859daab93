// Claims on idempotency keys and the answers stored under them: the durable memory behind
// "exactly one money movement per idempotency key" (docs/design.md#idempotency): claim,
// complete, release, take over after a crash, expire.
#ifndef IDEMPOTENCY_CLAIM_STORE_H_
#define IDEMPOTENCY_CLAIM_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "idempotency/spending_limits.h"

namespace idempotency {

// Idempotency keys are scoped to the calling service and the operation.
struct RecordKey {
  std::string caller;
  std::string operation;  // "CreatePayout", "RefundTransaction", "CreateAccount"
  std::string key;        // the caller's idempotency key
};

enum class RecordState { kInProgress, kCompleted };

struct IdempotencyRecord {
  RecordKey id;
  std::string fingerprint;  // of the request; a different request under the same key differs
  std::string request;      // the request as sent (serialized), to resume it after a crash
  RecordState state = RecordState::kInProgress;
  std::string owner;        // the gateway instance working on it (in progress)
  absl::Time lease_expiry;  // after this, another instance may take it over
  // When completed: the answer every caller of this key gets, as a serialized
  // google.rpc.Status (code 0 with the response in `response`) ...
  int32_t status_code = 0;
  std::string status_message;
  std::string status_details;  // serialized google.rpc.Status details, may be empty
  std::string response;        // serialized response message when status_code == 0
  absl::Time created;
  absl::Time expires;  // the record may be swept after this
};

struct ClaimRequest {
  RecordKey id;
  std::string fingerprint;
  std::string request;
  std::string owner;
  absl::Duration lease;
  absl::Duration retention;  // how long the record is kept (24 h by default)
  // A payout claim under a caller policy: checked against its limits and reserved in the same
  // transaction as the claim (idempotency/spending_limits.h). Only a new claim (kClaimed) is
  // checked and reserves; a replay, a take-over or a mismatch never counts again.
  absl::optional<Spend> spend;
};

enum class ClaimOutcome {
  kClaimed,       // new: the caller owns it and must Complete or Release it
  kTakenOver,     // in progress under a dead owner (lease expired): now the caller's; the first
                  // attempt may have reached the provider, so resume with the same provider key
  kInFlight,      // in progress under a live owner: answer ABORTED
  kCompleted,     // done: replay `record`
  kMismatch,      // same key, different request: answer FAILED_PRECONDITION
  kLimitReached,  // new, but the spend would pass a limit: NOTHING was stored (the caller may
                  // retry the same key once the window frees up); see `limit_reached`
};

struct ClaimResult {
  ClaimOutcome outcome;
  IdempotencyRecord record;  // the stored record (for kCompleted, kInFlight, kMismatch)
  absl::optional<LimitVerdict> limit_reached;  // kLimitReached: which limit, and its usage
  // kClaimed with a spend: each of the spend's limits, in order, AFTER this payout.
  std::vector<LimitUsage> usage;
};

class ClaimStore {
 public:
  virtual ~ClaimStore() = default;

  // One atomic step: insert an in-progress record, or report what is already there (and take
  // over an in-progress record whose lease has expired).
  virtual absl::StatusOr<ClaimResult> Claim(const ClaimRequest& request, absl::Time now) = 0;
  // Stores the final answer. FAILED_PRECONDITION if `owner` no longer holds the record.
  virtual absl::Status Complete(const RecordKey& id, const std::string& owner,
                                const IdempotencyRecord& answer) = 0;
  // Gives the key back (nothing happened at the provider; the caller may retry the key).
  virtual absl::Status Release(const RecordKey& id, const std::string& owner) = 0;
  // In-progress records whose lease expired before `now` (their owner died).
  virtual absl::StatusOr<std::vector<IdempotencyRecord>> Abandoned(absl::Time now, int limit) = 0;
  // Deletes records that expired before `now`, and spend reservations older than
  // kLongestLimitWindow; returns how many records.
  virtual absl::StatusOr<int64_t> SweepExpired(absl::Time now) = 0;
  // What one limit's window ending at `now` holds for one scope value (reservations still
  // counted), for payctl limits and the metrics.
  virtual absl::StatusOr<LimitUsage> SpendUsage(const SpendQuery& query, absl::Time now) = 0;
};

}  // namespace idempotency

#endif  // IDEMPOTENCY_CLAIM_STORE_H_
