// PostgresStore against a real server: the store contract, plus what only a shared database
// has (replicas racing on one key, replicas creating the schema together, a restart, a
// connection the server closed). scripts/test.sh starts a throwaway PostgreSQL and passes its
// URL in GATEWAY_TEST_POSTGRES_URL; without it every test here fails, saying so.
//
// Every store gets its own fresh PostgreSQL schema (t_<random>, created by Open and used as
// the sessions' search_path), so each test starts from an empty store on the shared server.
#include "idempotency/postgres_store.h"

#include <atomic>
#include <cstdlib>
#include <map>
#include <thread>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "idempotency/testing/limit_contract.h"
#include "idempotency/testing/store_contract.h"

namespace idempotency {
namespace {

constexpr char kMissingServer[] =
    "GATEWAY_TEST_POSTGRES_URL is not set: run the tests with scripts/test.sh, which starts a "
    "throwaway PostgreSQL (scripts/postgres.sh) and passes its URL";

std::string ServerUrl() {
  const char* url = std::getenv("GATEWAY_TEST_POSTGRES_URL");
  return url != nullptr ? url : "";
}

std::string FreshSchema() {
  absl::BitGen random;
  return absl::StrFormat("t_%016x", absl::Uniform<uint64_t>(random));
}

std::unique_ptr<PostgresStore> OpenStore(const std::string& schema, int connections = 4,
                                         const std::string& url = ServerUrl()) {
  if (url.empty()) {
    ADD_FAILURE() << kMissingServer;
    return nullptr;
  }
  auto store = PostgresStore::Open(url, connections, schema);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

const StoreFactory kPostgres{
    "postgres", []() -> std::unique_ptr<GatewayStore> { return OpenStore(FreshSchema()); }};

INSTANTIATE_TEST_SUITE_P(Postgres, StoreContractTest, testing::Values(kPostgres),
                         [](const auto& info) { return info.param.name; });
INSTANTIATE_TEST_SUITE_P(Postgres, LimitContractTest, testing::Values(kPostgres),
                         [](const auto& info) { return info.param.name; });

ClaimRequest ClaimOf(const std::string& key, const std::string& owner, absl::Time now) {
  ClaimRequest claim;
  claim.id = RecordKey{"billing", "CreatePayout", key};
  claim.fingerprint = "fp";
  claim.request = std::string("req\0uest", 8);
  claim.owner = owner;
  claim.lease = absl::Seconds(30);
  claim.retention = absl::Hours(24);
  return claim;
}

// A payout claim of 1 against one caller-wide amount limit.
ClaimRequest LimitedClaimOf(const std::string& key, int64_t max_amount, absl::Time now) {
  ClaimRequest claim = ClaimOf(key, "instance", now);
  Spend spend;
  spend.payout_id = "monato.payout." + key;
  spend.source_account_id = "monato.acct.a1";
  spend.destination = "646180110400000007";
  spend.amount_minor = 1;
  LimitRule rule;
  rule.name = "daily";
  rule.max_amount_minor = max_amount;
  spend.limits.push_back(rule);
  claim.spend = spend;
  return claim;
}

int64_t UsedAmount(GatewayStore& store, int64_t max_amount, absl::Time now) {
  auto usage = store.SpendUsage(
      SpendQuery{"billing", LimitedClaimOf("x", max_amount, now).spend->limits[0], ""}, now);
  EXPECT_TRUE(usage.ok()) << usage.status();
  return usage.ok() ? usage->used_amount_minor : -1;
}

TEST(PostgresStoreTest, TheTestServerIsConfigured) {
  ASSERT_FALSE(ServerUrl().empty()) << kMissingServer;
}

TEST(PostgresStoreTest, TwoReplicasCreatingTheSchemaAtOnceBothSucceed) {
  for (int round = 0; round < 5; ++round) {
    const std::string schema = FreshSchema();
    std::atomic<bool> go{false};
    std::unique_ptr<PostgresStore> stores[2];
    std::vector<std::thread> threads;
    for (auto& store : stores) {
      threads.emplace_back([&] {
        while (!go.load()) std::this_thread::yield();
        store = OpenStore(schema, 2);
      });
    }
    go = true;
    for (auto& thread : threads) thread.join();
    ASSERT_NE(stores[0], nullptr);
    ASSERT_NE(stores[1], nullptr);
    const absl::Time now = absl::Now();
    auto first = stores[0]->Claim(ClaimOf("k", "one", now), now);
    auto second = stores[1]->Claim(ClaimOf("k", "two", now), now);
    ASSERT_TRUE(first.ok()) << first.status();
    ASSERT_TRUE(second.ok()) << second.status();
    EXPECT_EQ(first->outcome, ClaimOutcome::kClaimed);
    EXPECT_EQ(second->outcome, ClaimOutcome::kInFlight);  // one schema, shared
  }
}

TEST(PostgresStoreTest, TwoReplicasClaimingOneKeyFromManyThreadsHaveOneWinner) {
  const std::string schema = FreshSchema();
  auto replica_a = OpenStore(schema);
  auto replica_b = OpenStore(schema);
  ASSERT_NE(replica_a, nullptr);
  ASSERT_NE(replica_b, nullptr);
  constexpr int kThreads = 16;
  constexpr int kKeys = 20;
  const absl::Time now = absl::Now();
  std::atomic<int> claimed[kKeys] = {};
  std::atomic<int> in_flight[kKeys] = {};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    GatewayStore* store = t % 2 == 0 ? replica_a.get() : replica_b.get();
    threads.emplace_back([&, store, t] {
      for (int k = 0; k < kKeys; ++k) {
        auto result =
            store->Claim(ClaimOf(absl::StrCat("race-", k), absl::StrCat("instance-", t), now), now);
        if (!result.ok()) {
          ++errors;
        } else if (result->outcome == ClaimOutcome::kClaimed) {
          ++claimed[k];
        } else if (result->outcome == ClaimOutcome::kInFlight) {
          ++in_flight[k];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  for (int k = 0; k < kKeys; ++k) {
    EXPECT_EQ(claimed[k].load(), 1) << "key " << k;
    EXPECT_EQ(in_flight[k].load(), kThreads - 1) << "key " << k;
  }
}

// Two gateway replicas, 200 concurrent payouts of 1 against a limit of 50: exactly 50 pass.
// `batched`: each thread claims in group-commit batches of 5 (one transaction each), which
// hold the caller's limit lock until their commit.
void RaceTwoReplicasOnOneLimit(bool batched) {
  const std::string schema = FreshSchema();
  auto replica_a = OpenStore(schema);
  auto replica_b = OpenStore(schema);
  ASSERT_NE(replica_a, nullptr);
  ASSERT_NE(replica_b, nullptr);
  constexpr int kThreads = 8;
  constexpr int kClaimsPerThread = 25;
  constexpr int kPerBatch = 5;
  constexpr int64_t kLimit = 50;
  const absl::Time now = absl::Now();
  std::atomic<bool> go{false};
  std::atomic<int> claimed{0}, refused{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    GatewayStore* store = t % 2 == 0 ? replica_a.get() : replica_b.get();
    threads.emplace_back([&, store, t] {
      while (!go.load()) std::this_thread::yield();
      for (int first = 0; first < kClaimsPerThread; first += batched ? kPerBatch : 1) {
        if (batched && !store->BeginBatch().ok()) {
          ++errors;
          continue;
        }
        int batch_claimed = 0, batch_refused = 0;
        for (int i = first; i < first + (batched ? kPerBatch : 1); ++i) {
          auto result =
              store->Claim(LimitedClaimOf(absl::StrCat("race-", t, "-", i), kLimit, now), now);
          if (!result.ok()) {
            ++errors;
          } else if (result->outcome == ClaimOutcome::kClaimed) {
            ++batch_claimed;
          } else if (result->outcome == ClaimOutcome::kLimitReached) {
            ++batch_refused;
          }
        }
        if (batched && !store->CommitBatch().ok()) {  // nothing of it counts
          ++errors;
          continue;
        }
        claimed += batch_claimed;
        refused += batch_refused;
      }
    });
  }
  go = true;
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claimed.load(), kLimit);
  EXPECT_EQ(refused.load(), kThreads * kClaimsPerThread - kLimit);
  EXPECT_EQ(UsedAmount(*replica_a, kLimit, now), kLimit);
  EXPECT_EQ(UsedAmount(*replica_b, kLimit, now), kLimit);
}

TEST(PostgresStoreTest, TwoReplicasRacingOnOneLimitApproveExactlyIt) {
  RaceTwoReplicasOnOneLimit(/*batched=*/false);
}

TEST(PostgresStoreTest, TwoReplicasRacingOnOneLimitInBatchesApproveExactlyIt) {
  RaceTwoReplicasOnOneLimit(/*batched=*/true);
}

// Group commit: a claim refused by a limit inside a batch undoes only itself.
TEST(PostgresStoreTest, ALimitRefusalInsideABatchUndoesOnlyItself) {
  const std::string schema = FreshSchema();
  auto store = OpenStore(schema, /*connections=*/1);
  auto reader = OpenStore(schema);
  ASSERT_NE(store, nullptr);
  ASSERT_NE(reader, nullptr);
  const absl::Time now = absl::Now();
  ASSERT_TRUE(store->BeginBatch().ok());
  EXPECT_EQ(store->Claim(LimitedClaimOf("b1", 2, now), now)->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(store->Claim(LimitedClaimOf("b2", 2, now), now)->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(store->Claim(LimitedClaimOf("b3", 2, now), now)->outcome, ClaimOutcome::kLimitReached);
  EXPECT_TRUE(store->BatchOpen());
  EXPECT_EQ(UsedAmount(*reader, 2, now), 0);  // not committed yet
  ASSERT_TRUE(store->CommitBatch().ok());
  EXPECT_EQ(UsedAmount(*reader, 2, now), 2);
  auto b3 = reader->Claim(LimitedClaimOf("b3", 3, now), now);
  ASSERT_TRUE(b3.ok()) << b3.status();
  EXPECT_EQ(b3->outcome, ClaimOutcome::kClaimed);  // the refused claim left no record
}

// A store created by the previous release (schema version 4) gains the reservations table.
TEST(PostgresStoreTest, AVersionFourSchemaIsMigratedToSpendingLimits) {
  const std::string schema = FreshSchema();
  ASSERT_NE(OpenStore(schema), nullptr);
  SecretRedactor redactor(ServerUrl());
  auto admin = PgConnection::Connect({ServerUrl(), schema}, &redactor);
  ASSERT_TRUE(admin.ok()) << admin.status();
  ASSERT_TRUE((*admin)
                  ->ExecScript("DROP TABLE limit_reservations; "
                               "UPDATE schema_version SET version = 4;")
                  .ok());
  auto store = OpenStore(schema);
  ASSERT_NE(store, nullptr);
  const absl::Time now = absl::Now();
  EXPECT_EQ(store->Claim(LimitedClaimOf("m1", 1, now), now)->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(store->Claim(LimitedClaimOf("m2", 1, now), now)->outcome, ClaimOutcome::kLimitReached);
  auto version = (*admin)->Exec("SELECT version FROM schema_version");
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(version->Int(0, 0), PostgresStore::kSchemaVersion);
}

TEST(PostgresStoreTest, RacingFirstSavesOfAPayoutStillOnlyMoveItsStatusForward) {
  const std::string schema = FreshSchema();
  auto replica_a = OpenStore(schema);
  auto replica_b = OpenStore(schema);
  ASSERT_NE(replica_a, nullptr);
  ASSERT_NE(replica_b, nullptr);
  constexpr int kThreads = 8;
  constexpr int kPayouts = 50;
  std::atomic<bool> go{false};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    GatewayStore* store = t % 2 == 0 ? replica_a.get() : replica_b.get();
    // Half the writers report SUCCEEDED, half a late PENDING, all for never-seen payouts.
    const auto status = t < kThreads / 2 ? payments::v1::PAYOUT_STATUS_SUCCEEDED
                                         : payments::v1::PAYOUT_STATUS_PENDING;
    threads.emplace_back([&, store, status] {
      while (!go.load()) std::this_thread::yield();
      for (int p = 0; p < kPayouts; ++p) {
        payments::v1::Payout payout;
        payout.set_id(absl::StrCat("monato.payout.race", p));
        payout.set_status(status);
        if (!store->SavePayout({"billing", payout}).ok()) ++errors;
      }
    });
  }
  go = true;
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  for (int p = 0; p < kPayouts; ++p) {
    auto payout = replica_a->GetPayout("billing", absl::StrCat("monato.payout.race", p));
    ASSERT_TRUE(payout.ok()) << payout.status();
    ASSERT_TRUE(payout->has_value());
    EXPECT_EQ((*payout)->status(), payments::v1::PAYOUT_STATUS_SUCCEEDED) << "payout " << p;
  }
}

// StoreExecutor's unit of work: the calls between BeginBatch and CommitBatch run on the
// thread's pinned connection (even with a pool of one, so nothing waits for a second one) and
// nobody else sees them until the commit.
TEST(PostgresStoreTest, ABatchIsOneTransactionOnThePinnedConnection) {
  const std::string schema = FreshSchema();
  auto writer = OpenStore(schema, /*connections=*/1);
  auto reader = OpenStore(schema);
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  ASSERT_TRUE(writer->BeginBatch().ok());
  EXPECT_TRUE(writer->BatchOpen());
  auto claimed = writer->Claim(ClaimOf("batched", "me", absl::Now()), absl::Now());
  ASSERT_TRUE(claimed.ok()) << claimed.status();  // a savepoint inside the transaction
  payments::v1::Payout payout;
  payout.set_id("monato.payout.batched");
  payout.set_status(payments::v1::PAYOUT_STATUS_PENDING);
  ASSERT_TRUE(writer->SavePayout({"billing", payout}).ok());
  auto own = writer->GetPayout("billing", payout.id());
  ASSERT_TRUE(own.ok());
  EXPECT_TRUE(own->has_value());  // the transaction sees its own writes
  auto other = reader->GetPayout("billing", payout.id());
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());  // nobody else does yet
  ASSERT_TRUE(writer->CommitBatch().ok());
  other = reader->GetPayout("billing", payout.id());
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->has_value());
  auto again = reader->Claim(ClaimOf("batched", "other", absl::Now()), absl::Now());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->outcome, ClaimOutcome::kInFlight);  // the claim committed with it
}

TEST(PostgresStoreTest, KeysAndPayoutsSurviveARestart) {
  const std::string schema = FreshSchema();
  const absl::Time now = absl::Now();
  const ClaimRequest claim = ClaimOf("k-restart", "a", now);
  {
    auto store = OpenStore(schema);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Claim(claim, now).ok());
    IdempotencyRecord answer;
    answer.response = std::string("pay\0out", 7);
    ASSERT_TRUE(store->Complete(claim.id, "a", answer).ok());
    payments::v1::Payout payout;
    payout.set_id("monato.payout.p1");
    payout.set_status(payments::v1::PAYOUT_STATUS_PENDING);
    ASSERT_TRUE(store->SavePayout({"billing", payout}).ok());
  }
  auto reopened = OpenStore(schema);
  ASSERT_NE(reopened, nullptr);
  auto replay = reopened->Claim(claim, now + absl::Seconds(1));
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->outcome, ClaimOutcome::kCompleted);
  EXPECT_EQ(replay->record.response, std::string("pay\0out", 7));
  EXPECT_EQ(replay->record.request, claim.request);
  auto payout = reopened->GetPayout("billing", "monato.payout.p1");
  ASSERT_TRUE(payout.ok()) << payout.status();
  ASSERT_TRUE(payout->has_value());
  EXPECT_EQ((*payout)->status(), payments::v1::PAYOUT_STATUS_PENDING);
}

TEST(PostgresStoreTest, ARecordPastItsRetentionIsReplacedWithoutASweep) {
  auto store = OpenStore(FreshSchema());
  ASSERT_NE(store, nullptr);
  const absl::Time now = absl::Now();
  ClaimRequest old = ClaimOf("k-old", "a", now - absl::Hours(25));
  ASSERT_TRUE(store->Claim(old, now - absl::Hours(25)).ok());
  ASSERT_TRUE(store->Complete(old.id, "a", IdempotencyRecord()).ok());
  ClaimRequest fresh = ClaimOf("k-old", "b", now);
  fresh.fingerprint = "another request";
  auto result = store->Claim(fresh, now);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->outcome, ClaimOutcome::kClaimed);
  EXPECT_TRUE(store->Complete(fresh.id, "b", IdempotencyRecord()).ok());
}

TEST(PostgresStoreTest, AConnectionTheServerClosedIsResetBeforeUse) {
  if (ServerUrl().empty()) FAIL() << kMissingServer;
  const std::string schema = FreshSchema();
  // Named sessions, so that the test can find and end this store's one connection.
  const std::string url =
      absl::StrCat(ServerUrl(), ServerUrl().find('?') == std::string::npos ? "?" : "&",
                   "application_name=", schema);
  auto store = OpenStore(schema, 1, url);
  ASSERT_NE(store, nullptr);
  const absl::Time now = absl::Now();
  ASSERT_TRUE(store->Claim(ClaimOf("before", "a", now), now).ok());

  SecretRedactor redactor(ServerUrl());
  auto admin = PgConnection::Connect({ServerUrl(), ""}, &redactor);
  ASSERT_TRUE(admin.ok()) << admin.status();
  auto ended = (*admin)->Exec(
      "SELECT pg_catalog.pg_terminate_backend(pid, 5000) FROM pg_catalog.pg_stat_activity "
      "WHERE application_name = $1",
      PgParams().Text(schema));
  ASSERT_TRUE(ended.ok()) << ended.status();
  ASSERT_EQ(ended->rows(), 1);
  ASSERT_TRUE(ended->Bool(0, 0));

  // The reset session has its search_path again: it sees the key claimed before.
  auto again = store->Claim(ClaimOf("before", "b", now), now);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->outcome, ClaimOutcome::kInFlight);
  EXPECT_EQ(again->record.owner, "a");
}

TEST(PostgresStoreTest, ASchemaNewerThanTheGatewayIsRefused) {
  const std::string schema = FreshSchema();
  ASSERT_NE(OpenStore(schema), nullptr);
  SecretRedactor redactor(ServerUrl());
  auto admin = PgConnection::Connect({ServerUrl(), schema}, &redactor);
  ASSERT_TRUE(admin.ok()) << admin.status();
  ASSERT_TRUE((*admin)->Exec("UPDATE schema_version SET version = version + 1").ok());
  auto store = PostgresStore::Open(ServerUrl(), 1, schema);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find(
                absl::StrCat("schema version ", PostgresStore::kSchemaVersion + 1)),
            absl::string_view::npos)
      << store.status();
}

