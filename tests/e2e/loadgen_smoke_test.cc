// CI's short smoke of the load generator (benchmarks themselves are not tests): one
// second of payouts through the real gateway and sandbox, no errors, and the gateway's own
// counters agree with what the generator counted. The address is given twice (the replicas'
// comma-separated form), so the calls take the round-robin path over gateways.
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "tests/e2e/process_fixtures.h"

namespace e2e {
namespace {

TEST(LoadgenSmokeTest, OneSecondOfPayoutsWithoutErrorsAndCountersThatAgree) {
  SandboxProcessOptions no_dedup;
  no_dedup.no_dedup = true;  // every send the gateway makes is a transfer
  Sandbox sandbox(no_dedup);
  GatewayProcessOptions options;
  options.admin = true;
  Gateway gateway("loadgen", absl::StrCat("sqlite://", TempPath("loadgen/gateway.db")), sandbox,
                  options);
  ASSERT_GT(gateway.admin_port(), 0);
  ChildProcess loadgen(
      "bench/loadgen",
      {absl::StrCat("--addr=127.0.0.1:", gateway.port(), ",127.0.0.1:", gateway.port()),
       absl::StrCat("--admin=127.0.0.1:", gateway.admin_port()), "--mix=monato:1",
       "--concurrency=4", "--duration=1s"},
      TempPath("loadgen.out"));
  ASSERT_EQ(loadgen.WaitForExit(absl::Seconds(60)), 0) << loadgen.Log();
  const std::string report = loadgen.Log();
  EXPECT_TRUE(absl::StrContains(report, "errors 0")) << report;

  int64_t ok = -1;
  int64_t claimed = -1;
  for (absl::string_view line : absl::StrSplit(report, '\n')) {
    if (absl::ConsumePrefix(&line, "all")) {
      line = absl::StripLeadingAsciiWhitespace(line);
      EXPECT_TRUE(absl::SimpleAtoi(line.substr(0, line.find(' ')), &ok)) << line;
    }
    if (absl::ConsumePrefix(
            &line,
            R"(  gateway gateway_idempotency_claims_total{operation="CreatePayout",result="new"} +)")) {
      EXPECT_TRUE(absl::SimpleAtoi(line, &claimed)) << line;
    }
  }
  EXPECT_GT(ok, 10) << report;
  EXPECT_EQ(claimed, ok) << report;  // one new claim per payout the generator saw succeed
  EXPECT_EQ(sandbox.MoneyOutsCreated(), ok);
  EXPECT_EQ(sandbox.Sends(PROVIDER_MONATO), ok);  // one send per payout, none repeated
  EXPECT_TRUE(absl::StrContains(report, "p99")) << report;
}

TEST(LoadgenSmokeTest, RefusesARateItCannotRead) {
  ChildProcess loadgen("bench/loadgen", {"--addr=127.0.0.1:1", "--scenario=1", "--rate=200,fast"},
                       TempPath("loadgen-bad-rate.out"));
  EXPECT_EQ(loadgen.WaitForExit(absl::Seconds(30)), 2) << loadgen.Log();
  EXPECT_TRUE(absl::StrContains(loadgen.Log(), "--rate must be")) << loadgen.Log();
}

}  // namespace
}  // namespace e2e
