// PostgresStore's part of reconciliation that only a shared database has: replicas racing for
// one lease, and a store of the previous schema version migrated. (The window and lease
// semantics are in the contract, idempotency/testing/reconciliation_contract.cc.) Needs the
// server scripts/test.sh starts (GATEWAY_TEST_POSTGRES_URL); fails without it.
#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>
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

// Eight threads of two replicas race for `name` at `now`; how many were told they hold it.
int RaceForLease(PostgresStore& a, PostgresStore& b, const std::string& name, absl::Time now) {
  std::atomic<int> winners{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> racers;
  for (int i = 0; i < 8; ++i) {
    PostgresStore* replica = i % 2 == 0 ? &a : &b;
    racers.emplace_back([&, replica, i] {
      while (!go) std::this_thread::yield();
      auto taken = replica->TryTakeLease(name, absl::StrCat("replica-", i), now, absl::Minutes(1));
      EXPECT_TRUE(taken.ok()) << taken.status();
      if (taken.ok() && *taken) ++winners;
    });
  }
  go = true;
  for (auto& racer : racers) racer.join();
  return winners;
}

TEST(PostgresReconciliationTest, ReplicasRacingForOneFreeLeaseHaveOneWinner) {
  const std::string schema = FreshSchema();
  auto a = OpenStore(schema);
  auto b = OpenStore(schema);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  const absl::Time now = absl::Now();
  for (int round = 0; round < 20; ++round) {
    EXPECT_EQ(RaceForLease(*a, *b, absl::StrCat("free-", round), now), 1) << round;
  }
}

TEST(PostgresReconciliationTest, ReplicasRacingForOneExpiredLeaseHaveOneWinner) {
  const std::string schema = FreshSchema();
  auto a = OpenStore(schema);
  auto b = OpenStore(schema);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  const absl::Time now = absl::Now();
  for (int round = 0; round < 20; ++round) {
    const std::string name = absl::StrCat("expired-", round);
    ASSERT_TRUE(*a->TryTakeLease(name, "dead-replica", now - absl::Minutes(2), absl::Minutes(1)));
    EXPECT_EQ(RaceForLease(*a, *b, name, now), 1) << round;
  }
}

// A store of the previous schema version gains the leases and the creation-time index; its
// payouts keep the creation time they were first saved with.
TEST(PostgresReconciliationTest, ThePreviousSchemaGainsLeasesAndKeepsCreationTimes) {
  const std::string schema = FreshSchema();
  {
    auto store = OpenStore(schema);
    ASSERT_NE(store, nullptr);
    payments::v1::Payout payout;
    payout.set_id("monato.payout.old");
    payout.set_provider(payments::v1::PROVIDER_MONATO);
    ASSERT_TRUE(store->SavePayout({"billing", payout}).ok());
  }
  SecretRedactor redactor(ServerUrl());
  auto admin = PgConnection::Connect({ServerUrl(), schema}, &redactor);
  ASSERT_TRUE(admin.ok()) << admin.status();
  ASSERT_TRUE((*admin)
                  ->ExecScript(absl::StrCat("DROP INDEX payouts_by_creation; DROP TABLE leases; "
                                            "UPDATE payouts SET created_us = 1000, updated_us = "
                                            "5000; UPDATE schema_version SET version = ",
                                            PostgresStore::kSchemaVersion - 1, ";")
                                   .c_str())
                  .ok());
  auto store = OpenStore(schema);
  ASSERT_NE(store, nullptr);
  PayoutWindowQuery window;
  window.provider = payments::v1::PROVIDER_MONATO;
  window.created_from = absl::FromUnixMicros(1000);
  window.created_to = absl::FromUnixMicros(1001);
  auto page = store->PayoutsCreatedWithin(window);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->payouts.size(), 1u);
  EXPECT_EQ(page->payouts[0].first_saved, absl::FromUnixMicros(1000));
  auto lease = store->TryTakeLease("reconcile", "a", absl::Now(), absl::Seconds(10));
  ASSERT_TRUE(lease.ok()) << lease.status();
  EXPECT_TRUE(*lease);
  auto version = (*admin)->Exec("SELECT version FROM schema_version");
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(version->Int(0, 0), PostgresStore::kSchemaVersion);
}

}  // namespace
}  // namespace idempotency