TEST(PostgresStoreTest, ErrorsNeverShowThePassword) {
  struct Case {
    std::string url;
    std::vector<std::string> secrets;
    absl::StatusCode code;
  };
  const Case cases[] = {
      // Nothing listens on port 1: the connection is refused.
      {"postgres://gateway:hunter2-secret@127.0.0.1:1/payouts",
       {"hunter2-secret"},
       absl::StatusCode::kUnavailable},
      {"postgres://gateway@127.0.0.1:1/payouts?password=p%40ss-secret",
       {"p%40ss-secret", "p@ss-secret"},
       absl::StatusCode::kUnavailable},
      // libpq's own message would quote the bad token, password included.
      {"postgres://gateway:bad%zz-secret@127.0.0.1:1/payouts",
       {"bad%zz-secret", "zz-secret"},
       absl::StatusCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    auto store = PostgresStore::Open(c.url, 1);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), c.code) << store.status();
    for (const std::string& secret : c.secrets) {
      EXPECT_EQ(store.status().ToString().find(secret), std::string::npos) << store.status();
    }
  }
}

TEST(PostgresStoreTest, ASchemaNameMustBeAPlainIdentifier) {
  auto store = PostgresStore::Open("postgres://gateway@127.0.0.1:1/payouts", 1, "x; DROP TABLE y");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace idempotency
