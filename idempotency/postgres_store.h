// The store several gateway replicas share: PostgreSQL through libpq, with a fixed pool of
// connections (StoreExecutor runs one thread per connection). Claims are one transaction:
// INSERT ... ON CONFLICT DO NOTHING, and if the key exists, SELECT ... FOR UPDATE and decide,
// so two replicas never both own a key. A new claim with a spend then takes an advisory lock on
// its caller, so replicas check one caller's limits in turn (postgres_spend_limits.cc).
// Durability is the server's: with its defaults
// (fsync=on, synchronous_commit=on) a claim is on disk when Claim returns.
//
// Same semantics and columns as SqliteStore: times are BIGINT microseconds chosen by the
// caller's clock, serialized messages are BYTEA, parameters are always sent separately from
// the SQL. The schema is created or migrated by Open under an advisory lock, so replicas
// starting together do not race on the DDL.
#ifndef IDEMPOTENCY_POSTGRES_STORE_H_
#define IDEMPOTENCY_POSTGRES_STORE_H_

#include <memory>
#include <string>

#include "idempotency/gateway_store.h"
#include "idempotency/postgres_connection.h"
#include "idempotency/spend_check.h"

namespace idempotency {

class PostgresStore final : public GatewayStore {
 public:
  // Opens `connections` sessions to `url` (postgres://user[:password]@host:port/db?...) and
  // creates or migrates the schema. `schema`, if not empty, is a PostgreSQL schema (a plain
  // identifier) created if missing and used as every session's search_path; tests use a fresh
  // one each for an empty store. Empty: the tables live wherever the session's search_path
  // points (normally `public`).
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(const std::string& url,
                                                             int connections,
                                                             const std::string& schema = "");

  // ClaimStore
  absl::StatusOr<ClaimResult> Claim(const ClaimRequest& request, absl::Time now) override;
  absl::Status Complete(const RecordKey& id, const std::string& owner,
                        const IdempotencyRecord& answer) override;
  absl::Status Release(const RecordKey& id, const std::string& owner) override;
  absl::StatusOr<std::vector<IdempotencyRecord>> Abandoned(absl::Time now, int limit) override;
  absl::StatusOr<int64_t> SweepExpired(absl::Time now) override;
  absl::StatusOr<LimitUsage> SpendUsage(const SpendQuery& query, absl::Time now) override;
  // PayoutStore
  absl::Status SavePayout(const StoredPayout& payout) override;
  absl::StatusOr<absl::optional<payments::v1::Payout>> GetPayout(
      const std::string& caller, const std::string& payout_id) override;
  absl::StatusOr<std::vector<payments::v1::Payout>> ListPayouts(const PayoutQuery& query) override;
  absl::StatusOr<absl::optional<StoredPayout>> FindPayoutByProviderRef(
      payments::v1::Provider provider, const std::string& provider_payout_id,
      const std::string& tracking_key) override;
  absl::StatusOr<std::vector<StoredPayout>> PayoutsDueForResolve(absl::Time now,
                                                                 absl::Time pending_updated_before,
                                                                 int limit) override;
  absl::Status ScheduleResolve(const std::string& caller, const std::string& payout_id,
                               int attempts, absl::Time next_attempt) override;
  absl::StatusOr<PayoutWindowPage> PayoutsCreatedWithin(const PayoutWindowQuery& query) override;
  // PayoutEventLog
  absl::StatusOr<int64_t> AppendPayoutEvent(const payments::v1::PayoutEvent& event) override;
  absl::StatusOr<std::vector<std::pair<int64_t, payments::v1::PayoutEvent>>> EventsAfter(
      int64_t after_sequence, int limit) override;
  absl::StatusOr<int64_t> SweepEvents(absl::Time before) override;
  // ReceivedMoneyStore
  absl::Status SaveReceived(const payments::v1::ReceivedTransaction& received) override;
  absl::StatusOr<std::vector<payments::v1::ReceivedTransaction>> ListReceived(
      payments::v1::Provider provider, const std::string& after_id, int limit) override;
  absl::StatusOr<absl::optional<payments::v1::ReceivedTransaction>> GetReceived(
      const std::string& id) override;
  // LeaseStore
  absl::StatusOr<bool> TryTakeLease(const std::string& name, const std::string& holder,
                                    absl::Time now, absl::Duration ttl) override;

  // One transaction per unit of work: StoreExecutor's thread pins a connection, and the calls
  // of its task run on it (each in a savepoint), committed together.
  bool SupportsBatches() const override { return true; }
  absl::Status BeginBatch() override { return pool_->BeginPinned(); }
  absl::Status CommitBatch() override { return pool_->CommitPinned(); }
  bool BatchOpen() override { return pool_->PinnedOpen(); }

  // The schema version this build creates and understands.
  static constexpr int kSchemaVersion = 8;

 private:
  explicit PostgresStore(std::unique_ptr<PgPool> pool) : pool_(std::move(pool)) {}
  absl::Status Migrate(PgConnection& connection, const std::string& schema);

  // Spending limits (postgres_spend_limits.cc), each on the connection of the calling store
  // call's transaction.
  // Serializes the limit checks of one caller across replicas until the transaction ends.
  static absl::Status LockCallerLimits(PgConnection& db, const std::string& caller);
  // What one limit's window holds at `now`, from its running total moved to the window's
  // start (created by one full sum on first use). `write`: keep the moved total (claims, under
  // LockCallerLimits); otherwise computed in one read-only statement.
  static absl::StatusOr<LimitUsage> Usage(PgConnection& db, const SpendQuery& query, absl::Time now,
                                          bool write);
  // The statement that takes the reservations of a CTE `given_back` out of the totals that
  // count them; appended to the give-backs' statements (run under LockCallerLimits).
  static const char* TakeOutOfTotals();
  // Checks a new claim's spend and, if it fits, inserts its reservation (created `now`, like
  // the claim's record), counted in its caller's totals. Under LockCallerLimits.
  static absl::StatusOr<SpendCheck> Reserve(PgConnection& db, const ClaimRequest& request,
                                            absl::Time now);
  // Whether the in-progress record `id` held by `owner` has a reservation (a policy's spend).
  static absl::StatusOr<bool> HeldRecordHasReservation(PgConnection& db, const RecordKey& id,
                                                       const std::string& owner);
  // Takes LockCallerLimits, then deletes (`erase`, Release) or marks released (an error
  // answer) the reservation of the claim of `id` created at `created_us`, taking it out of the
  // totals unless it was already released.
  static absl::Status GiveBack(PgConnection& db, const RecordKey& id, int64_t created_us,
                               bool erase);
  // A FAILED or REJECTED payout gives back its newest reservation (takes LockCallerLimits).
  static absl::Status GiveBackPayout(PgConnection& db, const std::string& caller,
                                     const std::string& payout_id);
  // Gives sequences to committed events that have none (postgres_payout_records.cc says how
  // and why), under the event log's lock.
  static absl::Status NumberEvents(PgConnection& db);
  static absl::Status GiveBackIfFailed(PgConnection& db, const std::string& caller,
                                       const payments::v1::Payout& stored);

  std::unique_ptr<PgPool> pool_;
};

}  // namespace idempotency

#endif  // IDEMPOTENCY_POSTGRES_STORE_H_
