// Caller policies through the real gateway binary (docs/policies.md): authenticated callers,
// a policies file, payouts to the sandbox over HTTPS. A refused account sends nothing and
// burns no key; a daily limit passes its last payout exactly and refuses the next with
// QuotaFailure and ErrorInfo details read by the real gRPC client; a rejected payout gives its
// amount back; the policies file is reloaded without a restart and a malformed one is refused.
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "proto/google/rpc/error_details.pb.h"
#include "proto/google/rpc/status.pb.h"
#include "proto/payments/v1/account_service.grpc.pb.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "tests/e2e/process_fixtures.h"

namespace e2e {
namespace {

using payments::v1::Payout;

constexpr char kToken[] = "billing-token-for-the-policy-e2e-01";
// Monato rejects payouts to this CLABE once settled (sandbox/README.md).
constexpr char kRejectedClabe[] = "012180000000000031";

class PolicyE2eTest : public testing::Test {
 protected:
  // A gateway with the callers file and `policies` as server.policies_file.
  void StartGateway(const std::string& name, const std::string& policies) {
    callers_ = TempPath(name + "-callers");
    policies_ = TempPath(name + "-policies.yaml");
    ASSERT_TRUE(WriteFile(callers_, absl::StrCat("billing: ", kToken, "\n")));
    ASSERT_TRUE(WriteFile(policies_, policies));
    GatewayProcessOptions options;
    options.admin = true;
    options.callers_file = callers_;
    options.extra_server_yaml = absl::StrCat("  policies_file: ", policies_);
    gateway_ = std::make_unique<Gateway>(
        name, absl::StrCat("sqlite://", TempPath(name + "/gateway.db")), sandbox_, options);
  }

  // CreatePayout as the caller "billing"; ABORTED/UNAVAILABLE are asked again.
  grpc::Status Create(const payments::v1::CreatePayoutRequest& request, Payout* out = nullptr) {
    Payout ignored;
    grpc::Status status;
    for (int attempt = 0; attempt < 50; ++attempt) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
      status = gateway_->stub().CreatePayout(&context, request, out ? out : &ignored);
      if (status.error_code() != grpc::StatusCode::ABORTED &&
          status.error_code() != grpc::StatusCode::UNAVAILABLE) {
        break;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    return status;
  }

  Payout GetPayout(const std::string& id) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
    payments::v1::GetPayoutRequest request;
    request.set_payout_id(id);
    Payout payout;
    EXPECT_TRUE(gateway_->stub().GetPayout(&context, request, &payout).ok());
    return payout;
  }

  // One series of the admin port's /metrics (`name{labels}` as rendered), or -1 when absent.
  int64_t Metric(const std::string& series) {
    for (absl::string_view line :
         absl::StrSplit(HttpGet(gateway_->admin_port(), "/metrics"), '\n')) {
      if (absl::ConsumePrefix(&line, series) && absl::ConsumePrefix(&line, " ")) {
        int64_t value = 0;
        if (absl::SimpleAtoi(line, &value)) return value;
      }
    }
    return -1;
  }

  void Rewrite(const std::string& text) {
    ASSERT_TRUE(WriteFile(policies_ + ".new", text));
    ASSERT_EQ(std::rename((policies_ + ".new").c_str(), policies_.c_str()), 0);
  }

