// Recovery after a crash, as an operator would see it: the real sandbox and
// gateway binaries as processes. The gateway is killed with SIGKILL with many payouts stopped
// at one exact moment, restarted on the same store, and every request is replayed with its
// key. Each moment, for both providers and both stores:
//   - claimed: the claim is durable, nothing has gone to the provider (the gateway's test hold
//     "before_send", gateway/wiring/test_hold_provider.h);
//   - accepted: the provider made the transfer, its reply is not read yet (the sandbox delays
//     the reply: latency after processing);
//   - read: the reply has been read, nothing of it is stored (test hold "after_reply").
// What is counted is at the provider: transfers made and sends that reached it, per key.
#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "tests/e2e/process_fixtures.h"

namespace e2e {
namespace {

using payments::v1::Payout;

enum class Moment { kClaimed, kAccepted, kRead };

struct CrashCase {
  payments::v1::Provider provider;
  bool postgres;
  Moment moment;
};

std::string Name(const testing::TestParamInfo<CrashCase>& info) {
  const CrashCase& c = info.param;
  return absl::StrCat(c.provider == PROVIDER_MONATO ? "Monato" : "Fintoc",
                      c.postgres ? "Postgres" : "Sqlite",
                      c.moment == Moment::kClaimed    ? "ClaimedNothingSent"
                      : c.moment == Moment::kAccepted ? "AcceptedReplyUnread"
                                                      : "ReplyReadNotStored");
}

// The path of the money-moving POST at that provider.
std::string MoneyPath(payments::v1::Provider provider) {
  return provider == PROVIDER_MONATO ? "/v1/transactions/money_out" : "/v2/transfers";
}

constexpr int kPayouts = 24;

class CrashRecoveryTest : public testing::TestWithParam<CrashCase> {};

TEST_P(CrashRecoveryTest, KilledAtThisMomentThenReplayedEachKeyMovesMoneyOnce) {
  const CrashCase c = GetParam();
  const std::string name = Name({c, 0});
  const std::string store = c.postgres ? FreshPostgresUrl("crash")
                                       : absl::StrCat("sqlite://", TempPath(name + "/gateway.db"));
  ASSERT_FALSE(store.empty()) << "needs a PostgreSQL server: run scripts/test.sh";
  // While nothing has gone out, the provider deduplicating would hide a second send: it does
  // not. Once the provider made the transfer, the gateway's recovery asks again with the same
  // key (it cannot know what the dead process sent), so there the provider's key is in play.
  SandboxProcessOptions sandbox_options;
  sandbox_options.no_dedup = c.moment == Moment::kClaimed;
  Sandbox sandbox(sandbox_options);
  const std::string source = sandbox.SourceAccount(c.provider);
  ASSERT_FALSE(source.empty());
  const std::string holds = TempPath(name + "-holds");
  ASSERT_EQ(mkdir(holds.c_str(), 0700), 0);
  GatewayProcessOptions options;
  options.env = {"GATEWAY_TEST_HOLD_DIR=" + holds};
  auto gateway = std::make_unique<Gateway>(name + "-a", store, sandbox, options);

  // Warm up (token, instruments), then count from here.
  Payout warm;
  ASSERT_TRUE(CreateUntilAnswered(gateway->stub(), PayoutFrom(source, "warm"), &warm).ok());
  const int64_t transfers_before = sandbox.TransfersCreated(c.provider);
  const int64_t sends_before = sandbox.Sends(c.provider);
  ASSERT_EQ(transfers_before, 1);

  const std::string hold_file =
      absl::StrCat(holds, c.moment == Moment::kClaimed ? "/before_send" : "/after_reply");
  if (c.moment == Moment::kAccepted) {
    sandbox.Faults(c.provider, absl::StrCat(R"({"path_prefix":")", MoneyPath(c.provider),
                                            R"(","latency_ms":60000})"));
  } else {
    WriteFile(hold_file, "held by crash_recovery_test\n");
  }
  {
    AsyncCreates lost(gateway->stub());
    for (int i = 0; i < kPayouts; ++i) {
      lost.Send(PayoutFrom(source, absl::StrCat("crash-", i), 1000 + i));
    }
    // Every payout has reached the moment: then, and only then, the kill.
    const std::string held = absl::StrCat(
        R"("point":")", c.moment == Moment::kClaimed ? "before_send" : "after_reply", R"(")");
    const bool reached = WaitUntil([&] {
      if (c.moment == Moment::kAccepted) {
        return sandbox.TransfersCreated(c.provider) == transfers_before + kPayouts;
      }
      return Occurrences(gateway->Log(), held) == kPayouts;
    });
    gateway->process().Signal(SIGKILL);
    EXPECT_EQ(gateway->process().WaitForExit(absl::Seconds(10)), -1);
    ASSERT_TRUE(reached) << gateway->Log();
    lost.CancelAndWait();
  }
  EXPECT_EQ(sandbox.TransfersCreated(c.provider),
            transfers_before + (c.moment == Moment::kClaimed ? 0 : kPayouts));
  EXPECT_EQ(sandbox.Sends(c.provider),
            sends_before + (c.moment == Moment::kClaimed ? 0 : kPayouts));

