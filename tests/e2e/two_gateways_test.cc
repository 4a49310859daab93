// Two gateway processes on one store (SQLite file or PostgreSQL) get the same keys at the same
// time, for both providers, while each provider is slow to answer so that the calls overlap:
// the store's claim lets one of them send; the providers, which ignore keys here, see one send
// and one transfer per key.
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "tests/e2e/process_fixtures.h"

namespace e2e {
namespace {

using payments::v1::Payout;

void SameKeysOnTwoGateways(const std::string& store_url) {
  // The providers ignore keys: only the gateways' shared claim can stop a second send.
  SandboxProcessOptions no_dedup;
  no_dedup.no_dedup = true;
  Sandbox sandbox(no_dedup);
  const std::string sources[] = {sandbox.SourceAccount(PROVIDER_MONATO),
                                 sandbox.SourceAccount(PROVIDER_FINTOC)};
  Gateway first("pair-a", store_url, sandbox);
  Gateway second("pair-b", store_url, sandbox);
  // Warm both (tokens, instruments), then make every money-moving reply take 300 ms.
  for (Gateway* gateway : {&first, &second}) {
    for (const std::string& source : sources) {
      Payout warm;
      ASSERT_TRUE(CreateUntilAnswered(
                      gateway->stub(),
                      PayoutFrom(source, absl::StrCat("warm-", gateway->port(), "-", source)),
                      &warm)
                      .ok());
    }
  }
  const int64_t monato_sends = sandbox.Sends(PROVIDER_MONATO);
  const int64_t fintoc_sends = sandbox.Sends(PROVIDER_FINTOC);
  sandbox.Faults(PROVIDER_MONATO,
                 R"({"path_prefix":"/v1/transactions/money_out","latency_ms":300})");
  sandbox.Faults(PROVIDER_FINTOC, R"({"path_prefix":"/v2/transfers","latency_ms":300})");

  constexpr int kKeys = 10;  // per provider
  absl::Mutex mu;
  std::map<std::string, std::vector<std::string>> transfers;  // key -> provider ids seen
  {
    std::vector<std::thread> callers;
    for (int key = 0; key < 2 * kKeys; ++key) {
      for (Gateway* gateway : {&first, &second}) {
        callers.emplace_back([&, key, gateway] {
          const std::string name = absl::StrCat("pair-", key);
          Payout payout;
          grpc::Status status =
              CreateUntilAnswered(gateway->stub(), PayoutFrom(sources[key % 2], name), &payout);
          EXPECT_TRUE(status.ok()) << status.error_message();
          absl::MutexLock lock(&mu);
          transfers[name].push_back(payout.provider_payout_id());
        });
      }
    }
    for (auto& caller : callers) caller.join();
  }
  for (const auto& [key, seen] : transfers) {
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_FALSE(seen[0].empty()) << key;
    EXPECT_EQ(seen[0], seen[1]) << key << ": both callers see the provider's one transfer";
  }
  // One send per key reached each provider: the other gateway's call was stopped by the claim.
  EXPECT_EQ(sandbox.Sends(PROVIDER_MONATO), monato_sends + kKeys);
  EXPECT_EQ(sandbox.Sends(PROVIDER_FINTOC), fintoc_sends + kKeys);
  EXPECT_EQ(sandbox.TransfersCreated(PROVIDER_MONATO), 2 + kKeys);
  EXPECT_EQ(sandbox.TransfersCreated(PROVIDER_FINTOC), 2 + kKeys);
  for (auto provider : {PROVIDER_MONATO, PROVIDER_FINTOC}) {
    const SendTally tally = sandbox.Tally(provider);
    EXPECT_EQ(tally.keys_by_sends, (std::map<int64_t, int>{{1, 2 + kKeys}})) << provider;
    EXPECT_EQ(tally.refused, 0) << provider;
  }
}

TEST(TwoGatewaysTest, OnOneSqliteFileEachKeyIsSentOnce) {
  SameKeysOnTwoGateways(absl::StrCat("sqlite://", TempPath("pair/gateway.db")));
}

TEST(TwoGatewaysTest, OnOnePostgresEachKeyIsSentOnce) {
  const std::string url = FreshPostgresUrl("pair");
  ASSERT_FALSE(url.empty()) << "needs a PostgreSQL server: run scripts/test.sh";
  SameKeysOnTwoGateways(url);
}

// WatchPayouts on two replicas of one PostgreSQL store: payouts created at once through both
// (their transactions commit in any order) reach a subscriber of either gateway, each once,
// with increasing cursors: neither replica's tailer skips an event of the other's.
TEST(TwoGatewaysTest, OnOnePostgresAWatcherOfEitherGatewaySeesEveryPayoutOnce) {
  const std::string url = FreshPostgresUrl("watch");
  ASSERT_FALSE(url.empty()) << "needs a PostgreSQL server: run scripts/test.sh";
  Sandbox sandbox;
  const std::string source = sandbox.SourceAccount(PROVIDER_MONATO);
  Gateway first("watch-a", url, sandbox);
  Gateway second("watch-b", url, sandbox);
  struct Watch {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<payments::v1::PayoutEvent>> reader;
    absl::Mutex mu;
    std::vector<payments::v1::PayoutEvent> events ABSL_GUARDED_BY(mu);
    std::thread thread;
  };
  Watch watches[2];
  Gateway* gateways[2] = {&first, &second};
  for (int g = 0; g < 2; ++g) {
    Watch& watch = watches[g];
    watch.reader = gateways[g]->stub().WatchPayouts(&watch.context, {});
    watch.reader->WaitForInitialMetadata();  // subscribed
    watch.thread = std::thread([&watch] {
      payments::v1::PayoutEvent event;
      while (watch.reader->Read(&event)) {
        absl::MutexLock lock(&watch.mu);
        watch.events.push_back(event);
      }
    });
  }
  constexpr int kPayouts = 20;  // per gateway, all at once
  std::vector<std::string> ids(2 * kPayouts);
  {
    std::vector<std::thread> callers;
    for (int i = 0; i < 2 * kPayouts; ++i) {
      callers.emplace_back([&, i] {
        Payout payout;
        grpc::Status status = CreateUntilAnswered(
            gateways[i % 2]->stub(), PayoutFrom(source, absl::StrCat("watch-", i)), &payout);
        EXPECT_TRUE(status.ok()) << status.error_message();
        ids[i] = payout.id();
      });
    }
    for (auto& caller : callers) caller.join();
  }
  for (Watch& watch : watches) {
    auto all_seen = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(watch.mu) {
      std::set<std::string> seen;
      for (const auto& event : watch.events) seen.insert(event.payout().id());
      for (const std::string& id : ids) {
        if (seen.count(id) == 0) return false;
      }
      return true;
    };
    {
      absl::MutexLock lock(&watch.mu);
      EXPECT_TRUE(watch.mu.AwaitWithTimeout(absl::Condition(&all_seen), absl::Seconds(30)));
      int64_t last = 0;
      std::map<std::pair<std::string, int>, int> times;  // (payout, status) -> events
      for (const auto& event : watch.events) {
        int64_t cursor = 0;
        EXPECT_TRUE(absl::SimpleAtoi(event.cursor(), &cursor)) << event.cursor();
        EXPECT_GT(cursor, last) << "cursors increase";
        last = cursor;
        ++times[{event.payout().id(), event.payout().status()}];
      }
      for (const auto& [change, count] : times) EXPECT_EQ(count, 1) << change.first;
    }
    watch.context.TryCancel();
    watch.thread.join();
    watch.reader->Finish();
  }
}

}  // namespace
}  // namespace e2e
