#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"

#include "idempotency/spend_check.h"
#include "idempotency/sqlite_statement.h"
#include "idempotency/sqlite_store.h"
#include "vocabulary/status_macros.h"

// SqliteStore, spending limits (idempotency/spending_limits.h): one row per claim that carried
// a spend, and running totals per limit (docs/design.md#limit-totals) so a claim reads its
// window's sum from one row instead of summing the window. The check and the insert run in the
// claim's transaction on the store's one connection (under its mutex), and BEGIN IMMEDIATE
// holds the file's write lock from the start, so another process sharing the file cannot check
// between our read and our insert, nor give back between them.
namespace idempotency {
namespace {

// Sums the reservations one total counts: created in (?2, ?6], ?4 the scope (0 caller, 1
// source account, 2 destination), ?5 its value. Served by (caller, created_us): a total moved
// from one claim to the next reads only the reservations in between. SQLite's SUM fails on an
// integer overflow, so the amounts are summed in two halves that cannot overflow (high 32
// bits, low 32 bits); the totals keep the two halves too, put together (saturating) on read.
constexpr char kSumReservations[] =
    "SELECT COALESCE(SUM(amount_minor >> 32), 0), COALESCE(SUM(amount_minor & 4294967295), 0), "
    "COUNT(*) FROM limit_reservations "
    "WHERE caller = ?1 AND created_us > ?2 AND created_us <= ?6 AND released = 0 AND "
    "currency = ?3 AND "
    "(?4 = 0 OR (?4 = 1 AND source_account = ?5) OR (?4 = 2 AND destination = ?5))";

constexpr char kTotalKey[] =
    " WHERE caller = ?1 AND scope = ?2 AND scope_value = ?3 AND currency = ?4 AND window_us = ?5";

// Adds ?6 times one reservation (?5 its amount, created ?7) to every total of its caller that
// counts it: its scope values (?2 source account, ?3 destination), currency, horizon before it.
// Each arm names the whole key prefix, so SQLite looks up three index ranges (MULTI-INDEX OR)
// instead of reading every total of the caller (one per destination paid).
constexpr char kCountInTotals[] =
    "UPDATE limit_totals SET amount_high = amount_high + ?6 * (?5 >> 32), "
    "amount_low = amount_low + ?6 * (?5 & 4294967295), count = count + ?6 "
    "WHERE currency = ?4 AND horizon_us < ?7 AND ((caller = ?1 AND scope = 0 AND scope_value = "
    "?1) OR (caller = ?1 AND scope = 1 AND scope_value = ?2) OR (caller = ?1 AND scope = 2 AND "
    "scope_value = ?3))";

// A reservation as the totals see it: source_account, destination, currency, amount_minor,
// created_us, released, rowid.
constexpr char kReservationColumns[] =
    "SELECT source_account, destination, currency, amount_minor, created_us, released, rowid "
    "FROM limit_reservations";

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

// One row per limit in use (scope 0 caller, 1 source account, 2 destination): amount and count
// are the sums of its scope's unreleased reservations created after horizon_us.
const char* SqliteStore::LimitTotalsMigration() {
  return R"sql(
CREATE TABLE limit_totals (
  caller TEXT NOT NULL,
  scope INTEGER NOT NULL,
  scope_value TEXT NOT NULL,
  currency TEXT NOT NULL,
  window_us INTEGER NOT NULL,
  amount_high INTEGER NOT NULL,
  amount_low INTEGER NOT NULL,
  count INTEGER NOT NULL,
  horizon_us INTEGER NOT NULL,
  updated_us INTEGER NOT NULL,
  PRIMARY KEY (caller, scope, scope_value, currency, window_us)
);
CREATE INDEX limit_totals_by_horizon ON limit_totals (horizon_us);
PRAGMA user_version = 7;
)sql";
}

absl::StatusOr<SqliteStore::Sum> SqliteStore::SumLocked(const std::string& caller,
                                                        const LimitRule& rule,
                                                        const std::string& scope_value,
                                                        int64_t after_us, int64_t up_to_us) {
  SqliteStatement sum(statements_.get(), kSumReservations);
  sum.Bind(1, caller).Bind(2, after_us).Bind(3, rule.currency).Bind(4, LimitScopeCode(rule.scope));
  sum.Bind(5, scope_value).Bind(6, up_to_us);
  Sum out;
  if (sum.Step()) {
    out.high = sum.Int(0);
    out.low = sum.Int(1);
    out.count = sum.Int(2);
  }
  RETURN_IF_ERROR(sum.status());
  return out;
}

absl::StatusOr<LimitUsage> SqliteStore::UsageLocked(const SpendQuery& query, absl::Time now,
                                                    bool write) {
  LimitUsage usage;
  usage.rule = query.rule;
  usage.scope_value = query.rule.scope == LimitScope::kCaller ? query.caller : query.scope_value;
  const int64_t window_us = absl::ToInt64Microseconds(query.rule.window);
  const int64_t horizon_us = WindowStartMicros(query.rule, now);
  absl::optional<int64_t> old_horizon_us;
  Sum total;
  {
    SqliteStatement read(statements_.get(),
                         absl::StrCat("SELECT amount_high, amount_low, count, horizon_us FROM "
                                      "limit_totals",
                                      kTotalKey));
    read.Bind(1, query.caller).Bind(2, LimitScopeCode(query.rule.scope)).Bind(3, usage.scope_value);
    read.Bind(4, query.rule.currency).Bind(5, window_us);
    if (read.Step()) {
      total = Sum{read.Int(0), read.Int(1), read.Int(2)};
      old_horizon_us = read.Int(3);
    }
    RETURN_IF_ERROR(read.status());
  }
  if (!old_horizon_us.has_value()) {  // first use: the one full sum
    ASSIGN_OR_RETURN(total, SumLocked(query.caller, query.rule, usage.scope_value, horizon_us,
                                      std::numeric_limits<int64_t>::max()));
  } else if (*old_horizon_us != horizon_us) {
    // Forward: take out what left the window; backward (an earlier `now`, another replica's
    // clock): add back what is in it again.
    const int64_t sign = horizon_us > *old_horizon_us ? -1 : 1;
    ASSIGN_OR_RETURN(Sum moved, SumLocked(query.caller, query.rule, usage.scope_value,
                                          std::min(*old_horizon_us, horizon_us),
                                          std::max(*old_horizon_us, horizon_us)));
    total.high += sign * moved.high;
    total.low += sign * moved.low;
    total.count += sign * moved.count;
  }
  if (write && old_horizon_us != horizon_us) {
    SqliteStatement upsert(statements_.get(),
                           "INSERT OR REPLACE INTO limit_totals (caller, scope, scope_value, "
                           "currency, window_us, amount_high, amount_low, count, horizon_us, "
                           "updated_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    upsert.Bind(1, query.caller)
        .Bind(2, LimitScopeCode(query.rule.scope))
        .Bind(3, usage.scope_value);
    upsert.Bind(4, query.rule.currency).Bind(5, window_us).Bind(6, total.high);
    upsert.Bind(7, total.low).Bind(8, total.count).Bind(9, horizon_us);
    upsert.Bind(10, absl::ToUnixMicros(now));
    RETURN_IF_ERROR(upsert.Run());
  }
  usage.used_amount_minor = Combine(total.high, total.low);
  usage.used_count = total.count;
  return usage;
}

absl::StatusOr<SpendCheck> SqliteStore::ReserveLocked(const ClaimRequest& request, absl::Time now) {
  const Spend& spend = *request.spend;
  ASSIGN_OR_RETURN(SpendCheck check,
                   CheckSpend(request.id.caller, spend, [&](const SpendQuery& query) {
                     return UsageLocked(query, now, /*write=*/true);
                   }));
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
  RETURN_IF_ERROR(CountInTotalsLocked(request.id.caller, spend.source_account_id, spend.destination,
                                      spend.currency, spend.amount_minor, absl::ToUnixMicros(now),
                                      1));
  return check;
}

absl::Status SqliteStore::CountInTotalsLocked(const std::string& caller,
                                              const std::string& source_account,
                                              const std::string& destination,
                                              const std::string& currency, int64_t amount_minor,
                                              int64_t created_us, int64_t sign) {
  SqliteStatement update(statements_.get(), kCountInTotals);
  update.Bind(1, caller).Bind(2, source_account).Bind(3, destination).Bind(4, currency);
  update.Bind(5, amount_minor).Bind(6, sign).Bind(7, created_us);
  return update.Run();
}

absl::StatusOr<int64_t> SqliteStore::TakeOutOfTotalsLocked(const std::string& caller,
                                                           const std::string& where,
                                                           const std::vector<std::string>& args) {
  std::string source, destination, currency;
  int64_t amount = 0, created_us = 0, rowid = -1;  // -1: no reservation
  bool released = false;
  {
    SqliteStatement read(statements_.get(), absl::StrCat(kReservationColumns, where));
    for (size_t i = 0; i < args.size(); ++i) read.Bind(static_cast<int>(i) + 1, args[i]);
    if (read.Step()) {
      source = read.Text(0);
      destination = read.Text(1);
      currency = read.Text(2);
      amount = read.Int(3);
      created_us = read.Int(4);
      released = read.Int(5) != 0;
      rowid = read.Int(6);
    }
    RETURN_IF_ERROR(read.status());
  }
  if (rowid < 0) return rowid;
  if (!released) {  // given back once: a second give-back takes nothing out
    RETURN_IF_ERROR(
        CountInTotalsLocked(caller, source, destination, currency, amount, created_us, -1));
  }
  return rowid;
}

absl::Status SqliteStore::DeleteReservationLocked(const RecordKey& id, const std::string& owner) {
  ASSIGN_OR_RETURN(
      const int64_t rowid,
      TakeOutOfTotalsLocked(id.caller, kOfHeldRecord, {id.caller, id.operation, id.key, owner}));
  if (rowid < 0) return absl::OkStatus();
  SqliteStatement remove(statements_.get(), "DELETE FROM limit_reservations WHERE rowid = ?1");
  remove.Bind(1, rowid);
  return remove.Run();
}

absl::Status SqliteStore::GiveBackReservationLocked(const RecordKey& id, const std::string& owner) {
  ASSIGN_OR_RETURN(
      const int64_t rowid,
      TakeOutOfTotalsLocked(id.caller, kOfHeldRecord, {id.caller, id.operation, id.key, owner}));
  return MarkReleasedLocked(rowid);
}

absl::Status SqliteStore::GiveBackPayoutLocked(const std::string& caller,
                                               const std::string& payout_id) {
  ASSIGN_OR_RETURN(const int64_t rowid,
                   TakeOutOfTotalsLocked(caller,
                                         " WHERE caller = ?1 AND payout_id = ?2 ORDER BY "
                                         "created_us DESC LIMIT 1",
                                         {caller, payout_id}));
  return MarkReleasedLocked(rowid);
}

absl::Status SqliteStore::MarkReleasedLocked(int64_t rowid) {
  if (rowid < 0) return absl::OkStatus();
  SqliteStatement update(statements_.get(),
                         "UPDATE limit_reservations SET released = 1 WHERE rowid = ?1");
  update.Bind(1, rowid);
  return update.Run();
}

absl::Status SqliteStore::SweepReservationsLocked(absl::Time now) {
  const int64_t oldest_us = absl::ToUnixMicros(now - kLongestLimitWindow);
  SqliteStatement remove(statements_.get(), "DELETE FROM limit_reservations WHERE created_us < ?1");
  remove.Bind(1, oldest_us);
  RETURN_IF_ERROR(remove.Run());
  // A total whose horizon is before the swept reservations may have counted them: it goes
  // (its next use sums afresh). A total in use has its horizon within the longest window.
  SqliteStatement totals(statements_.get(), "DELETE FROM limit_totals WHERE horizon_us < ?1");
  totals.Bind(1, oldest_us);
  return totals.Run();
}

// Read only: the total moved to `now` without keeping it (a read takes no write lock).
absl::StatusOr<LimitUsage> SqliteStore::SpendUsage(const SpendQuery& query, absl::Time now) {
  absl::MutexLock lock(&mu_);
  return UsageLocked(query, now, /*write=*/false);
}

}  // namespace idempotency
