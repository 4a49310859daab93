#include "idempotency/postgres_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "idempotency/claim_rules.h"
#include "vocabulary/payout_status_rules.h"
#include "vocabulary/status_macros.h"

namespace idempotency {
namespace {

// Any constant every replica agrees on: it serializes schema changes between them.
constexpr int64_t kMigrationLockKey = 0x7061796f75747331;  // "payouts1"

constexpr char kVersionTable[] = R"sql(
CREATE TABLE IF NOT EXISTS schema_version (
  singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
  version INTEGER NOT NULL
);
)sql";

// The columns of SqliteStore. status_message is BYTEA, not TEXT, because an answer is replayed
// byte for byte and a provider's message may be cut in the middle of a UTF-8 character.
constexpr char kSchemaV1[] = R"sql(
CREATE TABLE IF NOT EXISTS idempotency_records (
  caller TEXT NOT NULL,
  operation TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  request BYTEA NOT NULL,
  completed BOOLEAN NOT NULL DEFAULT FALSE,
  owner TEXT NOT NULL,
  lease_expiry_us BIGINT NOT NULL,
  status_code INTEGER NOT NULL DEFAULT 0,
  status_message BYTEA NOT NULL DEFAULT '',
  status_details BYTEA NOT NULL DEFAULT '',
  response BYTEA NOT NULL DEFAULT '',
  created_us BIGINT NOT NULL,
  expires_us BIGINT NOT NULL,
  PRIMARY KEY (caller, operation, idempotency_key)
);
CREATE INDEX IF NOT EXISTS idempotency_records_by_lease
  ON idempotency_records (lease_expiry_us) WHERE NOT completed;
CREATE INDEX IF NOT EXISTS idempotency_records_by_expiry ON idempotency_records (expires_us);
CREATE TABLE IF NOT EXISTS payouts (
  seq BIGSERIAL PRIMARY KEY,
  caller TEXT NOT NULL,
  payout_id TEXT NOT NULL,
  provider INTEGER NOT NULL,
  source_account_id TEXT NOT NULL,
  status INTEGER NOT NULL,
  payout BYTEA NOT NULL,
  updated_us BIGINT NOT NULL,
  UNIQUE (caller, payout_id)
);
CREATE INDEX IF NOT EXISTS payouts_by_caller ON payouts (caller, seq);
CREATE INDEX IF NOT EXISTS payouts_unsettled ON payouts (status, updated_us);
)sql";

// Version 2: payouts found by the provider's reference (webhooks); the event log behind
// WatchPayouts.
constexpr char kSchemaV2[] = R"sql(
ALTER TABLE payouts ADD COLUMN IF NOT EXISTS provider_payout_id TEXT NOT NULL DEFAULT '';
ALTER TABLE payouts ADD COLUMN IF NOT EXISTS tracking_key TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS payouts_by_provider_ref ON payouts (provider, provider_payout_id);
CREATE INDEX IF NOT EXISTS payouts_by_tracking_key ON payouts (provider, tracking_key);
CREATE TABLE IF NOT EXISTS payout_events (
  seq BIGSERIAL PRIMARY KEY,
  event BYTEA NOT NULL,
  created_us BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS payout_events_by_time ON payout_events (created_us);
)sql";

struct Migration {
  int version;
  const char* sql;
};
// Version 3: money received.
constexpr char kSchemaV3[] = R"sql(
CREATE TABLE IF NOT EXISTS received_transactions (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  provider INTEGER NOT NULL,
  received BYTEA NOT NULL
);
)sql";

// Version 4: each unsettled payout's own resolver schedule (attempts, next attempt) and when it
// was first saved (the provider key's age). Existing rows count as first saved when last
// updated, and as due now.
constexpr char kSchemaV4[] = R"sql(
ALTER TABLE payouts ADD COLUMN IF NOT EXISTS created_us BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payouts ADD COLUMN IF NOT EXISTS resolve_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payouts ADD COLUMN IF NOT EXISTS next_resolve_us BIGINT NOT NULL DEFAULT 0;
UPDATE payouts SET created_us = updated_us WHERE created_us = 0;
CREATE INDEX IF NOT EXISTS payouts_due ON payouts (status, next_resolve_us);
)sql";

