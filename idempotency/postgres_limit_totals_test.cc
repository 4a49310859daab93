// PostgresStore's running limit totals (docs/design.md#limit-totals) against a real server:
// two replicas claiming, releasing and failing payouts of one caller concurrently, with clocks
// apart, leave every total equal to a full sum of the reservations it counts; a store of the
// previous schema (reservations, no totals) starts its totals from those reservations.
// Needs GATEWAY_TEST_POSTGRES_URL (scripts/test.sh); fails without it.
#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "idempotency/postgres_store.h"

namespace idempotency {
namespace {

std::string ServerUrl() {
  const char* url = std::getenv("GATEWAY_TEST_POSTGRES_URL");
  return url != nullptr ? url : "";
}

std::string FreshSchema() {
  absl::BitGen random;
  return absl::StrFormat("t_%016x", absl::Uniform<uint64_t>(random));
}

std::unique_ptr<PostgresStore> OpenStore(const std::string& schema) {
  if (ServerUrl().empty()) {
    ADD_FAILURE() << "GATEWAY_TEST_POSTGRES_URL is not set: run the tests with scripts/test.sh";
    return nullptr;
  }
  auto store = PostgresStore::Open(ServerUrl(), 4, schema);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

std::unique_ptr<PgConnection> Admin(const std::string& schema, SecretRedactor* redactor) {
  auto admin = PgConnection::Connect({ServerUrl(), schema}, redactor);
  EXPECT_TRUE(admin.ok()) << admin.status();
  return admin.ok() ? *std::move(admin) : nullptr;
}

// A claim of `amount` by billing, to destination `destination`, against a caller-wide amount
// limit (24 h) and per-account and per-destination totals over `short_window`.
ClaimRequest ClaimOf(const std::string& key, int64_t amount, int64_t max_amount, int destination,
                     absl::Duration short_window) {
  ClaimRequest claim;
  claim.id = RecordKey{"billing", "CreatePayout", key};
  claim.fingerprint = "fp";
  claim.request = "request";
  claim.owner = "instance";
  claim.lease = absl::Seconds(30);
  claim.retention = absl::Hours(24);
  Spend spend;
  spend.payout_id = "monato.payout." + key;
  spend.source_account_id = "monato.acct.a1";
  spend.destination = absl::StrCat("6461801104000000", destination, "7");
  spend.amount_minor = amount;
  LimitRule daily;
  daily.name = "daily";
  daily.max_amount_minor = max_amount;
  spend.limits.push_back(daily);
  for (LimitScope scope : {LimitScope::kSourceAccount, LimitScope::kDestination}) {
    LimitRule rule;
    rule.name = "short";
    rule.scope = scope;
    rule.window = short_window;
    spend.limits.push_back(rule);
  }
  claim.spend = spend;
  return claim;
}

// Every total equals the full sum of what it counts; returns how many totals there are.
int ExpectTotalsEqualFullSums(PgConnection& admin) {
  auto rows = admin.Exec(
      "SELECT t.scope, t.scope_value, t.window_us, t.amount::BIGINT, t.count, "
      "COALESCE(SUM(r.amount_minor), 0)::BIGINT, COUNT(r.caller) FROM limit_totals t "
      "LEFT JOIN limit_reservations r ON r.caller = t.caller AND r.created_us > t.horizon_us "
      "AND NOT r.released AND r.currency = t.currency AND (t.scope = 0 OR (t.scope = 1 AND "
      "r.source_account = t.scope_value) OR (t.scope = 2 AND r.destination = t.scope_value)) "
      "GROUP BY t.caller, t.scope, t.scope_value, t.currency, t.window_us, t.amount, t.count");
  EXPECT_TRUE(rows.ok()) << rows.status();
  if (!rows.ok()) return -1;
  for (int row = 0; row < rows->rows(); ++row) {
    const std::string what = absl::StrCat("scope ", rows->Int(row, 0), " ", rows->Bytes(row, 1),
                                          " window ", rows->Int(row, 2));
    EXPECT_EQ(rows->Int(row, 3), rows->Int(row, 5)) << what << ": amount";
    EXPECT_EQ(rows->Int(row, 4), rows->Int(row, 6)) << what << ": count";
  }
  return rows->rows();
}

// Two replicas (clocks 3 ms apart) claiming; every fourth claim released, every fifth kept one
// failed at the provider (SavePayout FAILED) from another thread while claims go on. The
// 5 ms totals move back and forth over reservations being given back.
TEST(PostgresLimitTotalsTest, ReplicasClaimingAndGivingBackKeepEveryTotalExact) {
  const std::string schema = FreshSchema();
  auto replica_a = OpenStore(schema);
  auto replica_b = OpenStore(schema);
  ASSERT_NE(replica_a, nullptr);
  ASSERT_NE(replica_b, nullptr);
  constexpr int kThreads = 6;
  constexpr int kClaimsPerThread = 30;
  constexpr int64_t kLimit = 600;
  const absl::Time now = absl::Now();
  std::atomic<int> errors{0}, kept{0}, failed{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    PostgresStore* store = t % 2 == 0 ? replica_a.get() : replica_b.get();
    threads.emplace_back([&, store, t] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kClaimsPerThread; ++i) {
        ClaimRequest claim =
            ClaimOf(absl::StrCat("mix-", t, "-", i), 10, kLimit, i % 3, absl::Milliseconds(5));
        auto result = store->Claim(claim, now + absl::Milliseconds(i - 3 * (t % 2)));
        if (!result.ok()) {
          ++errors;
          continue;
        }
        if (result->outcome != ClaimOutcome::kClaimed) continue;
        if (i % 4 == 0) {
          if (!store->Release(claim.id, "instance").ok()) ++errors;
          continue;
        }
        if (i % 5 == 0) {
          std::thread fail([&, store, claim] {
            payments::v1::Payout payout;
            payout.set_id(claim.spend->payout_id);
            payout.set_provider(payments::v1::PROVIDER_MONATO);
            payout.set_status(payments::v1::PAYOUT_STATUS_FAILED);
            if (!store->SavePayout({"billing", payout}).ok()) ++errors;
          });
          fail.join();
          ++failed;
          continue;
        }
        ++kept;
      }
    });
  }
  go = true;
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_GT(failed.load(), 0);
  EXPECT_EQ(kept.load(), kLimit / 10);
  SecretRedactor redactor(ServerUrl());
  auto admin = Admin(schema, &redactor);
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(ExpectTotalsEqualFullSums(*admin), 1 + 1 + 3);  // caller, account, 3 destinations
  auto usage = replica_a->SpendUsage(
      SpendQuery{"billing", ClaimOf("x", 1, kLimit, 0, absl::Hours(1)).spend->limits[0], ""}, now);
  ASSERT_TRUE(usage.ok()) << usage.status();
  EXPECT_EQ(usage->used_amount_minor, kLimit);
}

// A store of schema version 5 has reservations and no totals: migrated, its first claim's
// totals start from a full sum of those reservations.
TEST(PostgresLimitTotalsTest, AVersionFiveStoreStartsItsTotalsFromItsReservations) {
  const std::string schema = FreshSchema();
  const absl::Time now = absl::Now();
  {
    auto store = OpenStore(schema);
    ASSERT_NE(store, nullptr);
    for (int i = 0; i < 3; ++i) {
      auto claimed =
          store->Claim(ClaimOf(absl::StrCat("old-", i), 30, 100, 0, absl::Hours(1)), now);
      ASSERT_TRUE(claimed.ok()) << claimed.status();
      ASSERT_EQ(claimed->outcome, ClaimOutcome::kClaimed);
    }
  }
  SecretRedactor redactor(ServerUrl());
  auto admin = Admin(schema, &redactor);
  ASSERT_NE(admin, nullptr);
  ASSERT_TRUE(
      admin->ExecScript("DROP TABLE limit_totals; UPDATE schema_version SET version = 5;").ok());
  auto store = OpenStore(schema);
  ASSERT_NE(store, nullptr);
  auto refused = store->Claim(ClaimOf("new-1", 11, 100, 0, absl::Hours(1)), now);
  ASSERT_TRUE(refused.ok()) << refused.status();
  ASSERT_EQ(refused->outcome, ClaimOutcome::kLimitReached);
  EXPECT_EQ(refused->limit_reached->usage.used_amount_minor, 90);
  auto fits = store->Claim(ClaimOf("new-2", 10, 100, 0, absl::Hours(1)), now);
  ASSERT_TRUE(fits.ok()) << fits.status();
  ASSERT_EQ(fits->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(fits->usage[0].used_amount_minor, 100);
  EXPECT_EQ(fits->usage[2].used_count, 4);  // the destination's total
  EXPECT_EQ(ExpectTotalsEqualFullSums(*admin), 3);
}

// The resolver answers an abandoned claim with an error (one transaction: take-over, then the
// error answer, which gives the spend back under the caller's limit lock) while the caller's
// client retries the same key (a new-claim attempt with a spend, waiting on the record's row).
// The limit lock is taken after the record's row lock by both, so they queue instead of
// deadlocking: the answer is stored, and the retry replays it.
TEST(PostgresLimitTotalsTest, AClientRetryAndTheResolverAnsweringTheSameKeyDoNotDeadlock) {
  const std::string schema = FreshSchema();
  auto resolver = OpenStore(schema);
  auto client = OpenStore(schema);
  ASSERT_NE(resolver, nullptr);
  ASSERT_NE(client, nullptr);
  SecretRedactor redactor(ServerUrl());
  auto admin = Admin(schema, &redactor);
  ASSERT_NE(admin, nullptr);
  const absl::Time now = absl::Now();
  ClaimRequest first = ClaimOf("k", 10, 100, 0, absl::Hours(1));
  first.owner = "dead-instance";
  auto claimed = client->Claim(first, now - absl::Minutes(1));  // its lease ran out
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  ASSERT_EQ(claimed->outcome, ClaimOutcome::kClaimed);

  ASSERT_TRUE(resolver->BeginBatch().ok());  // one transaction, like the resolver's task
  ClaimRequest take_over = first;
  take_over.owner = "resolver";
  take_over.spend.reset();
  auto taken = resolver->Claim(take_over, now);
  ASSERT_TRUE(taken.ok()) << taken.status();
  ASSERT_EQ(taken->outcome, ClaimOutcome::kTakenOver);

  absl::StatusOr<ClaimResult> retried = absl::UnknownError("not run");
  std::thread retry([&] {
    ClaimRequest again = first;
    again.owner = "client";
    retried = client->Claim(again, now);
  });
  // Until the retry waits on the record's row.
  for (;;) {
    auto waiting = admin->Exec(
        "SELECT COUNT(*) FROM pg_catalog.pg_stat_activity WHERE wait_event_type = 'Lock' AND "
        "datname = pg_catalog.current_database()");
    ASSERT_TRUE(waiting.ok()) << waiting.status();
    if (waiting->Int(0, 0) > 0) break;
    std::this_thread::yield();
  }
  IdempotencyRecord error;
  error.status_code = 2;
  error.status_message = "needs reconciliation";
  EXPECT_TRUE(resolver->Complete(take_over.id, "resolver", error).ok());
  EXPECT_TRUE(resolver->CommitBatch().ok());
  retry.join();
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->outcome, ClaimOutcome::kCompleted);
  EXPECT_EQ(retried->record.status_code, 2);
  EXPECT_EQ(ExpectTotalsEqualFullSums(*admin), 3);
  auto usage = client->SpendUsage(SpendQuery{"billing", first.spend->limits[0], ""}, now);
  ASSERT_TRUE(usage.ok()) << usage.status();
  EXPECT_EQ(usage->used_amount_minor, 0);  // the error answer gave it back
}

}  // namespace
}  // namespace idempotency
