#include "idempotency/postgres_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "vocabulary/payout_status_rules.h"
#include "vocabulary/status_macros.h"

// PostgresStore, part two: payout records, the payout event log and received money
// (part one, postgres_store.cc: opening, migrations and idempotency records).
namespace idempotency {
namespace {

// The payout event log (docs/design.md#the-payout-event-log-on-postgresql). What WatchPayouts
// relies on: a reader that has seen sequence N never later finds a new event numbered N or
// less. A sequence drawn when the event is inserted cannot promise that without serializing
// every appending transaction to its commit (the lock this log used to hold across a payout's
// whole transaction). So an event is inserted with only an insertion id, and sequences are
// given afterwards, to committed events only, by a short numbering transaction that holds
// this lock until its COMMIT: numberings are serial, each numbers what the ones before it
// left, past their numbers, and a transaction's numbers become visible only with its commit,
// before the lock passes on. So numbers become visible in increasing order. Within one
// numbering, insertion order: an event written after another committed (a payout's later
// status) is numbered after it.
// One per schema (each is a store of its own), so stores sharing a database do not contend.
constexpr char kLockEventLog[] =
    "SELECT pg_advisory_xact_lock(hashtextextended('gateway.payout_events:' || "
    "current_schema(), 0))";

// At most this many events numbered per numbering transaction (the rest by the next one).
constexpr int64_t kNumberingBatch = 10000;

// $1: how many. The CTE `pending` is read once (it is used three times), so counter and rows
// agree; run after the lock is held, so that its snapshot sees every earlier numbering.
constexpr char kNumberEvents[] =
    "WITH pending AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM payout_events "
    "WHERE seq IS NULL ORDER BY id LIMIT $1), "
    "counter AS (UPDATE payout_event_order SET last_seq = last_seq + (SELECT COUNT(*) FROM "
    "pending) WHERE EXISTS (SELECT 1 FROM pending) "
    "RETURNING last_seq - (SELECT COUNT(*) FROM pending) AS base) "
    "UPDATE payout_events e SET seq = counter.base + pending.n FROM pending, counter "
    "WHERE e.id = pending.id";

// $1..$9: caller, payout id, provider, source account, status, payout, updated, provider
// payout id, tracking key; $10 created (set here only: an update keeps it).
constexpr char kInsertPayout[] =
    "INSERT INTO payouts (caller, payout_id, provider, source_account_id, status, payout, "
    "updated_us, provider_payout_id, tracking_key, created_us) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (caller, payout_id) DO NOTHING";
// A new status starts a new resolver schedule (SET expressions see the row before the update).
constexpr char kUpdatePayout[] =
    "UPDATE payouts SET provider = $3, source_account_id = $4, status = $5, payout = $6, "
    "updated_us = $7, provider_payout_id = $8, tracking_key = $9, "
    "resolve_attempts = CASE WHEN status = $5 THEN resolve_attempts ELSE 0 END, "
    "next_resolve_us = CASE WHEN status = $5 THEN next_resolve_us ELSE 0 END "
    "WHERE caller = $1 AND payout_id = $2";

// Rows can vanish between "it exists" and "lock it"; that many tries.
constexpr int kAttempts = 3;

PgParams PayoutParams(const std::string& caller, const payments::v1::Payout& payout,
                      int64_t updated_us) {
  PgParams params;
  params.Text(caller).Text(payout.id()).Int32(payout.provider());
  params.Text(payout.source_account_id()).Int32(payout.status());
  params.Bytes(payout.SerializeAsString()).Int64(updated_us);
  params.Text(payout.provider_payout_id()).Text(payout.tracking_key());
  return params;
}

absl::StatusOr<payments::v1::Payout> ParsePayout(const std::string& bytes) {
  payments::v1::Payout payout;
  if (!payout.ParseFromString(bytes)) return absl::DataLossError("stored payout is unreadable");
  return payout;
}

}  // namespace

// A payout stored as FAILED or REJECTED gives its spend back to its caller's limits.
absl::Status PostgresStore::GiveBackIfFailed(PgConnection& db, const std::string& caller,
                                             const payments::v1::Payout& stored) {
  if (stored.status() != payments::v1::PAYOUT_STATUS_FAILED &&
      stored.status() != payments::v1::PAYOUT_STATUS_REJECTED) {
    return absl::OkStatus();
  }
  return GiveBackPayout(db, caller, stored.id());
}

absl::Status PostgresStore::SavePayout(const StoredPayout& stored) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  PgConnection& db = *connection.get();
  PgTransaction transaction(&db);
  RETURN_IF_ERROR(transaction.Begin());
  const absl::Time now = absl::Now();
  const int64_t updated_us = absl::ToUnixMicros(now);
  PgParams insert = PayoutParams(stored.caller, stored.payout, updated_us);
  insert.Int64(absl::ToUnixMicros(PayoutCreationTime(stored.payout, now)));
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    // Insert-or-lock rather than a plain upsert: two first writes of one payout must not both
    // skip the status rule.
    ASSIGN_OR_RETURN(auto inserted, db.Exec(kInsertPayout, insert));
    if (inserted.affected_rows() == 1) {
      RETURN_IF_ERROR(GiveBackIfFailed(db, stored.caller, stored.payout));
      return transaction.Commit();
    }
    ASSIGN_OR_RETURN(
        auto current,
        db.Exec(
            "SELECT status, payout FROM payouts WHERE caller = $1 AND payout_id = $2 FOR UPDATE",
            PgParams().Text(stored.caller).Text(stored.payout.id())));
    if (current.rows() == 0) continue;
    payments::v1::Payout payout = stored.payout;
    const auto stored_status = static_cast<payments::v1::PayoutStatus>(current.Int(0, 0));
    if (NextStatus(stored_status, payout.status()) != payout.status()) {
      // a stale update: keep what is stored
      ASSIGN_OR_RETURN(payout, ParsePayout(current.Bytes(0, 1)));
    }
    RETURN_IF_ERROR(
        db.Exec(kUpdatePayout, PayoutParams(stored.caller, payout, updated_us)).status());
    RETURN_IF_ERROR(GiveBackIfFailed(db, stored.caller, payout));
    return transaction.Commit();
  }
  return absl::AbortedError("the payout changed during the save; try again");
}