// Version 5: spending-limit reservations (postgres_spend_limits.cc), one per claim that carried
// a spend, keyed by its claim's key and creation time (a key claimed again after its retention
// has one per claim). The sums read a caller's window by (caller, created_us).
constexpr char kSchemaV5[] = R"sql(
CREATE TABLE IF NOT EXISTS limit_reservations (
  caller TEXT NOT NULL,
  operation TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  created_us BIGINT NOT NULL,
  payout_id TEXT NOT NULL,
  source_account TEXT NOT NULL,
  destination TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount_minor BIGINT NOT NULL,
  released BOOLEAN NOT NULL DEFAULT FALSE,
  PRIMARY KEY (caller, operation, idempotency_key, created_us)
);
CREATE INDEX IF NOT EXISTS limit_reservations_by_time ON limit_reservations (caller, created_us);
CREATE INDEX IF NOT EXISTS limit_reservations_by_payout ON limit_reservations (caller, payout_id);
CREATE INDEX IF NOT EXISTS limit_reservations_by_age ON limit_reservations (created_us);
)sql";

// Version 6: a running total per limit in use (postgres_spend_limits.cc, docs/design.md#limit-
// totals): amount and count are the sums of its scope's unreleased reservations created after
// horizon_us (scope 0 caller, 1 source account, 2 destination). NUMERIC: no sum overflows.
constexpr char kSchemaV6[] = R"sql(
CREATE TABLE IF NOT EXISTS limit_totals (
  caller TEXT NOT NULL,
  scope INTEGER NOT NULL,
  scope_value TEXT NOT NULL,
  currency TEXT NOT NULL,
  window_us BIGINT NOT NULL,
  amount NUMERIC NOT NULL,
  count BIGINT NOT NULL,
  horizon_us BIGINT NOT NULL,
  updated_us BIGINT NOT NULL,
  PRIMARY KEY (caller, scope, scope_value, currency, window_us)
);
CREATE INDEX IF NOT EXISTS limit_totals_by_horizon ON limit_totals (horizon_us);
)sql";

// Version 7: the payout event log without a lock held across a payout's transaction
// (postgres_payout_records.cc, docs/design.md#the-payout-event-log-on-postgresql). An event is
// inserted with only an insertion id and no sequence; readers give sequences (from
// payout_event_order, past every number the old BIGSERIAL handed out) to committed events in
// short transactions of their own. Existing events keep their sequences. Safe to run again
// (a store set back to an older version runs every later migration).
constexpr char kSchemaV7[] = R"sql(
ALTER TABLE payout_events ADD COLUMN IF NOT EXISTS id BIGSERIAL;
ALTER TABLE payout_events DROP CONSTRAINT IF EXISTS payout_events_pkey;
ALTER TABLE payout_events ALTER COLUMN seq DROP DEFAULT, ALTER COLUMN seq DROP NOT NULL;
ALTER TABLE payout_events ADD PRIMARY KEY (id);
CREATE UNIQUE INDEX IF NOT EXISTS payout_events_by_seq ON payout_events (seq);
CREATE INDEX IF NOT EXISTS payout_events_unnumbered ON payout_events (id) WHERE seq IS NULL;
CREATE TABLE IF NOT EXISTS payout_event_order (
  singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
  last_seq BIGINT NOT NULL
);
INSERT INTO payout_event_order (last_seq) SELECT GREATEST(
  (SELECT COALESCE(MAX(seq), 0) FROM payout_events),
  (SELECT COALESCE(MAX(s.last_value), 0) FROM pg_catalog.pg_sequences s
   JOIN pg_catalog.pg_class c ON c.relname = s.sequencename
   JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace AND n.nspname = s.schemaname
   WHERE c.oid = pg_catalog.to_regclass('payout_events_seq_seq')))
ON CONFLICT (singleton) DO NOTHING;
DROP SEQUENCE IF EXISTS payout_events_seq_seq;
)sql";

// Version 8 (reconciliation): payouts read by provider and creation time (created_us: since
// version 8 the payout's create_time at its first save, else that save's time; never changed
// by a later save), and named leases so that one replica at a time runs a scheduled job
// (postgres_leases.cc). Existing rows keep the created_us they have: their
// first save's time (rows from before version 4 got their updated_us then, the best the old
// schema knew). That is no later than updated_us, so a window never loses an old payout to a
// later status update.
constexpr char kSchemaV8[] = R"sql(
CREATE INDEX IF NOT EXISTS payouts_by_creation ON payouts (provider, created_us);
CREATE TABLE IF NOT EXISTS leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_us BIGINT NOT NULL
);
)sql";

constexpr Migration kMigrations[] = {{1, kSchemaV1}, {2, kSchemaV2}, {3, kSchemaV3},
                                     {4, kSchemaV4}, {5, kSchemaV5}, {6, kSchemaV6},
                                     {7, kSchemaV7}, {8, kSchemaV8}};
