#include <sqlite3.h>

#include <cstdint>
#include <limits>

#include "idempotency/sqlite_statement.h"
#include "idempotency/sqlite_store.h"
#include "vocabulary/status_macros.h"

// SqliteStore, spending limits (idempotency/spending_limits.h): one row per claim that carried
// a spend. The check and the insert run in the claim's transaction on the store's one
// connection (under its mutex), and BEGIN IMMEDIATE holds the file's write lock from the start,
// so another process sharing the file cannot check between our sum and our insert.
namespace idempotency {
namespace {

// Sums the reservations one rule counts: $2 is the window's start (exclusive), $4 the scope
// (0 caller, 1 source account, 2 destination), $5 its value. Served by (caller, created_us).
// SQLite's SUM fails on an integer overflow, so the amounts are summed in two halves that
// cannot overflow (high 32 bits, low 32 bits) and put together here, saturating.
constexpr char kSumReservations[] =
    "SELECT COALESCE(SUM(amount_minor >> 32), 0), COALESCE(SUM(amount_minor & 4294967295), 0), "
    "COUNT(*) FROM limit_reservations "
    "WHERE caller = ?1 AND created_us > ?2 AND released = 0 AND currency = ?3 AND "
    "(?4 = 0 OR (?4 = 1 AND source_account = ?5) OR (?4 = 2 AND destination = ?5))";

// The reservation of the in-progress record of a key held by an owner ($1..$4), matched by
// the record's creation time: an older claim of the same key keeps its own.
constexpr char kOfHeldRecord[] =
    " WHERE caller = ?1 AND operation = ?2 AND idempotency_key = ?3 AND created_us = "
    "(SELECT created_us FROM idempotency_records WHERE caller = ?1 AND operation = ?2 AND "
    "idempotency_key = ?3 AND owner = ?4 AND completed = 0)";

int64_t Combine(int64_t high, int64_t low) {
  int64_t shifted = 0, sum = 0;
  if (__builtin_mul_overflow(high, int64_t{1} << 32, &shifted) ||
      __builtin_add_overflow(shifted, low, &sum)) {
    return std::numeric_limits<int64_t>::max();  // beyond any limit
  }
  return sum;
}

int ScopeCode(LimitScope scope) {
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

const char* SqliteStore::LimitReservationsMigration() {
  return R"sql(
CREATE TABLE limit_reservations (
  caller TEXT NOT NULL,
  operation TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  created_us INTEGER NOT NULL,
  payout_id TEXT NOT NULL,
  source_account TEXT NOT NULL,
  destination TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  released INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (caller, operation, idempotency_key, created_us)
);
CREATE INDEX limit_reservations_by_time ON limit_reservations (caller, created_us);
CREATE INDEX limit_reservations_by_payout ON limit_reservations (caller, payout_id);
CREATE INDEX limit_reservations_by_age ON limit_reservations (created_us);
PRAGMA user_version = 6;
)sql";
}

absl::StatusOr<LimitUsage> SqliteStore::UsageLocked(const SpendQuery& query, absl::Time now) {
  LimitUsage usage;
  usage.rule = query.rule;
  usage.scope_value = query.rule.scope == LimitScope::kCaller ? query.caller : query.scope_value;
  SqliteStatement sum(statements_.get(), kSumReservations);
  sum.Bind(1, query.caller).Bind(2, WindowStartMicros(query.rule, now));
  sum.Bind(3, query.rule.currency).Bind(4, ScopeCode(query.rule.scope));
  sum.Bind(5, usage.scope_value);
  if (sum.Step()) {
    usage.used_amount_minor = Combine(sum.Int(0), sum.Int(1));
    usage.used_count = sum.Int(2);
  }
  RETURN_IF_ERROR(sum.status());
  return usage;
}

absl::StatusOr<SpendCheck> SqliteStore::ReserveLocked(const ClaimRequest& request, absl::Time now) {
  const Spend& spend = *request.spend;
  ASSIGN_OR_RETURN(SpendCheck check,
                   CheckSpend(request.id.caller, spend,
                              [&](const SpendQuery& query) { return UsageLocked(query, now); }));
  if (check.reached.has_value()) return check;
  SqliteStatement insert(statements_.get(),
                         "INSERT INTO limit_reservations (caller, operation, idempotency_key, "
                         "created_us, payout_id, source_account, destination, currency, "
                         "amount_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  insert.Bind(1, request.id.caller).Bind(2, request.id.operation).Bind(3, request.id.key);
  insert.Bind(4, absl::ToUnixMicros(now)).Bind(5, spend.payout_id);
  insert.Bind(6, spend.source_account_id).Bind(7, spend.destination).Bind(8, spend.currency);
  insert.Bind(9, spend.amount_minor);
  RETURN_IF_ERROR(insert.Run());
  return check;
}

absl::Status SqliteStore::DeleteReservationLocked(const RecordKey& id, const std::string& owner) {
  SqliteStatement remove(statements_.get(),
                         absl::StrCat("DELETE FROM limit_reservations", kOfHeldRecord));
  remove.Bind(1, id.caller).Bind(2, id.operation).Bind(3, id.key).Bind(4, owner);
  return remove.Run();
}

absl::Status SqliteStore::GiveBackReservationLocked(const RecordKey& id, const std::string& owner) {
  SqliteStatement update(statements_.get(),
                         absl::StrCat("UPDATE limit_reservations SET released = 1", kOfHeldRecord));
  update.Bind(1, id.caller).Bind(2, id.operation).Bind(3, id.key).Bind(4, owner);
  return update.Run();
}

absl::Status SqliteStore::GiveBackPayoutLocked(const std::string& caller,
                                               const std::string& payout_id) {
  SqliteStatement update(statements_.get(),
                         "UPDATE limit_reservations SET released = 1 WHERE rowid = "
                         "(SELECT rowid FROM limit_reservations WHERE caller = ?1 AND "
                         "payout_id = ?2 ORDER BY created_us DESC LIMIT 1)");
  update.Bind(1, caller).Bind(2, payout_id);
  return update.Run();
}

absl::Status SqliteStore::SweepReservationsLocked(absl::Time now) {
  SqliteStatement remove(statements_.get(), "DELETE FROM limit_reservations WHERE created_us < ?1");
  remove.Bind(1, absl::ToUnixMicros(now - kLongestLimitWindow));
  return remove.Run();
}

absl::StatusOr<LimitUsage> SqliteStore::SpendUsage(const SpendQuery& query, absl::Time now) {
  absl::MutexLock lock(&mu_);
  return UsageLocked(query, now);
}

}  // namespace idempotency