absl::StatusOr<absl::optional<payments::v1::Payout>> PostgresStore::GetPayout(
    const std::string& caller, const std::string& payout_id) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  ASSIGN_OR_RETURN(
      auto rows, connection->Exec("SELECT payout FROM payouts WHERE caller = $1 AND payout_id = $2",
                                  PgParams().Text(caller).Text(payout_id)));
  if (rows.rows() == 0) return absl::optional<payments::v1::Payout>();
  ASSIGN_OR_RETURN(auto payout, ParsePayout(rows.Bytes(0, 0)));
  return absl::optional<payments::v1::Payout>(std::move(payout));
}

absl::StatusOr<std::vector<payments::v1::Payout>> PostgresStore::ListPayouts(
    const PayoutQuery& query) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  PgParams params;
  params.Text(query.caller).Text(query.source_account_id).Int32(query.provider);
  params.Int32(query.status).Text(query.after_id).Int64(std::max(query.limit, 0));
  // Keyset paging on seq (creation order), resumed after the row of `after_id`.
  ASSIGN_OR_RETURN(
      auto rows, connection->Exec(
                     "SELECT payout FROM payouts WHERE caller = $1 "
                     "AND ($2 = '' OR source_account_id = $2) AND ($3 = 0 OR provider = $3) "
                     "AND ($4 = 0 OR status = $4) "
                     "AND seq > COALESCE((SELECT seq FROM payouts WHERE caller = $1 AND payout_id "
                     "= $5), 0) "
                     "ORDER BY seq LIMIT $6",
                     params));
  std::vector<payments::v1::Payout> out;
  for (int row = 0; row < rows.rows(); ++row) {
    ASSIGN_OR_RETURN(auto payout, ParsePayout(rows.Bytes(row, 0)));
    out.push_back(std::move(payout));
  }
  return out;
}

absl::StatusOr<std::vector<StoredPayout>> PostgresStore::PayoutsDueForResolve(
    absl::Time now, absl::Time pending_updated_before, int limit) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  ASSIGN_OR_RETURN(
      auto rows,
      connection->Exec("SELECT caller, payout, resolve_attempts, created_us FROM payouts "
                       "WHERE next_resolve_us <= $3 AND (status = $2 OR (status = $1 AND "
                       "updated_us <= $4)) ORDER BY next_resolve_us, updated_us, seq LIMIT $5",
                       PgParams()
                           .Int32(payments::v1::PAYOUT_STATUS_PENDING)
                           .Int32(payments::v1::PAYOUT_STATUS_UNKNOWN)
                           .Int64(absl::ToUnixMicros(now))
                           .Int64(absl::ToUnixMicros(pending_updated_before))
                           .Int64(std::max(limit, 0))));
  std::vector<StoredPayout> out;
  for (int row = 0; row < rows.rows(); ++row) {
    ASSIGN_OR_RETURN(auto payout, ParsePayout(rows.Bytes(row, 1)));
    StoredPayout stored{rows.Bytes(row, 0), std::move(payout)};
    stored.resolve_attempts = static_cast<int>(rows.Int(row, 2));
    stored.first_saved = absl::FromUnixMicros(rows.Int(row, 3));
    out.push_back(std::move(stored));
  }
  return out;
}