  sandbox.Faults(c.provider, "{}");
  std::remove(hold_file.c_str());
  gateway = std::make_unique<Gateway>(name + "-b", store, sandbox, options);  // restarted
  std::set<std::string> transfers;
  std::vector<std::string> provider_ids(kPayouts);
  for (int i = 0; i < kPayouts; ++i) {
    Payout payout;
    grpc::Status status = CreateUntilAnswered(
        gateway->stub(), PayoutFrom(source, absl::StrCat("crash-", i), 1000 + i), &payout);
    ASSERT_TRUE(status.ok()) << i << ": " << status.error_message();
    EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_PENDING) << i;
    EXPECT_EQ(payout.amount().amount_minor(), 1000 + i);
    EXPECT_FALSE(payout.provider_payout_id().empty()) << i;
    transfers.insert(payout.provider_payout_id());
    provider_ids[i] = payout.provider_payout_id();
  }
  // Every key has a transfer of its own, and the provider made no other.
  EXPECT_EQ(static_cast<int>(transfers.size()), kPayouts);
  EXPECT_EQ(sandbox.TransfersCreated(c.provider), transfers_before + kPayouts);
  // As the provider recorded them: the amount and counterparty each payout asked for.
  const auto recorded = sandbox.Transfers(c.provider);
  EXPECT_EQ(recorded.size(), 1u + kPayouts);
  for (int i = 0; i < kPayouts; ++i) {
    auto it = recorded.find(provider_ids[i]);
    ASSERT_NE(it, recorded.end()) << i << ": " << provider_ids[i];
    EXPECT_EQ(it->second.amount, 1000 + i);
    EXPECT_EQ(it->second.counterparty_clabe, "014180655091438298");
  }
  // Sends, per key: the warm-up once. A payout not sent before the kill: exactly once, at a
  // provider that ignores keys. One sent before the kill: once more at most (the recovery may
  // ask again with the same key, since it cannot know what the dead process sent; the provider
  // replays its answer), never twice more, as a resolver and a caller's retry racing would.
  const SendTally tally = sandbox.Tally(c.provider);
  if (c.moment == Moment::kClaimed) {
    EXPECT_EQ(tally.keys_by_sends, (std::map<int64_t, int>{{1, 1 + kPayouts}}));
    EXPECT_EQ(tally.sends, sends_before + kPayouts);
  } else {
    int keys = 0;
    for (const auto& [sends, count] : tally.keys_by_sends) {
      EXPECT_TRUE(sends == 1 || sends == 2) << count << " keys sent " << sends << " times";
      keys += count;
    }
    EXPECT_EQ(keys, 1 + kPayouts);
    EXPECT_LE(tally.sends, sends_before + 2 * kPayouts);
    EXPECT_EQ(tally.replays, tally.sends - tally.created);
  }
  EXPECT_EQ(tally.created, 1 + kPayouts);
  EXPECT_EQ(tally.max_created_per_key, 1);
}

std::vector<CrashCase> AllCases() {
  std::vector<CrashCase> cases;
  for (auto provider : {PROVIDER_MONATO, PROVIDER_FINTOC}) {
    for (bool postgres : {false, true}) {
      for (Moment moment : {Moment::kClaimed, Moment::kAccepted, Moment::kRead}) {
        cases.push_back({provider, postgres, moment});
      }
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(EveryMomentProviderAndStore, CrashRecoveryTest,
                         testing::ValuesIn(AllCases()), Name);

}  // namespace
}  // namespace e2e
