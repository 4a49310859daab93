// A caller's own policy, limits and usage through the real gateway binary (a callers file and a
// policies file, payouts to the sandbox over HTTPS): GetCallerLimits read by a real gRPC client,
// and the real payctl binary printing `payctl limits` after a payout.
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "proto/google/rpc/error_details.pb.h"
#include "proto/google/rpc/status.pb.h"
#include "proto/payments/v1/limits_service.grpc.pb.h"
#include "tests/e2e/process_fixtures.h"

namespace e2e {
namespace {

using payments::v1::CallerLimits;
using payments::v1::GetCallerLimitsRequest;

constexpr char kToken[] = "billing-token-for-the-limits-e2e-01";
constexpr char kStrangerToken[] = "stranger-token-for-the-limits-e2e-1";
constexpr char kClabe[] = "014180655091438298";  // PayoutFrom's destination

class CallerLimitsE2eTest : public testing::Test {
 protected:
  void SetUp() override {
    source_ = sandbox_.SourceAccount(PROVIDER_FINTOC);
    // A store of its own per test: no usage carried over from another test's payouts.
    const std::string test = testing::UnitTest::GetInstance()->current_test_info()->name();
    const std::string callers = TempPath("limits-callers");
    const std::string policies = TempPath("limits-policies.yaml");
    ASSERT_TRUE(WriteFile(callers,
                          absl::StrCat("billing: ", kToken, "\nstranger: ", kStrangerToken, "\n")));
    ASSERT_TRUE(WriteFile(policies, absl::StrCat(R"yaml(policies:
  - caller: billing
    operations: [payouts]
    source_accounts: [")yaml",
                                                 source_, R"yaml(", "monato.acct.*"]
    max_per_payout_minor: 500000
    limits:
      - name: daily-total
        per: caller
        window: 24h
        max_amount_minor: 1000000
        max_count: 50
      - name: per-account
        per: source_account
        window: 1h
        max_amount_minor: 200000
      - name: per-customer
        per: destination
        window: 24h
        max_count: 3
)yaml")));
    GatewayProcessOptions options;
    options.callers_file = callers;
    options.extra_server_yaml = absl::StrCat("  policies_file: ", policies);
    gateway_ = std::make_unique<Gateway>(
        "limits", absl::StrCat("sqlite://", TempPath(absl::StrCat("limits-", test, "/gateway.db"))),
        sandbox_, options);
    ASSERT_GT(gateway_->port(), 0) << gateway_->Log();
    limits_ = payments::v1::LimitsService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", gateway_->port()), grpc::InsecureChannelCredentials()));
  }

  grpc::Status Limits(const std::string& token, const GetCallerLimitsRequest& request,
                      CallerLimits* out) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    return limits_->GetCallerLimits(&context, request, out);
  }

  void Pay(const std::string& key, int64_t amount_minor) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
    payments::v1::Payout payout;
    grpc::Status status =
        gateway_->stub().CreatePayout(&context, PayoutFrom(source_, key, amount_minor), &payout);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  struct PayctlRun {
    int exit_code;
    std::string output;
  };
  PayctlRun Payctl(std::vector<std::string> args) {
    static int runs = 0;
    args.insert(args.begin(), absl::StrCat("--addr=127.0.0.1:", gateway_->port()));
    ChildOptions options;
    options.env.push_back(absl::StrCat("GATEWAY_CALLER_TOKEN=", kToken));
    ChildProcess payctl("gateway/cli/payctl", args,
                        TempPath(absl::StrCat("limits-payctl-", ++runs, ".log")), options);
    const int exit_code = payctl.WaitForExit(absl::Seconds(20));
    return {exit_code, payctl.Log()};
  }

  Sandbox sandbox_;
  std::string source_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<payments::v1::LimitsService::Stub> limits_;
};

TEST_F(CallerLimitsE2eTest, TheCallerReadsItsPolicyAndTheUsageOfEachLimit) {
  Pay("limits-1", 2500);
  Pay("limits-2", 1000);

  CallerLimits limits;
  grpc::Status status = Limits(kToken, GetCallerLimitsRequest(), &limits);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(limits.caller(), "billing");
  EXPECT_TRUE(limits.policies_enabled());
  ASSERT_EQ(limits.operations_size(), 1);
  EXPECT_EQ(limits.operations(0), "payouts");
  EXPECT_EQ(limits.max_per_payout().amount_minor(), 500000);
  // daily-total; per-account for the one literal account (the pattern is not listed);
  // per-customer with no usage until a destination is asked for.
  ASSERT_EQ(limits.limits_size(), 3) << limits.DebugString();
  EXPECT_EQ(limits.limits(0).name(), "daily-total");
  EXPECT_EQ(limits.limits(0).used_amount().amount_minor(), 3500);
  EXPECT_EQ(limits.limits(0).used_count(), 2);
  EXPECT_EQ(limits.limits(0).max_count(), 50);
  EXPECT_EQ(limits.limits(1).scope_value(), source_);
  EXPECT_EQ(limits.limits(1).used_amount().amount_minor(), 3500);
  EXPECT_EQ(limits.limits(1).window().seconds(), 3600);
  EXPECT_EQ(limits.limits(2).scope(), "destination");
  EXPECT_EQ(limits.limits(2).scope_value(), "");
  EXPECT_EQ(limits.limits(2).used_count(), 0);

  GetCallerLimitsRequest asked;
  asked.set_destination(kClabe);
  asked.set_source_account_id("monato.acct.other");  // allowed by the pattern, never paid from
  ASSERT_TRUE(Limits(kToken, asked, &limits).ok());
  ASSERT_EQ(limits.limits_size(), 3) << limits.DebugString();
  EXPECT_EQ(limits.limits(1).scope_value(), "monato.acct.other");
  EXPECT_EQ(limits.limits(1).used_amount().amount_minor(), 0);
  EXPECT_EQ(limits.limits(2).scope_value(), "**************8298");
  EXPECT_EQ(limits.limits(2).used_amount().amount_minor(), 3500);
  EXPECT_EQ(limits.limits(2).used_count(), 2);
  // Only the masked destination reached the log.
  EXPECT_FALSE(absl::StrContains(gateway_->Log(), "\"destination\":\"014180655091438298\""));
  EXPECT_TRUE(absl::StrContains(gateway_->Log(), "payments.v1.LimitsService/GetCallerLimits"));

  // Another caller sees its own (empty) policy, none of billing's usage.
  ASSERT_TRUE(Limits(kStrangerToken, GetCallerLimitsRequest(), &limits).ok());
  EXPECT_EQ(limits.caller(), "stranger");
  EXPECT_TRUE(limits.policies_enabled());
  EXPECT_EQ(limits.operations_size(), 0);
  EXPECT_EQ(limits.limits_size(), 0);
}

TEST_F(CallerLimitsE2eTest, RefusalsNameTheirCause) {
  CallerLimits limits;
  EXPECT_EQ(Limits("", GetCallerLimitsRequest(), &limits).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  GetCallerLimitsRequest not_allowed;
  not_allowed.set_source_account_id("fintoc.acct.acc_not_mine");
  EXPECT_EQ(Limits(kToken, not_allowed, &limits).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  GetCallerLimitsRequest bad;
  bad.set_destination("01418065509143829X");
  grpc::Status status = Limits(kToken, bad, &limits);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status wire;
  ASSERT_TRUE(wire.ParseFromString(status.error_details()));
  google::rpc::BadRequest request;
  ASSERT_EQ(wire.details_size(), 1);
  ASSERT_TRUE(wire.details(0).UnpackTo(&request));
  ASSERT_EQ(request.field_violations_size(), 1);
  EXPECT_EQ(request.field_violations(0).field(), "destination");
}

TEST_F(CallerLimitsE2eTest, PayctlLimitsPrintsTheTableWithTheUsedAmountAfterAPayout) {
  PayctlRun before = Payctl({"limits"});
  ASSERT_EQ(before.exit_code, 0) << before.output;
  EXPECT_TRUE(absl::StrContains(before.output, "0.00/10000.00 MXN")) << before.output;

  Pay("payctl-1", 2550);
  PayctlRun after = Payctl({"limits", absl::StrCat("--destination=", kClabe)});
  ASSERT_EQ(after.exit_code, 0) << after.output;
  for (const std::string& expected :
       {std::string("caller: billing\n"), std::string("policies: enabled\n"),
        std::string("operations: payouts\n"),
        absl::StrCat("source accounts: ", source_, ", monato.acct.*\n"),
        std::string("max per payout: 5000.00 MXN\n"), std::string("limit "),
        std::string("used/allowed amount"), std::string("25.50/10000.00 MXN"), std::string("1/50"),
        std::string("25.50/2000.00 MXN"), std::string("1/3"), std::string("**************8298")}) {
    EXPECT_TRUE(absl::StrContains(after.output, expected)) << expected << "\n" << after.output;
  }
  EXPECT_FALSE(absl::StrContains(after.output, kClabe)) << after.output;

  PayctlRun bad = Payctl({"limits", "--destination=12345"});
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_TRUE(absl::StrContains(bad.output, "field destination")) << bad.output;

  // Reflection shows the service (what grpcurl list shows).
  PayctlRun services = Payctl({"services"});
  EXPECT_EQ(services.exit_code, 0) << services.output;
  EXPECT_TRUE(absl::StrContains(services.output, "payments.v1.LimitsService")) << services.output;
}

}  // namespace
}  // namespace e2e