absl::StatusOr<PayoutWindowPage> PostgresStore::PayoutsCreatedWithin(
    const PayoutWindowQuery& query) {
  RETURN_IF_ERROR(CheckWindowQuery(query));
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  // seq is taken at insert, not at commit: a row still uncommitted when a page is read may get
  // a smaller seq than that page's last. Reconciliation reads windows that ended a while ago.
  ASSIGN_OR_RETURN(
      auto rows,
      connection->Exec("SELECT seq, caller, payout, created_us FROM payouts WHERE provider = $1 "
                       "AND created_us >= $2 AND created_us < $3 AND seq > $4 "
                       "ORDER BY seq LIMIT $5",
                       PgParams()
                           .Int32(query.provider)
                           .Int64(absl::ToUnixMicros(query.created_from))
                           .Int64(absl::ToUnixMicros(query.created_to))
                           .Int64(query.after_position)
                           .Int64(query.limit)));
  PayoutWindowPage page;
  for (int row = 0; row < rows.rows(); ++row) {
    ASSIGN_OR_RETURN(auto payout, ParsePayout(rows.Bytes(row, 2)));
    StoredPayout stored{rows.Bytes(row, 1), std::move(payout)};
    stored.first_saved = absl::FromUnixMicros(rows.Int(row, 3));
    page.payouts.push_back(std::move(stored));
    page.last_position = rows.Int(row, 0);
  }
  return page;
}

absl::Status PostgresStore::ScheduleResolve(const std::string& caller, const std::string& payout_id,
                                            int attempts, absl::Time next_attempt) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  return connection
      ->Exec(
          "UPDATE payouts SET resolve_attempts = $3, next_resolve_us = $4 "
          "WHERE caller = $1 AND payout_id = $2",
          PgParams().Text(caller).Text(payout_id).Int32(attempts).Int64(
              absl::ToUnixMicros(next_attempt)))
      .status();
}

absl::StatusOr<absl::optional<StoredPayout>> PostgresStore::FindPayoutByProviderRef(
    payments::v1::Provider provider, const std::string& provider_payout_id,
    const std::string& tracking_key) {
  const bool by_id = !provider_payout_id.empty();
  if (!by_id && tracking_key.empty()) return absl::optional<StoredPayout>();
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  ASSIGN_OR_RETURN(
      auto rows,
      connection->Exec(by_id ? "SELECT caller, payout FROM payouts WHERE provider = $1 AND "
                               "provider_payout_id = $2 LIMIT 1"
                             : "SELECT caller, payout FROM payouts WHERE provider = $1 AND "
                               "tracking_key = $2 LIMIT 1",
                       PgParams().Int32(provider).Text(by_id ? provider_payout_id : tracking_key)));
  if (rows.rows() == 0) return absl::optional<StoredPayout>();
  ASSIGN_OR_RETURN(auto payout, ParsePayout(rows.Bytes(0, 1)));
  return absl::optional<StoredPayout>(StoredPayout{rows.Bytes(0, 0), std::move(payout)});
}

absl::Status PostgresStore::NumberEvents(PgConnection& db) {
  // Cheap (a partial index) and without a lock: most polls find nothing to number.
  ASSIGN_OR_RETURN(auto waiting,
                   db.Exec("SELECT EXISTS (SELECT 1 FROM payout_events WHERE seq IS NULL)"));
  if (!waiting.Bool(0, 0)) return absl::OkStatus();
  // Its own transaction, or inside a batch (the tailer's read) a savepoint of it: the lock is
  // then held until the batch's commit, which comes right after the read. Waiting for it (for
  // another replica's numbering, as short) means a read returns every event committed before
  // it began.
  PgTransaction transaction(&db);
  RETURN_IF_ERROR(transaction.Begin());
  RETURN_IF_ERROR(db.Exec(kLockEventLog).status());
  RETURN_IF_ERROR(db.Exec(kNumberEvents, PgParams().Int64(kNumberingBatch)).status());
  return transaction.Commit();
}

