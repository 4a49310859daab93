// Issue 6, as an operator would see it: the real sandbox and gateway binaries as processes.
// The gateway is killed with SIGKILL while payouts are in flight, restarted, and every request
// is replayed with its key: no duplicate transfer, every payout definite. Then two gateway
// processes share one store and get the same keys: one transfer per key.
#include <signal.h>

#include <atomic>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "tests/e2e/process_fixtures.h"

namespace e2e {
namespace {

using payments::v1::Payout;
using payments::v1::PayoutService;

TEST(CrashRecoveryTest, KillNineMidFlightThenReplayMovesMoneyOncePerKey) {
  Sandbox sandbox;
  const std::string account = sandbox.MainAccount();
  ASSERT_FALSE(account.empty());
  const std::string store = absl::StrCat("sqlite://", TempPath("crash/gateway.db"));
  auto gateway = std::make_unique<Gateway>("crash-a", store, sandbox);

  // Warm up (token, instruments), then make every money_out hang 3 s at Monato.
  Payout warm;
  ASSERT_TRUE(CreateUntilAnswered(gateway->stub(), PayoutRequest(account, "warm"), &warm).ok());
  sandbox.Control("POST", "/_sandbox/faults",
                  R"({"path_prefix":"/v1/transactions/money_out","latency_ms":3000})");

  constexpr int kPayouts = 8;
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<Payout> lost(kPayouts);
  std::atomic<int> answered{0};
  for (int i = 0; i < kPayouts; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    contexts.back()->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    auto request = std::make_shared<payments::v1::CreatePayoutRequest>(
        PayoutRequest(account, absl::StrCat("crash-", i)));
    gateway->stub().async()->CreatePayout(contexts.back().get(), request.get(), &lost[i],
                                          [request, &answered](grpc::Status) { ++answered; });
  }
  // Let the claims reach the disk and the money_outs reach Monato, then crash.
  const absl::Time wait_until = absl::Now() + absl::Seconds(5);
  while (sandbox.MoneyOutsCreated() < 1 + kPayouts && absl::Now() < wait_until) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  gateway->process().Signal(SIGKILL);
  gateway->process().WaitForExit(absl::Seconds(5));
  EXPECT_EQ(sandbox.MoneyOutsCreated(), 1 + kPayouts);
  for (auto& context : contexts) context->TryCancel();
  const absl::Time drain_until = absl::Now() + absl::Seconds(10);
  while (answered.load() < kPayouts && absl::Now() < drain_until) {
    absl::SleepFor(absl::Milliseconds(20));
  }

  sandbox.Control("POST", "/_sandbox/faults", "{}");
  gateway = std::make_unique<Gateway>("crash-b", store, sandbox);  // restarted
  for (int i = 0; i < kPayouts; ++i) {
    Payout payout;
    grpc::Status status = CreateUntilAnswered(
        gateway->stub(), PayoutRequest(account, absl::StrCat("crash-", i)), &payout);
    ASSERT_TRUE(status.ok()) << i << ": " << status.error_message();
    EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_PENDING) << i;
    EXPECT_FALSE(payout.provider_payout_id().empty()) << i;
  }
  EXPECT_EQ(sandbox.MoneyOutsCreated(), 1 + kPayouts);  // not one more
}

void SameKeysOnTwoGateways(const std::string& store_url) {
  Sandbox sandbox;
  const std::string account = sandbox.MainAccount();
  Gateway first("pair-a", store_url, sandbox);
  Gateway second("pair-b", store_url, sandbox);
  constexpr int kKeys = 10;
  std::map<int, std::vector<std::string>> ids;
  absl::Mutex mu;
  std::vector<std::thread> callers;
  for (int key = 0; key < kKeys; ++key) {
    for (Gateway* gateway : {&first, &second}) {
      callers.emplace_back([&, key, gateway] {
        Payout payout;
        grpc::Status status = CreateUntilAnswered(
            gateway->stub(), PayoutRequest(account, absl::StrCat("pair-", key)), &payout);
        EXPECT_TRUE(status.ok()) << status.error_message();
        absl::MutexLock lock(&mu);
        ids[key].push_back(payout.id());
      });
    }
  }
  for (auto& caller : callers) caller.join();
  for (const auto& [key, seen] : ids) {
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0], seen[1]) << "key " << key;
  }
  EXPECT_EQ(sandbox.MoneyOutsCreated(), kKeys);
}

TEST(CrashRecoveryTest, TwoGatewaysOnOneSqliteFileMoveMoneyOncePerKey) {
  SameKeysOnTwoGateways(absl::StrCat("sqlite://", TempPath("pair/gateway.db")));
}

TEST(CrashRecoveryTest, TwoGatewaysOnOnePostgresMoveMoneyOncePerKey) {
  const std::string url = FreshPostgresUrl("crash");
  ASSERT_FALSE(url.empty()) << "needs a PostgreSQL server: run scripts/test.sh";
  SameKeysOnTwoGateways(url);
}

}  // namespace
}  // namespace e2e
