// Metrics as Prometheus sees them: the real gateway binary with its admin port, payouts through
// the sandbox's Monato over HTTPS, then a scrape of /metrics whose counters must match exactly
// what was done (new keys, a replay, a conflict, a rejected request).
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "tests/e2e/process_fixtures.h"

namespace e2e {
namespace {

// The value of one series (`name{labels}` exactly as rendered), or -1 when absent.
int64_t Series(const std::string& scrape, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(scrape, '\n')) {
    if (line.size() > series.size() && line.substr(0, series.size()) == series &&
        line[series.size()] == ' ') {
      int64_t value = 0;
      if (absl::SimpleAtoi(line.substr(series.size() + 1), &value)) return value;
    }
  }
  return -1;
}

std::string Grpc(const std::string& family, const std::string& code) {
  return absl::StrCat(family,
                      R"({grpc_type="unary",grpc_service="payments.v1.PayoutService",)"
                      R"(grpc_method="CreatePayout")",
                      code.empty() ? "" : absl::StrCat(",grpc_code=\"", code, "\""), "}");
}

TEST(MetricsE2eTest, ScrapeAfterARunCountsExactlyWhatWasDone) {
  SandboxProcessOptions no_dedup;
  no_dedup.no_dedup = true;  // a replay that reached Monato would be counted there too
  Sandbox sandbox(no_dedup);
  const std::string account = sandbox.MainAccount();
  ASSERT_FALSE(account.empty());
  GatewayProcessOptions options;
  options.admin = true;
  Gateway gateway("metrics", absl::StrCat("sqlite://", TempPath("metrics/gateway.db")), sandbox,
                  options);
  ASSERT_GT(gateway.admin_port(), 0);

  constexpr int kNew = 3;
  for (int i = 0; i < kNew; ++i) {
    payments::v1::Payout payout;
    ASSERT_TRUE(
        CreateUntilAnswered(gateway.stub(), PayoutRequest(account, absl::StrCat("m-", i)), &payout)
            .ok());
  }
  payments::v1::Payout payout;
  // The same request again: a replay.
  ASSERT_TRUE(CreateUntilAnswered(gateway.stub(), PayoutRequest(account, "m-0"), &payout).ok());
  // The same key for another amount: a conflict.
  payments::v1::CreatePayoutRequest changed = PayoutRequest(account, "m-1");
  changed.mutable_amount()->set_amount_minor(9999);
  EXPECT_EQ(CreateUntilAnswered(gateway.stub(), changed, &payout).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // A bad CLABE: refused before any claim or provider call.
  payments::v1::CreatePayoutRequest bad = PayoutRequest(account, "m-bad");
  bad.mutable_counterparty()->set_clabe("014180655091438299");
  EXPECT_EQ(CreateUntilAnswered(gateway.stub(), bad, &payout).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  int status = 0;
  const std::string scrape = HttpGet(gateway.admin_port(), "/metrics", &status);
  ASSERT_EQ(status, 200);
  EXPECT_EQ(Series(scrape, Grpc("grpc_server_handled_total", "OK")), kNew + 1) << scrape;
  EXPECT_EQ(Series(scrape, Grpc("grpc_server_handled_total", "FAILED_PRECONDITION")), 1);
  EXPECT_EQ(Series(scrape, Grpc("grpc_server_handled_total", "INVALID_ARGUMENT")), 1);
  EXPECT_EQ(Series(scrape, Grpc("grpc_server_handling_seconds_count", "")), kNew + 3);

  EXPECT_EQ(
      Series(scrape, R"(gateway_idempotency_claims_total{operation="CreatePayout",result="new"})"),
      kNew);
  EXPECT_EQ(Series(scrape,
                   R"(gateway_idempotency_claims_total{operation="CreatePayout",result="replay"})"),
            1);
  EXPECT_EQ(
      Series(scrape,
             R"(gateway_idempotency_claims_total{operation="CreatePayout",result="conflict"})"),
      1);
  // Every claim above was a store call (webhook events may add their own claims).
  EXPECT_GE(Series(scrape, R"(gateway_store_operations_total{operation="Claim",outcome="OK"})"),
            kNew + 2);
  EXPECT_GE(Series(scrape, R"(gateway_store_operations_total{operation="Complete",outcome="OK"})"),
            kNew);
  EXPECT_GE(Series(scrape, R"(gateway_store_operation_seconds_count{operation="Claim"})"),
            kNew + 2);
  // One adapter call per new key, and Monato saw exactly those.
  EXPECT_EQ(
      Series(
          scrape,
          R"(gateway_provider_requests_total{provider="monato",operation="CreatePayout",outcome="OK"})"),
      kNew);
  EXPECT_EQ(sandbox.MoneyOutsCreated(), kNew);
  EXPECT_EQ(sandbox.Sends(PROVIDER_MONATO), kNew);  // the replay and the conflict never left
  EXPECT_EQ(
      Series(
          scrape,
          R"(gateway_provider_request_seconds_count{provider="monato",operation="CreatePayout"})"),
      kNew);
  EXPECT_EQ(Series(scrape, R"(gateway_payouts_total{provider="monato",status="PENDING"})"), kNew);
  EXPECT_EQ(
      Series(scrape, R"(gateway_provider_token_refreshes_total{provider="monato",outcome="ok"})"),
      1);
  EXPECT_GE(Series(scrape, R"(gateway_provider_connections{provider="monato",state="open"})"), 1);
  EXPECT_NE(scrape.find("# TYPE grpc_server_handling_seconds histogram"), std::string::npos);

  int other = 0;
  HttpGet(gateway.admin_port(), "/secrets", &other);
  EXPECT_EQ(other, 404);
}

}  // namespace
}  // namespace e2e
