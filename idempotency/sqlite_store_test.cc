#include "idempotency/sqlite_store.h"

#include <sqlite3.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "idempotency/testing/limit_contract.h"
#include "idempotency/testing/store_contract.h"

namespace idempotency {
namespace {

std::string FreshPath() {
  static std::atomic<int> counter{0};
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/store-", ++counter, "/gateway.db");
}

const StoreFactory kSqlite{
    "sqlite", [] {
      auto store = SqliteStore::Open(FreshPath());
      EXPECT_TRUE(store.ok()) << store.status();
      return std::unique_ptr<GatewayStore>(store.ok() ? store->release() : nullptr);
    }};

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest, testing::Values(kSqlite),
                         [](const auto& info) { return info.param.name; });
INSTANTIATE_TEST_SUITE_P(Sqlite, LimitContractTest, testing::Values(kSqlite),
                         [](const auto& info) { return info.param.name; });

// A payout claim of `amount` against one caller-wide amount limit.
ClaimRequest LimitedClaim(const std::string& key, int64_t amount, int64_t max_amount) {
  ClaimRequest claim;
  claim.id = RecordKey{"billing", "CreatePayout", key};
  claim.fingerprint = "fp";
  claim.owner = "a";
  claim.lease = absl::Seconds(30);
  claim.retention = absl::Hours(24);
  Spend spend;
  spend.payout_id = "monato.payout." + key;
  spend.source_account_id = "monato.acct.a1";
  spend.destination = "646180110400000007";
  spend.amount_minor = amount;
  LimitRule rule;
  rule.name = "daily";
  rule.max_amount_minor = max_amount;
  spend.limits.push_back(rule);
  claim.spend = spend;
  return claim;
}

TEST(SqliteStoreTest, KeysAndPayoutsSurviveARestart) {
  const std::string path = FreshPath();
  const absl::Time now = absl::Now();
  ClaimRequest claim;
  claim.id = RecordKey{"billing", "CreatePayout", "k-restart"};
  claim.fingerprint = "fp";
  claim.request = "req";
  claim.owner = "a";
  claim.lease = absl::Seconds(30);
  claim.retention = absl::Hours(24);
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->Claim(claim, now).ok());
    IdempotencyRecord answer;
    answer.response = "payout";
    ASSERT_TRUE((*store)->Complete(claim.id, "a", answer).ok());
    payments::v1::Payout payout;
    payout.set_id("monato.payout.p1");
    payout.set_status(payments::v1::PAYOUT_STATUS_PENDING);
    ASSERT_TRUE((*store)->SavePayout({"billing", payout}).ok());
  }
  auto reopened = SqliteStore::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  auto replay = (*reopened)->Claim(claim, now + absl::Seconds(1));
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->outcome, ClaimOutcome::kCompleted);
  EXPECT_EQ(replay->record.response, "payout");
  auto payout = (*reopened)->GetPayout("billing", "monato.payout.p1");
  ASSERT_TRUE(payout.ok());
  ASSERT_TRUE(payout->has_value());
  EXPECT_EQ((*payout)->status(), payments::v1::PAYOUT_STATUS_PENDING);
}

TEST(SqliteStoreTest, TwoConnectionsOnOneFileStillHaveOneWinner) {
  const std::string path = FreshPath();
  auto first = SqliteStore::Open(path);
  auto second = SqliteStore::Open(path);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  ClaimRequest claim;
  claim.id = RecordKey{"billing", "CreatePayout", "shared-file"};
  claim.fingerprint = "fp";
  claim.owner = "one";
  claim.lease = absl::Seconds(30);
  claim.retention = absl::Hours(24);
  auto a = (*first)->Claim(claim, absl::Now());
  claim.owner = "two";
  auto b = (*second)->Claim(claim, absl::Now());
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(b->outcome, ClaimOutcome::kInFlight);
}