static_assert(kMigrations[sizeof(kMigrations) / sizeof(kMigrations[0]) - 1].version ==
                  PostgresStore::kSchemaVersion,
              "the last migration is the current schema version");

constexpr char kRecordColumns[] =
    "caller, operation, idempotency_key, fingerprint, request, completed, owner, "
    "lease_expiry_us, status_code, status_message, status_details, response, created_us, "
    "expires_us";

// $1..$9: caller, operation, key, fingerprint, request, owner, lease expiry, created, expires.
constexpr char kInsertClaim[] =
    "INSERT INTO idempotency_records (caller, operation, idempotency_key, fingerprint, request, "
    "completed, owner, lease_expiry_us, created_us, expires_us) "
    "VALUES ($1, $2, $3, $4, $5, FALSE, $6, $7, $8, $9) "
    "ON CONFLICT (caller, operation, idempotency_key) DO NOTHING";
constexpr char kReplaceExpired[] =
    "UPDATE idempotency_records SET fingerprint = $4, request = $5, completed = FALSE, "
    "owner = $6, lease_expiry_us = $7, status_code = 0, status_message = '', "
    "status_details = '', response = '', created_us = $8, expires_us = $9 "
    "WHERE caller = $1 AND operation = $2 AND idempotency_key = $3";
// $1..$8: caller, operation, key, owner, status code, message, details, response.
constexpr char kCompleteRecord[] =
    "UPDATE idempotency_records SET completed = TRUE, status_code = $5, status_message = $6, "
    "status_details = $7, response = $8 "
    "WHERE caller = $1 AND operation = $2 AND idempotency_key = $3 AND owner = $4 "
    "AND NOT completed";
constexpr char kTakeOver[] =
    "UPDATE idempotency_records SET owner = $4, lease_expiry_us = $5 "
    "WHERE caller = $1 AND operation = $2 AND idempotency_key = $3";

// Rows can vanish between "it exists" and "lock it" (released, swept); that many tries.
constexpr int kAttempts = 3;

PgParams KeyParams(const RecordKey& id) {
  PgParams params;
  params.Text(id.caller).Text(id.operation).Text(id.key);
  return params;
}

IdempotencyRecord ReadRecord(const PgResult& rows, int row) {
  IdempotencyRecord record;
  record.id = RecordKey{rows.Bytes(row, 0), rows.Bytes(row, 1), rows.Bytes(row, 2)};
  record.fingerprint = rows.Bytes(row, 3);
  record.request = rows.Bytes(row, 4);
  record.state = rows.Bool(row, 5) ? RecordState::kCompleted : RecordState::kInProgress;
  record.owner = rows.Bytes(row, 6);
  record.lease_expiry = absl::FromUnixMicros(rows.Int(row, 7));
  record.status_code = static_cast<int32_t>(rows.Int(row, 8));
  record.status_message = rows.Bytes(row, 9);
  record.status_details = rows.Bytes(row, 10);
  record.response = rows.Bytes(row, 11);
  record.created = absl::FromUnixMicros(rows.Int(row, 12));
  record.expires = absl::FromUnixMicros(rows.Int(row, 13));
  return record;
}

absl::Status NoLongerOurs() {
  return absl::FailedPreconditionError("the idempotency record is no longer ours");
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url,
                                                                   int connections,
                                                                   const std::string& schema) {
  ASSIGN_OR_RETURN(auto pool, PgPool::Open(PgConnectionSettings{url, schema}, connections));
  std::unique_ptr<PostgresStore> store(new PostgresStore(std::move(pool)));
  ASSIGN_OR_RETURN(auto connection, store->pool_->Acquire());
  RETURN_IF_ERROR(store->Migrate(*connection.get(), schema));
  return store;
}

