// The durable memory behind "exactly one money movement per idempotency key"
// (docs/design.md#idempotency): idempotency records (claim, complete, release, take over after
// a crash, expire) and the payout records that back GetPayout and ListPayouts.
//
// Implementations: SqliteStore (the embedded default), PostgresStore (several replicas share
// it), MemoryStore (unit tests only). The interface is BLOCKING on purpose: callers reach it
// through StoreExecutor, whose own threads absorb the disk and network waits, so no gRPC or
// Asio thread ever blocks on the database.
#ifndef IDEMPOTENCY_IDEMPOTENCY_STORE_H_
#define IDEMPOTENCY_IDEMPOTENCY_STORE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "proto/payments/v1/account_service.pb.h"
#include "proto/payments/v1/payout_service.pb.h"

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
};

enum class ClaimOutcome {
  kClaimed,    // new: the caller owns it and must Complete or Release it
  kTakenOver,  // in progress under a dead owner (lease expired): now the caller's; the first
               // attempt may have reached the provider, so resume with the same provider key
  kInFlight,   // in progress under a live owner: answer ABORTED
  kCompleted,  // done: replay `record`
  kMismatch,   // same key, different request: answer FAILED_PRECONDITION
};

struct ClaimResult {
  ClaimOutcome outcome;
  IdempotencyRecord record;  // the stored record (for kCompleted, kInFlight, kMismatch)
};

// A payout record, scoped to its caller.
struct StoredPayout {
  std::string caller;
  payments::v1::Payout payout;  // payout.id() is the gateway id; status is the latest known
  // The resolver's own schedule for this payout (filled by UnsettledPayouts only): how many
  // times it re-asked the provider without learning the outcome since the status last changed,
  // and when the record was first saved (about when the provider key was first sent).
  int resolve_attempts = 0;
  absl::Time first_saved = absl::InfinitePast();
};

struct PayoutQuery {
  std::string caller;
  std::string source_account_id;  // "" = any
  payments::v1::Provider provider = payments::v1::PROVIDER_UNSPECIFIED;
  payments::v1::PayoutStatus status = payments::v1::PAYOUT_STATUS_UNSPECIFIED;
  int limit = 50;
  std::string after_id;  // keyset paging: ids in creation order
};

class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;

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
  // Deletes records that expired before `now`; returns how many.
  virtual absl::StatusOr<int64_t> SweepExpired(absl::Time now) = 0;

  // Inserts or replaces the payout with this id. Status changes are monotonic: a write that
  // would move a final status back (e.g. SUCCEEDED -> PENDING) keeps the stored status.
  virtual absl::Status SavePayout(const StoredPayout& payout) = 0;
  virtual absl::StatusOr<absl::optional<payments::v1::Payout>> GetPayout(
      const std::string& caller, const std::string& payout_id) = 0;
  virtual absl::StatusOr<std::vector<payments::v1::Payout>> ListPayouts(
      const PayoutQuery& query) = 0;
  // The payout a provider's event is about: by the provider's transfer id when given, else by
  // the SPEI tracking key. Empty when the gateway made no such payout.
  virtual absl::StatusOr<absl::optional<StoredPayout>> FindPayoutByProviderRef(
      payments::v1::Provider provider, const std::string& provider_payout_id,
      const std::string& tracking_key) = 0;
  // The payout event log behind WatchPayouts: every status change, in one order for all
  // replicas. Append returns the event's sequence number (its cursor); EventsAfter returns
  // events with a larger sequence, in order.
  virtual absl::StatusOr<int64_t> AppendPayoutEvent(const payments::v1::PayoutEvent& event) = 0;
  virtual absl::StatusOr<std::vector<std::pair<int64_t, payments::v1::PayoutEvent>>> EventsAfter(
      int64_t after_sequence, int limit) = 0;
  // Deletes events recorded before `before`; returns how many.
  virtual absl::StatusOr<int64_t> SweepEvents(absl::Time before) = 0;
  // Money received (from verified provider events). Saving the same id again updates it.
  virtual absl::Status SaveReceived(const payments::v1::ReceivedTransaction& received) = 0;
  // In the order first saved, after `after_id` ("" from the start); provider 0 = any.
  virtual absl::StatusOr<std::vector<payments::v1::ReceivedTransaction>> ListReceived(
      payments::v1::Provider provider, const std::string& after_id, int limit) = 0;
  // Payouts not yet final that are due for the resolver, most overdue first: UNKNOWN ones whose
  // next attempt is at or before `now`, and PENDING ones that are also not updated since
  // `pending_updated_before` (a webhook normally settles them).
  virtual absl::StatusOr<std::vector<StoredPayout>> UnsettledPayouts(
      absl::Time now, absl::Time pending_updated_before, int limit) = 0;
  // Persists the resolver's schedule of one payout: `attempts` re-asks so far, none before
  // `next_attempt`. A status change (SavePayout) resets both. No-op for an unknown payout.
  virtual absl::Status ScheduleResolve(const std::string& caller, const std::string& payout_id,
                                       int attempts, absl::Time next_attempt) = 0;

  // Group commit (optional). StoreExecutor may run several calls between BeginBatch and
  // CommitBatch on its one thread, so that one disk flush makes them all durable. Each call
  // stays all-or-nothing inside the batch; nothing in it is durable, and the executor answers
  // none of its callers, until CommitBatch succeeds. Stores that cannot batch keep these.
  virtual bool SupportsBatches() const { return false; }
  virtual absl::Status BeginBatch() { return absl::OkStatus(); }
  // An error means none of the batch is durable.
  virtual absl::Status CommitBatch() { return absl::OkStatus(); }
  // False once the store lost the batch's transaction to an error: add no more calls to it.
  virtual bool BatchOpen() { return true; }
};

}  // namespace idempotency

#endif  // IDEMPOTENCY_IDEMPOTENCY_STORE_H_