// Group commit: calls inside a batch are one transaction, invisible to other connections (and
// not durable) until CommitBatch.
TEST(SqliteStoreTest, ABatchIsInvisibleToOthersUntilItsOneCommit) {
  const std::string path = FreshPath();
  auto writer = SqliteStore::Open(path);
  auto reader = SqliteStore::Open(path);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE((*writer)->BeginBatch().ok());
  EXPECT_TRUE((*writer)->BatchOpen());
  for (const char* id : {"monato.payout.b1", "monato.payout.b2"}) {
    payments::v1::Payout payout;
    payout.set_id(id);
    payout.set_status(payments::v1::PAYOUT_STATUS_PENDING);
    ASSERT_TRUE((*writer)->SavePayout({"billing", payout}).ok());  // a savepoint inside
    auto own = (*writer)->GetPayout("billing", id);
    ASSERT_TRUE(own.ok());
    EXPECT_TRUE(own->has_value());  // the batch sees its own writes
    auto other = (*reader)->GetPayout("billing", id);
    ASSERT_TRUE(other.ok());
    EXPECT_FALSE(other->has_value());  // nobody else does yet
  }
  ASSERT_TRUE((*writer)->CommitBatch().ok());
  EXPECT_FALSE((*writer)->BatchOpen());
  for (const char* id : {"monato.payout.b1", "monato.payout.b2"}) {
    auto other = (*reader)->GetPayout("billing", id);
    ASSERT_TRUE(other.ok());
    EXPECT_TRUE(other->has_value()) << id;
  }
}

TEST(SqliteStoreTest, AVersionOneDatabaseIsMigratedKeepingItsPayouts) {
  const std::string path = FreshPath();
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  {
    // The payouts table as the first release created it, with one payout in it.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    payments::v1::Payout old;
    old.set_id("fintoc.payout.old");
    old.set_provider(payments::v1::PROVIDER_FINTOC);
    old.set_status(payments::v1::PAYOUT_STATUS_PENDING);
    const std::string blob = old.SerializeAsString();
    const std::string ddl =
        "CREATE TABLE payouts (seq INTEGER PRIMARY KEY AUTOINCREMENT, caller TEXT NOT NULL, "
        "payout_id TEXT NOT NULL, provider INTEGER NOT NULL, source_account_id TEXT NOT NULL, "
        "status INTEGER NOT NULL, payout BLOB NOT NULL, updated_us INTEGER NOT NULL, "
        "UNIQUE (caller, payout_id)); PRAGMA user_version = 1;";
    ASSERT_EQ(sqlite3_exec(db, ddl.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_stmt* insert = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db,
                                 "INSERT INTO payouts (caller, payout_id, provider, "
                                 "source_account_id, status, payout, updated_us) "
                                 "VALUES ('c', 'fintoc.payout.old', 2, '', 1, ?1, 0)",
                                 -1, &insert, nullptr),
              SQLITE_OK);
    sqlite3_bind_blob(insert, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(insert), SQLITE_DONE);
    sqlite3_finalize(insert);
    sqlite3_close(db);
  }
  auto migrated = SqliteStore::Open(path);
  ASSERT_TRUE(migrated.ok()) << migrated.status();
  auto old = (*migrated)->GetPayout("c", "fintoc.payout.old");
  ASSERT_TRUE(old.ok()) << old.status();
  ASSERT_TRUE(old->has_value());
  payments::v1::Payout payout;
  payout.set_id("fintoc.payout.new");
  payout.set_provider(payments::v1::PROVIDER_FINTOC);
  payout.set_provider_payout_id("tr_1");
  ASSERT_TRUE((*migrated)->SavePayout({"c", payout}).ok());
  auto found = (*migrated)->FindPayoutByProviderRef(payments::v1::PROVIDER_FINTOC, "tr_1", "");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->payout.id(), "fintoc.payout.new");
  // Version 5: the old PENDING payout has a resolver schedule: due now, first saved when it was
  // last updated, and its next attempt can be stored.
  auto due = (*migrated)->PayoutsDueForResolve(absl::Now(), absl::Now(), 10);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].payout.id(), "fintoc.payout.old");
  EXPECT_EQ((*due)[0].first_saved, absl::UnixEpoch());
  ASSERT_TRUE(
      (*migrated)->ScheduleResolve("c", "fintoc.payout.old", 1, absl::Now() + absl::Hours(1)).ok());
  EXPECT_TRUE((*migrated)->PayoutsDueForResolve(absl::Now(), absl::Now(), 10)->empty());
  // Version 6: claims reserve against spending limits.
  const absl::Time now = absl::Now();
  auto claimed = (*migrated)->Claim(LimitedClaim("after-migration", 70, 100), now);
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  EXPECT_EQ(claimed->outcome, ClaimOutcome::kClaimed);
  auto refused = (*migrated)->Claim(LimitedClaim("over", 31, 100), now);
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->outcome, ClaimOutcome::kLimitReached);
  // Version 8: the old payout's creation time is its last update (0 here), for reconciliation.
  PayoutWindowQuery window;
  window.provider = payments::v1::PROVIDER_FINTOC;
  window.created_from = absl::UnixEpoch();
  window.created_to = absl::UnixEpoch() + absl::Seconds(1);
  auto old_window = (*migrated)->PayoutsCreatedWithin(window);
  ASSERT_TRUE(old_window.ok()) << old_window.status();
  ASSERT_EQ(old_window->payouts.size(), 1u);
  EXPECT_EQ(old_window->payouts[0].payout.id(), "fintoc.payout.old");
  // Opening again does not migrate twice.
  EXPECT_TRUE(SqliteStore::Open(path).ok());
}