absl::Status PostgresStore::Migrate(PgConnection& connection, const std::string& schema) {
  // DDL is transactional in PostgreSQL, and the transaction-scoped advisory lock is released
  // by COMMIT or ROLLBACK whatever happens. Without it, two replicas running CREATE ... IF NOT
  // EXISTS at once can still collide on the catalogs.
  PgTransaction transaction(&connection);
  RETURN_IF_ERROR(transaction.Begin());
  RETURN_IF_ERROR(
      connection
          .Exec("SELECT pg_catalog.pg_advisory_xact_lock($1)", PgParams().Int64(kMigrationLockKey))
          .status());
  if (!schema.empty()) {
    // Checked first: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when the
    // schema exists. The name was checked to be a plain identifier, and is quoted.
    ASSIGN_OR_RETURN(auto found,
                     connection.Exec("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1",
                                     PgParams().Text(schema)));
    if (found.rows() == 0) {
      const std::string create = "CREATE SCHEMA " + connection.QuoteIdentifier(schema);
      RETURN_IF_ERROR(connection.ExecScript(create.c_str()));
    }
  }
  // DDL only when something is missing: CREATE TABLE IF NOT EXISTS too needs the CREATE
  // privilege, which a gateway role on a database migrated by someone else may not have.
  ASSIGN_OR_RETURN(auto missing,
                   connection.Exec("SELECT pg_catalog.to_regclass('schema_version') IS NULL"));
  if (missing.Bool(0, 0)) {
    RETURN_IF_ERROR(connection.ExecScript(kVersionTable));
  }
  ASSIGN_OR_RETURN(auto stored, connection.Exec("SELECT version FROM schema_version"));
  const int64_t version = stored.rows() == 0 ? 0 : stored.Int(0, 0);
  if (version > kSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat("the PostgreSQL store has schema version ",
                                                      version, ", newer than this gateway's ",
                                                      kSchemaVersion, ": upgrade the gateway"));
  }
  if (version == kSchemaVersion) return transaction.Commit();
  for (const Migration& migration : kMigrations) {
    if (migration.version <= version) continue;
    RETURN_IF_ERROR(connection.ExecScript(migration.sql));
  }
  RETURN_IF_ERROR(connection
                      .Exec("INSERT INTO schema_version (version) VALUES ($1) "
                            "ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version",
                            PgParams().Int32(kSchemaVersion))
                      .status());
  return transaction.Commit();
}

absl::StatusOr<ClaimResult> PostgresStore::Claim(const ClaimRequest& request, absl::Time now) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  PgConnection& db = *connection.get();
  PgTransaction transaction(&db);
  RETURN_IF_ERROR(transaction.Begin());
  PgParams claim = KeyParams(request.id);
  claim.Text(request.fingerprint).Bytes(request.request).Text(request.owner);
  claim.Int64(absl::ToUnixMicros(now + request.lease)).Int64(absl::ToUnixMicros(now));
  claim.Int64(absl::ToUnixMicros(now + request.retention));
  const std::string select_for_update =
      absl::StrCat("SELECT ", kRecordColumns,
                   " FROM idempotency_records WHERE caller = $1 AND operation = $2 AND "
                   "idempotency_key = $3 FOR UPDATE");
  // A new claim with a spend: checked and reserved in this transaction, or refused with
  // nothing stored (returning without Commit rolls the claim's insert back). The caller's
  // limit lock is taken here, after the claim's row lock, like every give-back takes it after
  // its record's (postgres_spend_limits.cc says why this order); replays, take-overs and
  // claims without a spend never take it.
  auto reserve = [&](ClaimResult& result) -> absl::StatusOr<bool> {
    if (!request.spend.has_value()) return true;
    RETURN_IF_ERROR(LockCallerLimits(db, request.id.caller));
    ASSIGN_OR_RETURN(SpendCheck check, Reserve(db, request, now));
    if (check.reached.has_value()) {
      result = LimitReachedResult(request.id, *std::move(check.reached));
      return false;
    }
    result.usage = std::move(check.usage);
    return true;
  };
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    // A concurrent claim of the same key makes this wait for that transaction's end, then do
    // nothing: exactly one claimant inserts.
    ASSIGN_OR_RETURN(auto inserted, db.Exec(kInsertClaim, claim));
    if (inserted.affected_rows() == 1) {
      ClaimResult result = DecideClaim(request, absl::nullopt, now);  // the record just inserted
      ASSIGN_OR_RETURN(const bool fits, reserve(result));
      if (fits) RETURN_IF_ERROR(transaction.Commit());
      return result;
    }
    ASSIGN_OR_RETURN(auto existing, db.Exec(select_for_update.c_str(), KeyParams(request.id)));
    if (existing.rows() == 0) continue;  // released or swept since the insert: try again
    ClaimResult result = DecideClaim(request, ReadRecord(existing, 0), now);
    if (result.outcome == ClaimOutcome::kClaimed) {  // past its retention: free again
      ASSIGN_OR_RETURN(const bool fits, reserve(result));
      if (!fits) return result;
      RETURN_IF_ERROR(db.Exec(kReplaceExpired, claim).status());
    } else if (result.outcome == ClaimOutcome::kTakenOver) {  // its owner died
      PgParams take = KeyParams(request.id);
      take.Text(result.record.owner).Int64(absl::ToUnixMicros(result.record.lease_expiry));
      RETURN_IF_ERROR(db.Exec(kTakeOver, take).status());
    }
    RETURN_IF_ERROR(transaction.Commit());
    return result;
  }
  return absl::AbortedError("the idempotency key changed during the claim; try again");
}

