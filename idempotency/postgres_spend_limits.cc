#include "idempotency/postgres_store.h"
#include "vocabulary/status_macros.h"

// PostgresStore, part three: spending limits (idempotency/spending_limits.h), one row of
// limit_reservations per claim that carried a spend, checked and inserted in the claim's
// transaction (part one, postgres_store.cc, calls these).
//
// Why a lock: two replicas each summing the window and then inserting would both see room for
// the last unit (READ COMMITTED shows neither the other's uncommitted row). So a claim whose
// spend has limits first takes a transaction-scoped advisory lock on its caller; the holder
// sums, inserts and commits before the next one of that caller sums. The sum is a new statement
// after the lock, and sessions run in READ COMMITTED (PgConnection pins it), so it sees every
// reservation committed by the previous holder.
//
// Why no deadlock: inside a claim the lock is taken before any row lock (before the claim's
// INSERT or SELECT ... FOR UPDATE), and nothing that holds row locks of idempotency_records or
// limit_reservations (Complete, Release, SavePayout, the sweep) ever takes it. Inside a batch
// (group commit, several calls in one transaction) a claim may hold locks of earlier calls
// when it waits; should two batches still wait on each other, PostgreSQL detects it and fails
// one claim's statement, and the savepoint of that claim undoes only that claim.
namespace idempotency {
namespace {

// $1 caller, $2 window start (exclusive), $3 currency, $4 scope (0 caller, 1 source account,
// 2 destination), $5 scope value. A sum beyond BIGINT (only reservations made without a
// maximum could get there) reads as the largest BIGINT: over any limit.
constexpr char kSumReservations[] =
    "SELECT LEAST(COALESCE(SUM(amount_minor), 0), 9223372036854775807)::BIGINT, COUNT(*) "
    "FROM limit_reservations WHERE caller = $1 AND created_us > $2 AND NOT released AND "
    "currency = $3 AND ($4 = 0 OR ($4 = 1 AND source_account = $5) OR "
    "($4 = 2 AND destination = $5))";

constexpr char kInsertReservation[] =
    "INSERT INTO limit_reservations (caller, operation, idempotency_key, created_us, payout_id, "
    "source_account, destination, currency, amount_minor) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

int32_t ScopeCode(LimitScope scope) {
  switch (scope) {
    case LimitScope::kSourceAccount:
      return 1;
    case LimitScope::kDestination:
      return 2;
    case LimitScope::kCaller:
      break;
  }
  return 0;
}

}  // namespace

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
                                                absl::Time now) {
  LimitUsage usage;
  usage.rule = query.rule;
  usage.scope_value = query.rule.scope == LimitScope::kCaller ? query.caller : query.scope_value;
  PgParams params;
  params.Text(query.caller).Int64(WindowStartMicros(query.rule, now)).Text(query.rule.currency);
  params.Int32(ScopeCode(query.rule.scope)).Text(usage.scope_value);
  ASSIGN_OR_RETURN(auto sum, db.Exec(kSumReservations, params));
  usage.used_amount_minor = sum.Int(0, 0);
  usage.used_count = sum.Int(0, 1);
  return usage;
}

absl::StatusOr<SpendCheck> PostgresStore::Reserve(PgConnection& db, const ClaimRequest& request,
                                                  absl::Time now) {
  const Spend& spend = *request.spend;
  ASSIGN_OR_RETURN(SpendCheck check,
                   CheckSpend(request.id.caller, spend,
                              [&](const SpendQuery& query) { return Usage(db, query, now); }));
  if (check.reached.has_value()) return check;
  PgParams params;
  params.Text(request.id.caller).Text(request.id.operation).Text(request.id.key);
  params.Int64(absl::ToUnixMicros(now)).Text(spend.payout_id).Text(spend.source_account_id);
  params.Text(spend.destination).Text(spend.currency).Int64(spend.amount_minor);
  RETURN_IF_ERROR(db.Exec(kInsertReservation, params).status());
  return check;
}

absl::Status PostgresStore::GiveBackPayout(PgConnection& db, const std::string& caller,
                                           const std::string& payout_id) {
  return db
      .Exec(
          "UPDATE limit_reservations SET released = TRUE WHERE (caller, operation, "
          "idempotency_key, created_us) = (SELECT caller, operation, idempotency_key, "
          "created_us FROM limit_reservations WHERE caller = $1 AND payout_id = $2 "
          "ORDER BY created_us DESC LIMIT 1)",
          PgParams().Text(caller).Text(payout_id))
      .status();
}

absl::StatusOr<LimitUsage> PostgresStore::SpendUsage(const SpendQuery& query, absl::Time now) {
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  return Usage(*connection.get(), query, now);
}

}  // namespace idempotency