// A version 7 database (the previous release) gains the leases and the creation-time index;
// its payouts keep the creation time they were first saved with.
TEST(SqliteStoreTest, AVersionSevenDatabaseGainsLeasesAndKeepsCreationTimes) {
  const std::string path = FreshPath();
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    payments::v1::Payout payout;
    payout.set_id("monato.payout.v7");
    payout.set_provider(payments::v1::PROVIDER_MONATO);
    ASSERT_TRUE((*store)->SavePayout({"billing", payout}).ok());
  }
  {
    // Back to version 7's schema, the row as version 7 wrote it (first saved at 1000 µs,
    // updated since).
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "DROP INDEX payouts_by_creation; DROP TABLE leases; "
                           "UPDATE payouts SET created_us = 1000, updated_us = 5000; "
                           "PRAGMA user_version = 7;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto migrated = SqliteStore::Open(path);
  ASSERT_TRUE(migrated.ok()) << migrated.status();
  PayoutWindowQuery window;
  window.provider = payments::v1::PROVIDER_MONATO;
  window.created_from = absl::FromUnixMicros(1000);
  window.created_to = absl::FromUnixMicros(1001);
  auto page = (*migrated)->PayoutsCreatedWithin(window);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->payouts.size(), 1u);
  EXPECT_EQ(page->payouts[0].first_saved, absl::FromUnixMicros(1000));
  auto lease = (*migrated)->TryTakeLease("reconcile", "a", absl::Now(), absl::Seconds(10));
  ASSERT_TRUE(lease.ok()) << lease.status();
  EXPECT_TRUE(*lease);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* version = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &version, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(version), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(version, 0), 8);
  sqlite3_finalize(version);
  sqlite3_close(db);
}

