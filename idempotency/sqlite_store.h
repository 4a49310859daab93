// The embedded default store: one SQLite file, WAL journal with synchronous=FULL so a claim is
// on disk before the provider is called, claims in BEGIN IMMEDIATE transactions so they are
// atomic even between processes sharing the file. Statements are prepared once and reused;
// StoreExecutor may batch several calls into one transaction (group commit). One connection, used
// by one thread at a time (StoreExecutor gives it its own thread).
#ifndef IDEMPOTENCY_SQLITE_STORE_H_
#define IDEMPOTENCY_SQLITE_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "idempotency/gateway_store.h"
#include "idempotency/spend_check.h"

struct sqlite3;

namespace idempotency {

class StatementCache;

class SqliteStore final : public GatewayStore {
 public:
  // Opens or creates the database at `path` (creating its directory) and its schema.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  ~SqliteStore() override;

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
  // Group commit: one BEGIN IMMEDIATE ... COMMIT (one fsync) around several calls, each of
  // which then runs in a savepoint of its own.
  bool SupportsBatches() const override { return true; }
  absl::Status BeginBatch() override;
  absl::Status CommitBatch() override;
  bool BatchOpen() override;

 private:
  explicit SqliteStore(sqlite3* db);
  absl::Status Exec(const char* sql);

  // Spending limits (sqlite_spend_limits.cc), each run under mu_ inside the calling store
  // call's transaction (BEGIN IMMEDIATE: atomic even between processes sharing the file).
  // The schema of the reservations (migration to version 6) and of the running totals per
  // limit (version 7, docs/design.md#limit-totals).
  static const char* LimitReservationsMigration();
  static const char* LimitTotalsMigration();
  // A sum of reservations, its amount in two halves (see kSumReservations).
  struct Sum {
    int64_t high = 0;
    int64_t low = 0;
    int64_t count = 0;
  };
  // The unreleased reservations of one limit's scope value created in (after_us, up_to_us].
  absl::StatusOr<Sum> SumLocked(const std::string& caller, const LimitRule& rule,
                                const std::string& scope_value, int64_t after_us, int64_t up_to_us);
  // What one limit's window holds at `now`, read from its total moved to the window's start
  // (created by one full sum on first use). `write`: keep the moved total (claims).
  absl::StatusOr<LimitUsage> UsageLocked(const SpendQuery& query, absl::Time now, bool write);
  // Checks a new claim's spend and, if it fits, inserts its reservation (created `now`, like
  // the claim's record) and counts it in its caller's totals.
  absl::StatusOr<SpendCheck> ReserveLocked(const ClaimRequest& request, absl::Time now);
  // Adds `sign` (1 or -1) times one reservation to every total that counts it.
  absl::Status CountInTotalsLocked(const std::string& caller, const std::string& source_account,
                                   const std::string& destination, const std::string& currency,
                                   int64_t amount_minor, int64_t created_us, int64_t sign);
  // Finds the reservation `where` (with `args`) selects and, unless already released, takes it
  // out of the totals; its rowid, or -1 if there is none.
  absl::StatusOr<int64_t> TakeOutOfTotalsLocked(const std::string& caller, const std::string& where,
                                                const std::vector<std::string>& args);
  absl::Status MarkReleasedLocked(int64_t rowid);
  // Deletes (Release) or marks released (an error answer) the reservation of the in-progress
  // record `id` held by `owner`.
  absl::Status DeleteReservationLocked(const RecordKey& id, const std::string& owner);
  absl::Status GiveBackReservationLocked(const RecordKey& id, const std::string& owner);
  // A FAILED or REJECTED payout gives back its newest reservation.
  absl::Status GiveBackPayoutLocked(const std::string& caller, const std::string& payout_id);
  // Reservations older than the longest window, and the totals that may have counted them.
  absl::Status SweepReservationsLocked(absl::Time now);

  sqlite3* db_;
  absl::Mutex mu_;  // one statement sequence at a time on the connection
  std::unique_ptr<StatementCache> statements_;  // used under mu_
};

}  // namespace idempotency

#endif  // IDEMPOTENCY_SQLITE_STORE_H_