  Sandbox sandbox_;
  std::string callers_;
  std::string policies_;
  std::unique_ptr<Gateway> gateway_;
};

// The details a refusal carries on the wire (google.rpc.Status in grpc-status-details-bin).
struct WireDetails {
  google::rpc::ErrorInfo info;
  google::rpc::QuotaFailure quota;
  bool has_info = false;
  bool has_quota = false;
};

WireDetails DetailsOf(const grpc::Status& status) {
  WireDetails details;
  google::rpc::Status wire;
  EXPECT_TRUE(wire.ParseFromString(status.error_details()));
  for (const auto& any : wire.details()) {
    if (any.UnpackTo(&details.info)) details.has_info = true;
    if (any.UnpackTo(&details.quota)) details.has_quota = true;
  }
  return details;
}

TEST_F(PolicyE2eTest, AnAccountTheCallerMayNotUseIsRefusedWithNothingSentAndNoKeyBurnt) {
  const std::string fintoc = sandbox_.SourceAccount(PROVIDER_FINTOC);
  const std::string monato = sandbox_.SourceAccount(PROVIDER_MONATO);
  StartGateway("policy-account", absl::StrCat(R"yaml(policies:
  - caller: billing
    operations: [payouts]
    source_accounts: [")yaml",
                                              fintoc, R"yaml("]
)yaml"));
  const int64_t monato_sends = sandbox_.Sends(PROVIDER_MONATO);
  const int64_t fintoc_sends = sandbox_.Sends(PROVIDER_FINTOC);

  grpc::Status refused = Create(PayoutFrom(monato, "acct-1"));
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  WireDetails details = DetailsOf(refused);
  ASSERT_TRUE(details.has_info);
  EXPECT_EQ(details.info.reason(), "ACCOUNT_NOT_ALLOWED");
  EXPECT_EQ(sandbox_.Sends(PROVIDER_MONATO), monato_sends);
  EXPECT_EQ(Metric(R"(gateway_policy_refusals_total{reason="account_not_allowed"})"), 1);

  // Nothing was stored under the key: the same key from an allowed account is a new payout.
  Payout payout;
  grpc::Status allowed = Create(PayoutFrom(fintoc, "acct-1"), &payout);
  ASSERT_TRUE(allowed.ok()) << allowed.error_message();
  EXPECT_EQ(sandbox_.Sends(PROVIDER_FINTOC), fintoc_sends + 1);
  EXPECT_EQ(sandbox_.Sends(PROVIDER_MONATO), monato_sends);
}

TEST_F(PolicyE2eTest, AccountsAreScopedToThePolicy) {
  const std::string fintoc = sandbox_.SourceAccount(PROVIDER_FINTOC);
  const std::string monato = sandbox_.SourceAccount(PROVIDER_MONATO);
  StartGateway("policy-scope", absl::StrCat(R"yaml(policies:
  - caller: billing
    operations: [payouts]
    source_accounts: [")yaml",
                                            fintoc, R"yaml("]
)yaml"));
  auto accounts = payments::v1::AccountService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", gateway_->port()), grpc::InsecureChannelCredentials()));
  std::vector<std::string> listed;
  payments::v1::ListAccountsRequest list;
  for (int page = 0; page < 10; ++page) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
    payments::v1::ListAccountsResponse response;
    grpc::Status status = accounts->ListAccounts(&context, list, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    for (const auto& account : response.accounts()) listed.push_back(account.id());
    if (response.next_page_token().empty()) break;
    list.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(listed, std::vector<std::string>{fintoc});

  for (const auto& [id, code] : {std::pair<std::string, grpc::StatusCode>{fintoc, grpc::OK},
                                 {monato, grpc::StatusCode::PERMISSION_DENIED}}) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
    payments::v1::GetAccountRequest get;
    get.set_account_id(id);
    payments::v1::Account account;
    EXPECT_EQ(accounts->GetAccount(&context, get, &account).error_code(), code) << id;
  }
}

TEST_F(PolicyE2eTest, ADailyLimitPassesItsLastPayoutExactlyAndARejectedPayoutGivesItsAmountBack) {
  const std::string monato = sandbox_.SourceAccount(PROVIDER_MONATO);
  StartGateway("policy-limit", R"yaml(policies:
  - caller: billing
    operations: [payouts]
    source_accounts: ["monato.acct.*"]
    limits:
      - name: daily-amount
        per: caller
        window: 24h
        max_amount_minor: 7500
)yaml");
  ASSERT_TRUE(Create(PayoutFrom(monato, "day-1", 2500)).ok());
  Payout rejected;
  payments::v1::CreatePayoutRequest to_rejected = PayoutFrom(monato, "day-2", 2500);
  to_rejected.mutable_counterparty()->set_clabe(kRejectedClabe);
  ASSERT_TRUE(Create(to_rejected, &rejected).ok());
  EXPECT_EQ(
      Metric(R"(gateway_caller_limit_used{caller="billing",limit="daily-amount",unit="minor"})"),
      5000);
  // Monato settles it as REJECTED; the gateway learns it on a read and gives the 2500 back.
  sandbox_.Control("POST", "/_sandbox/settle", "", PROVIDER_MONATO);
  EXPECT_TRUE(WaitUntil(
      [&] { return GetPayout(rejected.id()).status() == payments::v1::PAYOUT_STATUS_REJECTED; }));
  ASSERT_TRUE(Create(PayoutFrom(monato, "day-3", 2500)).ok());
  ASSERT_TRUE(Create(PayoutFrom(monato, "day-4", 2500)).ok());  // 7500 exactly: the last one
  EXPECT_EQ(
      Metric(R"(gateway_caller_limit_used{caller="billing",limit="daily-amount",unit="minor"})"),
      7500);
  EXPECT_EQ(
      Metric(R"(gateway_caller_limit_allowed{caller="billing",limit="daily-amount",unit="minor"})"),
      7500);

  const int64_t sends = sandbox_.Sends(PROVIDER_MONATO);
  grpc::Status over = Create(PayoutFrom(monato, "day-5", 1));
  EXPECT_EQ(over.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << over.error_message();
  const WireDetails details = DetailsOf(over);
  ASSERT_TRUE(details.has_info);
  EXPECT_EQ(details.info.reason(), "CALLER_LIMIT_REACHED");
  EXPECT_EQ(details.info.metadata().at("limit"), "daily-amount");
  ASSERT_TRUE(details.has_quota);
  ASSERT_EQ(details.quota.violations_size(), 1);
  EXPECT_EQ(details.quota.violations(0).subject(), "caller:billing");
  EXPECT_NE(details.quota.violations(0).description().find("daily-amount"), std::string::npos);
  EXPECT_EQ(sandbox_.Sends(PROVIDER_MONATO), sends);
  EXPECT_EQ(Metric(R"(gateway_policy_refusals_total{reason="limit_reached"})"), 1);

  // A replay of an approved key is answered (not refused, not counted again).
  Payout replay;
  ASSERT_TRUE(Create(PayoutFrom(monato, "day-1", 2500), &replay).ok());
  EXPECT_EQ(sandbox_.Sends(PROVIDER_MONATO), sends);
  EXPECT_EQ(Create(PayoutFrom(monato, "day-5", 1)).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(PolicyE2eTest, ThePoliciesFileIsReloadedWithoutARestartAndAMalformedOneIsRefused) {
  const std::string fintoc = sandbox_.SourceAccount(PROVIDER_FINTOC);
  const auto policy = [](int max_count) {
    return absl::StrCat(R"yaml(policies:
  - caller: billing
    operations: [payouts]
    source_accounts: ["fintoc.acct.*"]
    limits:
      - name: daily-count
        per: caller
        window: 24h
        max_count: )yaml",
                        max_count, "\n");
  };
  StartGateway("policy-reload", policy(1));
  ASSERT_TRUE(Create(PayoutFrom(fintoc, "reload-1")).ok());
  EXPECT_EQ(Create(PayoutFrom(fintoc, "reload-2")).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);

  Rewrite(policy(3));
  // The refused key was never stored: it passes as soon as the new limit is in force.
  EXPECT_TRUE(WaitUntil([&] { return Create(PayoutFrom(fintoc, "reload-2")).ok(); }));
  EXPECT_EQ(
      Metric(R"(gateway_credential_reloads_total{credentials="server.policies",outcome="ok"})"), 1);

  Rewrite("policies:\n  - caller: billing\n    operations: [teleport]\n");
  EXPECT_TRUE(WaitUntil([&] {
    return Metric(
               R"(gateway_credential_reloads_total{credentials="server.policies",outcome="refused"})") ==
           1;
  }));
  EXPECT_NE(gateway_->Log().find(policies_), std::string::npos);  // refused by the file's name
  // The old policy (3 a day) stays.
  EXPECT_TRUE(Create(PayoutFrom(fintoc, "reload-3")).ok());
  EXPECT_EQ(Create(PayoutFrom(fintoc, "reload-4")).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(PolicyE2eTest, AMalformedPoliciesFileStopsTheStartNamingTheFile) {
  const std::string file = TempPath("bad-policies.yaml");
  ASSERT_TRUE(WriteFile(file, "policies:\n  - caller: billing\n    max_count: lots\n"));
  // Caller authentication is configured: without it the configuration itself is refused before
  // the policies file is read (ConfigTest.PoliciesWithoutCallerAuthenticationAreRefused).
  const std::string callers = TempPath("bad-policies-callers");
  ASSERT_TRUE(WriteFile(callers, absl::StrCat("billing: ", kToken, "\n")));
  const std::string config = TempPath("bad-policies-gateway.yaml");
  ASSERT_TRUE(WriteFile(
      config, absl::StrCat("server:\n  listen_address: 127.0.0.1:0\n",
                           "  callers: {file: ", callers, "}\n  policies_file: ", file, "\n",
                           "store:\n  url: sqlite://", TempPath("bad-policies.db"), "\n")));
  ChildProcess gateway("gateway/gateway", {"--config=" + config},
                       TempPath("bad-policies-gateway.log"));
  EXPECT_EQ(gateway.WaitForExit(absl::Seconds(10)), 2) << gateway.Log();
  EXPECT_NE(gateway.Log().find("config_invalid"), std::string::npos) << gateway.Log();
  EXPECT_NE(gateway.Log().find(file), std::string::npos) << gateway.Log();
}

}  // namespace
}  // namespace e2e
