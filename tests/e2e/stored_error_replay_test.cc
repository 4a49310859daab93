// A caller's key keeps its first answer when that answer was an error, across a restart of the
// real gateway process on the same store: the provider refuses a payout (insufficient funds),
// the account is then funded so that a re-send would move money, the gateway is killed and
// restarted, and the same key gets the same error while the provider (which ignores keys
// here) sees no second send. Both providers, both stores.
#include <signal.h>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "tests/e2e/process_fixtures.h"

namespace e2e {
namespace {

using payments::v1::Payout;

// Money enough for the refused payout to go through now, at that provider.
void Fund(Sandbox& sandbox, payments::v1::Provider provider) {
  if (provider == PROVIDER_MONATO) {
    ASSERT_FALSE(
        sandbox.Control("POST", "/_sandbox/monato/receive", R"({"amount":"20000000.00"})").empty());
    return;
  }
  ASSERT_FALSE(
      sandbox
          .Control("POST", "/_sandbox/fintoc/receive", R"({"amount":2000000000})", PROVIDER_FINTOC)
          .empty());
  ASSERT_FALSE(sandbox.Control("POST", "/_sandbox/settle", "{}", PROVIDER_FINTOC).empty());
}

void StoredErrorSurvivesARestart(payments::v1::Provider provider, const std::string& store_url,
                                 const std::string& name) {
  SandboxProcessOptions no_dedup;
  no_dedup.no_dedup = true;
  Sandbox sandbox(no_dedup);
  const std::string source = sandbox.SourceAccount(provider);
  auto gateway = std::make_unique<Gateway>(name + "-a", store_url, sandbox);
  // More than the sandbox's MXN 10,000,000.00.
  const auto request = PayoutFrom(source, "refused-then-funded", 2'000'000'000);
  Payout ignored;
  const grpc::Status first = CreateUntilAnswered(gateway->stub(), request, &ignored);
  ASSERT_EQ(first.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << first.error_message();

  Fund(sandbox, provider);
  gateway->process().Signal(SIGKILL);
  gateway->process().WaitForExit(absl::Seconds(10));
  gateway = std::make_unique<Gateway>(name + "-b", store_url, sandbox);

  const grpc::Status again = CreateUntilAnswered(gateway->stub(), request, &ignored);
  EXPECT_EQ(again.error_code(), first.error_code());
  EXPECT_EQ(again.error_message(), first.error_message());
  const SendTally tally = sandbox.Tally(provider);
  EXPECT_EQ(tally.keys_by_sends, (std::map<int64_t, int>{{1, 1}}));
  EXPECT_EQ(tally.created, 0);
  EXPECT_EQ(sandbox.TransfersCreated(provider), 0);
}

TEST(StoredErrorReplayTest, MonatoOnSqliteTheSameErrorAfterARestartAndNoSecondSend) {
  StoredErrorSurvivesARestart(PROVIDER_MONATO,
                              absl::StrCat("sqlite://", TempPath("error-m/gateway.db")), "error-m");
}

TEST(StoredErrorReplayTest, FintocOnSqliteTheSameErrorAfterARestartAndNoSecondSend) {
  StoredErrorSurvivesARestart(PROVIDER_FINTOC,
                              absl::StrCat("sqlite://", TempPath("error-f/gateway.db")), "error-f");
}

TEST(StoredErrorReplayTest, MonatoOnPostgresTheSameErrorAfterARestartAndNoSecondSend) {
  const std::string url = FreshPostgresUrl("error_m");
  ASSERT_FALSE(url.empty()) << "needs a PostgreSQL server: run scripts/test.sh";
  StoredErrorSurvivesARestart(PROVIDER_MONATO, url, "error-m-pg");
}

TEST(StoredErrorReplayTest, FintocOnPostgresTheSameErrorAfterARestartAndNoSecondSend) {
  const std::string url = FreshPostgresUrl("error_f");
  ASSERT_FALSE(url.empty()) << "needs a PostgreSQL server: run scripts/test.sh";
  StoredErrorSurvivesARestart(PROVIDER_FINTOC, url, "error-f-pg");
}

}  // namespace
}  // namespace e2e
