#include "absl/strings/str_cat.h"
#include "idempotency/postgres_store.h"
#include "idempotency/spend_check.h"
#include "vocabulary/status_macros.h"

// PostgresStore, part three: spending limits (idempotency/spending_limits.h), one row of
// limit_reservations per claim that carried a spend, and a running total per limit in use
// (limit_totals, docs/design.md#limit-totals), checked and updated in the claim's transaction
// (part one, postgres_store.cc, calls these).
//
// Why a lock: two replicas each reading the window and then inserting would both see room for
// the last unit (READ COMMITTED shows neither the other's uncommitted row). So a new claim with
// a spend takes a transaction-scoped advisory lock on its caller; the holder reads, moves and
// checks the totals, inserts and commits before the next one of that caller reads. Every
// give-back (Release, an error answer, a FAILED or REJECTED payout) takes the same lock before
// it touches the caller's reservations or totals: a total moved back in time re-reads the
// reservations it counts again, and must not see one half given back (released, but still in
// the totals). Each statement after the lock sees every commit of the previous holder
// (sessions pinned to READ COMMITTED). The sweep takes no lock: it deletes only reservations
// older than the longest window together with every total that may count them, and a claim's
// UPDATE of a total and the sweep's DELETE of it wait for each other's row lock.
//
// Why no deadlock: the lock is always taken AFTER the one row lock of the call's own record or
// payout (a claim after inserting or locking its key's row, Release and Complete after
// deleting or updating their record, SavePayout after locking its payout), and a holder then
// touches only reservations and totals, which nothing outside the lock holds while waiting for
// it. So a caller's client retrying a key (its claim waits on the record's row, without the
// lock) and the resolver answering the same key (record row, then the lock) queue in one order.
// Inside a batch (group commit, several calls in one transaction) a call may hold locks of
// earlier calls when it waits; should two batches still wait on each other, PostgreSQL detects
// it and fails one call's statement, and the savepoint of that call undoes only that call.
namespace idempotency {
namespace {

// The reservations one total counts (without the time bounds): $1 caller, $2 scope (0 caller,
// 1 source account, 2 destination), $3 its value, $4 currency.
#define GATEWAY_COUNTED_BY_TOTAL                                                     \
  "r.caller = $1 AND NOT r.released AND r.currency = $4 AND ($2 = 0 OR ($2 = 1 AND " \
  "r.source_account = $3) OR ($2 = 2 AND r.destination = $3))"
// A total's key: $1..$5 (caller, scope, scope value, currency, window_us).
#define GATEWAY_TOTAL_KEY \
  "caller = $1 AND scope = $2 AND scope_value = $3 AND currency = $4 AND window_us = $5"
// A NUMERIC sum beyond BIGINT (only reservations made without a maximum get there) reads as the
// largest BIGINT: over any limit.
#define GATEWAY_SATURATED(x) "LEAST(" x ", 9223372036854775807)::BIGINT"

// Moves an existing total to the horizon $6 (updated at $7): forward, the reservations that
// left the window come out; backward (an earlier `now`: another replica's clock), those back in
// it go in again. Reads only the reservations between the two horizons.
constexpr char kMoveTotal[] =
    "UPDATE limit_totals SET (amount, count, horizon_us, updated_us) = (SELECT "
    "limit_totals.amount + s.sign * COALESCE(SUM(r.amount_minor), 0), "
    "limit_totals.count + s.sign * COUNT(r.caller), $6::BIGINT, $7::BIGINT "
    "FROM (SELECT CASE WHEN $6 > limit_totals.horizon_us THEN -1 ELSE 1 END AS sign) s "
    "LEFT JOIN limit_reservations r ON " GATEWAY_COUNTED_BY_TOTAL
    " AND r.created_us > LEAST(limit_totals.horizon_us, $6) AND "
    "r.created_us <= GREATEST(limit_totals.horizon_us, $6) GROUP BY s.sign) "
    "WHERE " GATEWAY_TOTAL_KEY " RETURNING " GATEWAY_SATURATED("amount") ", count";

// A total's first use: the one full sum over its window (created after the horizon $6).
constexpr char kCreateTotal[] =
    "INSERT INTO limit_totals (caller, scope, scope_value, currency, window_us, amount, count, "
    "horizon_us, updated_us) SELECT $1, $2, $3, $4, $5, COALESCE(SUM(r.amount_minor), 0), "
    "COUNT(*), $6, $7 FROM limit_reservations r WHERE " GATEWAY_COUNTED_BY_TOTAL
    " AND r.created_us > $6 RETURNING " GATEWAY_SATURATED("amount") ", count";

// The same without writing (SpendUsage takes no lock): one statement, one snapshot.
constexpr char kReadTotal[] =
    "WITH t AS (SELECT amount, count, horizon_us FROM limit_totals WHERE " GATEWAY_TOTAL_KEY
    ") SELECT " GATEWAY_SATURATED("t.amount + s.sign * COALESCE(SUM(r.amount_minor), 0)")
    ", t.count + s.sign * COUNT(r.caller) FROM t CROSS JOIN LATERAL (SELECT CASE WHEN $6 > "
    "t.horizon_us THEN -1 ELSE 1 END AS sign) s LEFT JOIN limit_reservations r ON "
    GATEWAY_COUNTED_BY_TOTAL " AND r.created_us > LEAST(t.horizon_us, $6) AND r.created_us <= "
    "GREATEST(t.horizon_us, $6) GROUP BY t.amount, t.count, s.sign "
    "UNION ALL SELECT " GATEWAY_SATURATED("COALESCE(SUM(r.amount_minor), 0)")
    ", COUNT(*) FROM limit_reservations r WHERE NOT EXISTS (SELECT 1 FROM t) AND "
    GATEWAY_COUNTED_BY_TOTAL " AND r.created_us > $6";

// Inserts the reservation and counts it in every total of its caller that counts it: its
// scope values, currency, and a horizon before its creation (whatever limits the spend has).
constexpr char kInsertReservation[] =
    "WITH reserved AS (INSERT INTO limit_reservations (caller, operation, idempotency_key, "
    "created_us, payout_id, source_account, destination, currency, amount_minor) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING 1) "
    "UPDATE limit_totals SET amount = amount + $9, count = count + 1 "
    "WHERE caller = $1 AND currency = $8 AND horizon_us < $4 AND ((scope = 0 AND scope_value = "
    "$1) OR (scope = 1 AND scope_value = $6) OR (scope = 2 AND scope_value = $7)) AND "
    "EXISTS (SELECT 1 FROM reserved)";

}  // namespace

const char* PostgresStore::TakeOutOfTotals() {
  // Appended to a statement whose CTE `given_back` returns the reservations just given back
  // (released or deleted) that were still counted ($1 is their caller).
  return "UPDATE limit_totals t SET amount = t.amount - g.amount_minor, count = t.count - 1 "
         "FROM given_back g WHERE t.caller = $1 AND t.currency = g.currency AND "
         "t.horizon_us < g.created_us AND ((t.scope = 0 AND t.scope_value = $1) OR "
         "(t.scope = 1 AND t.scope_value = g.source_account) OR "
         "(t.scope = 2 AND t.scope_value = g.destination))";
}

absl::Status PostgresStore::LockCallerLimits(PgConnection& db, const std::string& caller) {
  // One 64-bit key per caller; the prefix keeps it apart from the store's other advisory locks
  // (a collision between two callers only makes them wait for each other).
  return db
      .Exec(
          "SELECT pg_catalog.pg_advisory_xact_lock("
          "pg_catalog.hashtextextended('gateway.limits:' || $1, 0))",
          PgParams().Text(caller))
      .status();
}

absl::StatusOr<LimitUsage> PostgresStore::Usage(PgConnection& db, const SpendQuery& query,
                                                absl::Time now, bool write) {
  LimitUsage usage;
  usage.rule = query.rule;
  usage.scope_value = query.rule.scope == LimitScope::kCaller ? query.caller : query.scope_value;
  PgParams params;
  params.Text(query.caller).Int32(LimitScopeCode(query.rule.scope)).Text(usage.scope_value);
  params.Text(query.rule.currency).Int64(absl::ToInt64Microseconds(query.rule.window));
  params.Int64(WindowStartMicros(query.rule, now));
  if (!write) {
    ASSIGN_OR_RETURN(auto read, db.Exec(kReadTotal, params));
    usage.used_amount_minor = read.Int(0, 0);
    usage.used_count = read.Int(0, 1);
    return usage;
  }
  params.Int64(absl::ToUnixMicros(now));
  ASSIGN_OR_RETURN(auto moved, db.Exec(kMoveTotal, params));
  if (moved.rows() == 0) {  // first use (or swept)
    ASSIGN_OR_RETURN(moved, db.Exec(kCreateTotal, params));
  }
  usage.used_amount_minor = moved.Int(0, 0);
  usage.used_count = moved.Int(0, 1);
  return usage;
}

absl::StatusOr<SpendCheck> PostgresStore::Reserve(PgConnection& db, const ClaimRequest& request,
                                                  absl::Time now) {
  const Spend& spend = *request.spend;
  ASSIGN_OR_RETURN(SpendCheck check,
                   CheckSpend(request.id.caller, spend, [&](const SpendQuery& query) {
                     return Usage(db, query, now, /*write=*/true);
                   }));
  if (check.reached.has_value()) return check;
  PgParams params;
  params.Text(request.id.caller).Text(request.id.operation).Text(request.id.key);
  params.Int64(absl::ToUnixMicros(now)).Text(spend.payout_id).Text(spend.source_account_id);
  params.Text(spend.destination).Text(spend.currency).Int64(spend.amount_minor);
  RETURN_IF_ERROR(db.Exec(kInsertReservation, params).status());
  return check;
}

absl::StatusOr<bool> PostgresStore::HeldRecordHasReservation(PgConnection& db, const RecordKey& id,
                                                             const std::string& owner) {
  ASSIGN_OR_RETURN(
      auto found,
      db.Exec("SELECT EXISTS (SELECT 1 FROM limit_reservations WHERE caller = $1 AND "
              "operation = $2 AND idempotency_key = $3 AND created_us = (SELECT created_us FROM "
              "idempotency_records WHERE caller = $1 AND operation = $2 AND idempotency_key = $3 "
              "AND owner = $4 AND NOT completed))",
              PgParams().Text(id.caller).Text(id.operation).Text(id.key).Text(owner)));
  return found.Bool(0, 0);
}

absl::Status PostgresStore::GiveBack(PgConnection& db, const RecordKey& id, int64_t created_us,
                                     bool erase) {
  RETURN_IF_ERROR(LockCallerLimits(db, id.caller));
  const char* given_back =
      erase ? "WITH deleted AS (DELETE FROM limit_reservations WHERE caller = $1 AND operation = "
              "$2 AND idempotency_key = $3 AND created_us = $4 RETURNING source_account, "
              "destination, currency, amount_minor, created_us, released), given_back AS "
              "(SELECT * FROM deleted WHERE NOT released) "
            : "WITH given_back AS (UPDATE limit_reservations SET released = TRUE WHERE caller = "
              "$1 AND operation = $2 AND idempotency_key = $3 AND created_us = $4 AND NOT "
              "released RETURNING source_account, destination, currency, amount_minor, "
              "created_us) ";
  PgParams params;
  params.Text(id.caller).Text(id.operation).Text(id.key).Int64(created_us);
  return db.Exec(absl::StrCat(given_back, TakeOutOfTotals()).c_str(), params).status();
}

absl::Status PostgresStore::GiveBackPayout(PgConnection& db, const std::string& caller,
                                           const std::string& payout_id) {
  RETURN_IF_ERROR(LockCallerLimits(db, caller));  // after the payout's row lock
  return db
      .Exec(absl::StrCat("WITH newest AS (SELECT operation, idempotency_key, created_us FROM "
                         "limit_reservations WHERE caller = $1 AND payout_id = $2 ORDER BY "
                         "created_us DESC LIMIT 1), given_back AS (UPDATE limit_reservations r "
                         "SET released = TRUE FROM newest n WHERE r.caller = $1 AND "
                         "r.operation = n.operation AND r.idempotency_key = n.idempotency_key "
                         "AND r.created_us = n.created_us AND NOT r.released RETURNING "
                         "r.source_account, r.destination, r.currency, r.amount_minor, "
                         "r.created_us) ",
                         TakeOutOfTotals())
                .c_str(),
            PgParams().Text(caller).Text(payout_id))
      .status();
}

absl::StatusOr<LimitUsage> PostgresStore::SpendUsage(const SpendQuery& query, absl::Time now) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  return Usage(*connection.get(), query, now, /*write=*/false);
}

}  // namespace idempotency