absl::Status PostgresStore::Complete(const RecordKey& id, const std::string& owner,
                                     const IdempotencyRecord& answer) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  PgParams params = KeyParams(id);
  params.Text(owner).Int32(answer.status_code).Bytes(answer.status_message);
  params.Bytes(answer.status_details).Bytes(answer.response);
  if (answer.status_code == 0) {
    ASSIGN_OR_RETURN(auto updated, connection->Exec(kCompleteRecord, params));
    return updated.affected_rows() == 1 ? absl::OkStatus() : NoLongerOurs();
  }
  // The provider definitely refused: the claim's spend is given back, after the record's row
  // lock (postgres_spend_limits.cc). Without a reservation (no policy), one statement as above.
  PgConnection& db = *connection.get();
  ASSIGN_OR_RETURN(const bool reserved, HeldRecordHasReservation(db, id, owner));
  if (!reserved) {
    ASSIGN_OR_RETURN(auto updated, db.Exec(kCompleteRecord, params));
    return updated.affected_rows() == 1 ? absl::OkStatus() : NoLongerOurs();
  }
  PgTransaction transaction(&db);
  RETURN_IF_ERROR(transaction.Begin());
  ASSIGN_OR_RETURN(auto completed,
                   db.Exec(absl::StrCat(kCompleteRecord, " RETURNING created_us").c_str(), params));
  if (completed.rows() != 1) return NoLongerOurs();
  RETURN_IF_ERROR(GiveBack(db, id, completed.Int(0, 0), /*erase=*/false));
  return transaction.Commit();
}

absl::Status PostgresStore::Release(const RecordKey& id, const std::string& owner) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  PgConnection& db = *connection.get();
  constexpr char kDeleteRecord[] =
      "DELETE FROM idempotency_records WHERE caller = $1 AND operation = $2 AND "
      "idempotency_key = $3 AND owner = $4 AND NOT completed RETURNING created_us";
  ASSIGN_OR_RETURN(const bool reserved, HeldRecordHasReservation(db, id, owner));
  if (!reserved) {  // no policy: one statement
    ASSIGN_OR_RETURN(auto deleted, db.Exec(kDeleteRecord, KeyParams(id).Text(owner)));
    return deleted.rows() == 1 ? absl::OkStatus() : NoLongerOurs();
  }
  PgTransaction transaction(&db);
  RETURN_IF_ERROR(transaction.Begin());
  ASSIGN_OR_RETURN(auto deleted, db.Exec(kDeleteRecord, KeyParams(id).Text(owner)));
  if (deleted.rows() != 1) return NoLongerOurs();
  // The claim's reservation goes with its record.
  RETURN_IF_ERROR(GiveBack(db, id, deleted.Int(0, 0), /*erase=*/true));
  return transaction.Commit();
}

absl::StatusOr<std::vector<IdempotencyRecord>> PostgresStore::Abandoned(absl::Time now, int limit) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  const std::string select =
      absl::StrCat("SELECT ", kRecordColumns,
                   " FROM idempotency_records WHERE NOT completed AND "
                   "lease_expiry_us <= $1 ORDER BY lease_expiry_us LIMIT $2");
  ASSIGN_OR_RETURN(
      auto rows,
      connection->Exec(select.c_str(),
                       PgParams().Int64(absl::ToUnixMicros(now)).Int64(std::max(limit, 0))));
  std::vector<IdempotencyRecord> out;
  for (int row = 0; row < rows.rows(); ++row) out.push_back(ReadRecord(rows, row));
  return out;
}

absl::StatusOr<int64_t> PostgresStore::SweepExpired(absl::Time now) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  PgParams params;
  params.Int64(absl::ToUnixMicros(now)).Int64(absl::ToUnixMicros(now - kLongestLimitWindow));
  ASSIGN_OR_RETURN(
      auto deleted,
      // A total whose horizon is before the swept reservations may count them: it goes too
      // (its next use sums afresh); a total in use has its horizon within the longest window.
      connection->Exec("WITH swept AS (DELETE FROM idempotency_records WHERE expires_us <= $1 "
                       "RETURNING 1), old AS (DELETE FROM limit_reservations WHERE created_us < "
                       "$2), stale AS (DELETE FROM limit_totals WHERE horizon_us < $2) "
                       "SELECT COUNT(*) FROM swept",
                       params));
  return deleted.Int(0, 0);
}

}  // namespace idempotency