// Two processes sharing the file (two connections here) racing for one free lease: one wins.
TEST(SqliteStoreTest, TwoConnectionsRacingForOneLeaseHaveOneWinner) {
  const std::string path = FreshPath();
  auto first = SqliteStore::Open(path);
  auto second = SqliteStore::Open(path);
  ASSERT_TRUE(first.ok() && second.ok());
  const absl::Time now = absl::Now();
  for (int round = 0; round < 20; ++round) {
    const std::string name = absl::StrCat("job-", round);
    std::atomic<int> winners{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> racers;
    for (int i = 0; i < 4; ++i) {
      SqliteStore* store = i % 2 == 0 ? first->get() : second->get();
      racers.emplace_back([&, store, i] {
        while (!go) std::this_thread::yield();
        auto taken = store->TryTakeLease(name, absl::StrCat("holder-", i), now, absl::Minutes(1));
        EXPECT_TRUE(taken.ok()) << taken.status();
        if (taken.ok() && *taken) ++winners;
      });
    }
    go = true;
    for (auto& racer : racers) racer.join();
    EXPECT_EQ(winners, 1) << name;
  }
}

// Two processes sharing the file (two connections here): BEGIN IMMEDIATE makes the sum and the
// insert one step, so 200 concurrent payouts of 1 against a limit of 50 approve exactly 50.
TEST(SqliteStoreTest, TwoConnectionsRacingOnOneLimitApproveExactlyIt) {
  const std::string path = FreshPath();
  auto first = SqliteStore::Open(path);
  auto second = SqliteStore::Open(path);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  constexpr int kThreads = 8;
  constexpr int kClaimsPerThread = 25;
  constexpr int64_t kLimit = 50;
  const absl::Time now = absl::Now();
  std::atomic<int> claimed{0}, refused{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    SqliteStore* store = t % 2 == 0 ? first->get() : second->get();
    threads.emplace_back([&, store, t] {
      for (int i = 0; i < kClaimsPerThread; ++i) {
        auto result = store->Claim(LimitedClaim(absl::StrCat("race-", t, "-", i), 1, kLimit), now);
        if (!result.ok()) {
          ++errors;
        } else if (result->outcome == ClaimOutcome::kClaimed) {
          ++claimed;
        } else if (result->outcome == ClaimOutcome::kLimitReached) {
          ++refused;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claimed.load(), kLimit);
  EXPECT_EQ(refused.load(), kThreads * kClaimsPerThread - kLimit);
  auto usage = (*first)->SpendUsage(
      SpendQuery{"billing", LimitedClaim("x", 1, kLimit).spend->limits[0], ""}, now);
  ASSERT_TRUE(usage.ok()) << usage.status();
  EXPECT_EQ(usage->used_amount_minor, kLimit);
  EXPECT_EQ(usage->used_count, kLimit);
}

// Every running total (docs/design.md#limit-totals) equals a full sum of the reservations it
// counts, read straight from the file; returns how many totals there are.
int ExpectTotalsEqualFullSums(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  constexpr char kCompare[] =
      "SELECT t.scope, t.scope_value, t.window_us, t.amount_high, t.amount_low, t.count, "
      "COALESCE(SUM(r.amount_minor >> 32), 0), COALESCE(SUM(r.amount_minor & 4294967295), 0), "
      "COUNT(r.caller) FROM limit_totals t LEFT JOIN limit_reservations r ON r.caller = t.caller "
      "AND r.created_us > t.horizon_us AND r.released = 0 AND r.currency = t.currency AND "
      "(t.scope = 0 OR (t.scope = 1 AND r.source_account = t.scope_value) OR "
      "(t.scope = 2 AND r.destination = t.scope_value)) "
      "GROUP BY t.caller, t.scope, t.scope_value, t.currency, t.window_us";
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, kCompare, -1, &statement, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  int totals = 0;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    ++totals;
    const std::string what =
        absl::StrCat("scope ", sqlite3_column_int64(statement, 0), " ",
                     reinterpret_cast<const char*>(sqlite3_column_text(statement, 1)), " window ",
                     sqlite3_column_int64(statement, 2));
    for (int column = 3; column < 6; ++column) {
      EXPECT_EQ(sqlite3_column_int64(statement, column),
                sqlite3_column_int64(statement, column + 3))
          << what << " column " << column;
    }
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return totals;
}

// Two processes on one file claiming (with clocks a little apart) and releasing against three
// limits: the limit holds, and every total still equals its full sum.
TEST(SqliteStoreTest, TwoConnectionsClaimingAndReleasingKeepTheTotalsExact) {
  const std::string path = FreshPath();
  auto first = SqliteStore::Open(path);
  auto second = SqliteStore::Open(path);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  constexpr int kThreads = 6;
  constexpr int kClaimsPerThread = 30;
  constexpr int64_t kLimit = 400;
  const absl::Time now = absl::Now();
  std::atomic<int> errors{0}, kept{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    SqliteStore* store = t % 2 == 0 ? first->get() : second->get();
    threads.emplace_back([&, store, t] {
      for (int i = 0; i < kClaimsPerThread; ++i) {
        ClaimRequest claim = LimitedClaim(absl::StrCat("mix-", t, "-", i), 10, kLimit);
        claim.spend->destination = absl::StrCat("6461801104000000", i % 3, "7");
        for (LimitScope scope : {LimitScope::kSourceAccount, LimitScope::kDestination}) {
          LimitRule rule = claim.spend->limits[0];
          rule.scope = scope;
          rule.window = absl::Milliseconds(5);  // reservations leave it, and come back
          claim.spend->limits.push_back(rule);
        }
        // The second "process" runs 3 ms behind: totals move back and forth.
        auto result = store->Claim(claim, now + absl::Milliseconds(i - 3 * (t % 2)));
        if (!result.ok()) {
          ++errors;
        } else if (result->outcome == ClaimOutcome::kClaimed) {
          if (i % 4 == 0) {
            if (!store->Release(claim.id, "a").ok()) ++errors;
          } else {
            ++kept;
          }
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(kept.load(), kLimit / 10);
  EXPECT_EQ(ExpectTotalsEqualFullSums(path), 1 + 1 + 3);  // caller, account, 3 destinations
  auto usage = (*first)->SpendUsage(
      SpendQuery{"billing", LimitedClaim("x", 1, kLimit).spend->limits[0], ""}, now);
  ASSERT_TRUE(usage.ok()) << usage.status();
  EXPECT_EQ(usage->used_amount_minor, kLimit);
}

// Group commit: a claim refused by a limit inside a batch undoes only itself.
TEST(SqliteStoreTest, ALimitRefusalInsideABatchUndoesOnlyItself) {
  auto store = SqliteStore::Open(FreshPath());
  ASSERT_TRUE(store.ok());
  const absl::Time now = absl::Now();
  ASSERT_TRUE((*store)->BeginBatch().ok());
  EXPECT_EQ((*store)->Claim(LimitedClaim("b1", 50, 100), now)->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ((*store)->Claim(LimitedClaim("b2", 60, 100), now)->outcome,
            ClaimOutcome::kLimitReached);
  EXPECT_TRUE((*store)->BatchOpen());
  EXPECT_EQ((*store)->Claim(LimitedClaim("b3", 50, 100), now)->outcome, ClaimOutcome::kClaimed);
  ASSERT_TRUE((*store)->CommitBatch().ok());
  auto usage = (*store)->SpendUsage(
      SpendQuery{"billing", LimitedClaim("x", 1, 100).spend->limits[0], ""}, now);
  ASSERT_TRUE(usage.ok()) << usage.status();
  EXPECT_EQ(usage->used_amount_minor, 100);
  EXPECT_EQ(usage->used_count, 2);
  EXPECT_EQ((*store)->Claim(LimitedClaim("b2", 60, 100), now)->outcome,
            ClaimOutcome::kLimitReached);  // b2 left no record
}

TEST(SqliteStoreTest, AnUnwritablePathIsAClearError) {
  auto store = SqliteStore::Open("/proc/no-such-dir/gateway.db");
  EXPECT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("/proc/no-such-dir/gateway.db"), absl::string_view::npos);
}

}  // namespace
}  // namespace idempotency