absl::StatusOr<int64_t> PostgresStore::AppendPayoutEvent(const payments::v1::PayoutEvent& event) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  PgConnection& db = *connection.get();
  // No lock: appends of different transactions never wait on each other.
  ASSIGN_OR_RETURN(
      auto inserted,
      db.Exec("INSERT INTO payout_events (event, created_us) VALUES ($1, $2) RETURNING id",
              PgParams().Bytes(event.SerializeAsString()).Int64(absl::ToUnixMicros(absl::Now()))));
  // Inside a batch (the gateway's payout paths) the event is numbered once the batch has
  // committed, by the next reader: no sequence to return yet.
  if (db.InTransaction()) return 0;
  // On its own the insert has committed: number it now and return its sequence.
  const int64_t id = inserted.Int(0, 0);
  for (int attempt = 0; attempt < 100; ++attempt) {
    RETURN_IF_ERROR(NumberEvents(db));
    ASSIGN_OR_RETURN(auto numbered, db.Exec("SELECT seq FROM payout_events WHERE id = $1 AND seq "
                                            "IS NOT NULL",
                                            PgParams().Int64(id)));
    if (numbered.rows() == 1) return numbered.Int(0, 0);
  }
  return absl::UnavailableError("the payout event was not numbered; read the log to find it");
}

absl::StatusOr<std::vector<std::pair<int64_t, payments::v1::PayoutEvent>>>
PostgresStore::EventsAfter(int64_t after_sequence, int limit) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  PgConnection& db = *connection.get();
  RETURN_IF_ERROR(NumberEvents(db));
  // A fresh snapshot (READ COMMITTED): every committed numbering, and this call's own.
  ASSIGN_OR_RETURN(
      auto rows,
      db.Exec("SELECT seq, event FROM payout_events WHERE seq > $1 ORDER BY seq LIMIT $2",
              PgParams().Int64(after_sequence).Int64(std::max(limit, 0))));
  std::vector<std::pair<int64_t, payments::v1::PayoutEvent>> out;
  for (int row = 0; row < rows.rows(); ++row) {
    payments::v1::PayoutEvent event;
    if (!event.ParseFromString(rows.Bytes(row, 1))) {
      return absl::DataLossError("stored payout event is unreadable");
    }
    out.emplace_back(rows.Int(row, 0), std::move(event));
  }
  return out;
}

absl::StatusOr<int64_t> PostgresStore::SweepEvents(absl::Time before) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  PgConnection& db = *connection.get();
  // Under the numbering lock: a numbering and a sweep locking the same rows in different
  // orders would deadlock. Unnumbered events this old go too, like numbered ones.
  PgTransaction transaction(&db);
  RETURN_IF_ERROR(transaction.Begin());
  RETURN_IF_ERROR(db.Exec(kLockEventLog).status());
  ASSIGN_OR_RETURN(auto deleted, db.Exec("DELETE FROM payout_events WHERE created_us < $1",
                                         PgParams().Int64(absl::ToUnixMicros(before))));
  RETURN_IF_ERROR(transaction.Commit());
  return deleted.affected_rows();
}

absl::Status PostgresStore::SaveReceived(const payments::v1::ReceivedTransaction& received) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  return connection
      ->Exec(
          "INSERT INTO received_transactions (id, provider, received) VALUES ($1, $2, $3) "
          "ON CONFLICT (id) DO UPDATE SET received = EXCLUDED.received",
          PgParams()
              .Text(received.id())
              .Int32(received.provider())
              .Bytes(received.SerializeAsString()))
      .status();
}

absl::StatusOr<std::vector<payments::v1::ReceivedTransaction>> PostgresStore::ListReceived(
    payments::v1::Provider provider, const std::string& after_id, int limit) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  ASSIGN_OR_RETURN(
      auto rows,
      connection->Exec("SELECT received FROM received_transactions WHERE ($1 = 0 OR provider = "
                       "$1) AND seq > COALESCE((SELECT seq FROM received_transactions WHERE id = "
                       "$2), 0) ORDER BY seq LIMIT $3",
                       PgParams().Int32(provider).Text(after_id).Int64(std::max(limit, 0))));
  std::vector<payments::v1::ReceivedTransaction> out;
  for (int row = 0; row < rows.rows(); ++row) {
    payments::v1::ReceivedTransaction received;
    if (!received.ParseFromString(rows.Bytes(row, 0))) {
      return absl::DataLossError("stored received transaction is unreadable");
    }
    out.push_back(std::move(received));
  }
  return out;
}

absl::StatusOr<absl::optional<payments::v1::ReceivedTransaction>> PostgresStore::GetReceived(
    const std::string& id) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  ASSIGN_OR_RETURN(auto rows,
                   connection->Exec("SELECT received FROM received_transactions WHERE id = $1",
                                    PgParams().Text(id)));
  if (rows.rows() == 0) return absl::nullopt;
  payments::v1::ReceivedTransaction received;
  if (!received.ParseFromString(rows.Bytes(0, 0))) {
    return absl::DataLossError("stored received transaction is unreadable");
  }
  return received;
}

}  // namespace idempotency
