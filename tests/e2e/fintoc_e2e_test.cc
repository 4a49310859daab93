// Fintoc end to end: gRPC -> gateway -> Fintoc adapter (fresh JWS per attempt) -> HTTPS ->
// Fintoc simulator, which verifies every signature (RS256, ts window, nonce reuse).
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/validation/request_validation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "providers/common/await.h"
#include "providers/common/json_fields.h"
#include "tests/e2e/gateway_under_test.h"

namespace e2e {
namespace {

using payments::v1::AccountService;
using payments::v1::Payout;
using payments::v1::PayoutService;

TEST(FintocE2eTest, ATransferIsCreatedAndFollowedToItsFinalStatus) {
  GatewayUnderTest gateway;
  Payout payout = MustCreate(gateway, gateway.FintocPayout("f-1", 59013));
  EXPECT_EQ(payout.provider(), payments::v1::PROVIDER_FINTOC);
  EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(payout.provider_status(), "pending");
  EXPECT_THAT(payout.provider_payout_id(), testing::StartsWith("tr_"));
  EXPECT_EQ(payout.amount().amount_minor(), 59013);
  EXPECT_EQ(payout.tracking_key().size(), 30u);
  EXPECT_EQ(gateway.fintoc().SettlePending("", ""), 1);
  Payout settled = Get(gateway, payout.id());
  EXPECT_EQ(settled.status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ(settled.provider_status(), "succeeded");
  EXPECT_EQ(gateway.fintoc().counters().outbound_created, 1);
  EXPECT_EQ(gateway.fintoc().counters().jws_rejected, 0);
}

TEST(FintocE2eTest, TheTestRejectionCounterpartyEndsRejected) {
  GatewayUnderTest gateway;
  Payout payout =
      MustCreate(gateway, gateway.FintocPayout("f-rej", 100, sandbox::kFintocRejectedCounterparty));
  gateway.fintoc().SettlePending("", "");
  EXPECT_EQ(Get(gateway, payout.id()).status(), payments::v1::PAYOUT_STATUS_REJECTED);
}

TEST(FintocE2eTest, ARetryAfterA503IsReSignedWithTheSameKeyAndMakesOneTransfer) {
  GatewayUnderTest gateway;
  sandbox::FaultPlan once;
  once.path_prefix = "/v2/transfers";
  once.fail_next = 1;
  gateway.fintoc_server().SetFaults(once);
  Payout payout = MustCreate(gateway, gateway.FintocPayout("f-503", 4200));
  EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(gateway.fintoc_http().stats().retries, 1);
  EXPECT_EQ(gateway.fintoc().counters().outbound_created, 1);
  // A reused signature would have been refused as jws_nonce_already_used.
  EXPECT_EQ(gateway.fintoc().counters().jws_rejected, 0);
}

TEST(FintocE2eTest, AReplyLostAfterFintocActedIsReplayedNotRepeated) {
  GatewayUnderTest gateway;
  sandbox::FaultPlan drop;
  drop.path_prefix = "/v2/transfers";
  drop.drop_after_next = 1;  // Fintoc creates the transfer; the reply never arrives
  gateway.fintoc_server().SetFaults(drop);
  Payout payout = MustCreate(gateway, gateway.FintocPayout("f-drop", 777));
  // The client retried with a fresh signature and the same key: Fintoc replayed the transfer.
  EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(gateway.fintoc().counters().outbound_created, 1);
  EXPECT_EQ(gateway.fintoc().counters().idempotent_replays, 1);
  EXPECT_EQ(gateway.fintoc().counters().jws_rejected, 0);
}

TEST(FintocE2eTest, ManyTransfersNeverSendAStaleOrReusedSignature) {
  GatewayUnderTest gateway;
  sandbox::FaultPlan flaky;
  flaky.path_prefix = "/v2/transfers";
  flaky.fail_next = 5;
  gateway.fintoc_server().SetFaults(flaky);
  std::vector<Payout> payouts;
  for (int i = 0; i < 20; ++i) {
    payouts.push_back(MustCreate(gateway, gateway.FintocPayout(absl::StrCat("m-", i), 100 + i)));
  }
  // Five 503s outlast the first payout's three attempts: it is UNKNOWN, not failed.
  EXPECT_EQ(payouts[0].status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_EQ(gateway.fintoc().counters().outbound_created, 19);
  // Reading it re-sends with the same key and a fresh signature: now it exists, once.
  EXPECT_EQ(Get(gateway, payouts[0].id()).status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(gateway.fintoc().counters().outbound_created, 20);
  EXPECT_EQ(gateway.fintoc().counters().jws_rejected, 0);
}

TEST(FintocE2eTest, TheSameKeyTwiceIsSentOnce) {
  SandboxOptions no_dedup;
  no_dedup.dedup = false;  // a second send would be a second transfer
  GatewayUnderTest gateway(no_dedup);
  const auto request = gateway.FintocPayout("f-same", 5000);
  Payout first = MustCreate(gateway, request);
  Payout second = MustCreate(gateway, request);
  EXPECT_THAT(first.provider_payout_id(), testing::StartsWith("tr_"));
  EXPECT_EQ(second.provider_payout_id(), first.provider_payout_id());
  EXPECT_EQ(gateway.fintoc().counters().outbound_created, 1);
  EXPECT_EQ(KeysBySends(gateway.fintoc().sends(), "transfer"), (std::map<int64_t, int>{{1, 1}}));
}

TEST(FintocE2eTest, AnInFlightKeyIsAbortedByTheGatewayNotSentAgain) {
  SandboxOptions no_dedup;
  no_dedup.dedup = false;  // Fintoc would make a second transfer, not refuse it
  GatewayUnderTest gateway(no_dedup);
  // Fintoc makes the transfer at once and holds its reply for 2 s.
  sandbox::FaultPlan slow_reply;
  slow_reply.path_prefix = "/v2/transfers";
  slow_reply.latency_ms = 2000;
  gateway.fintoc_server().SetFaults(slow_reply);
  const auto request = gateway.FintocPayout("f-in-flight", 700);
  Payout first;
  grpc::Status first_status;
  std::thread caller([&] {
    first_status = Call(gateway.payouts(), &PayoutService::Stub::CreatePayout, request, &first);
  });
  // The first call is at Fintoc (its reply not yet back): now the same key again.
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (gateway.fintoc().sends().total.sends < 1 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_EQ(gateway.fintoc().sends().total.sends, 1);
  Payout second;
  grpc::Status second_status =
      Call(gateway.payouts(), &PayoutService::Stub::CreatePayout, request, &second);
  const int64_t sends_when_answered = gateway.fintoc().sends().total.sends;
  caller.join();
  EXPECT_TRUE(first_status.ok()) << first_status.error_message();
  EXPECT_EQ(second_status.error_code(), grpc::StatusCode::ABORTED) << second_status.error_message();
  EXPECT_EQ(sends_when_answered, 1);  // the gateway refused it itself
  EXPECT_EQ(gateway.fintoc().sends().total.sends, 1);
  EXPECT_EQ(gateway.fintoc().counters().outbound_created, 1);
}

TEST(FintocE2eTest, AccountsAndAccountNumbers) {
  GatewayUnderTest gateway;
  payments::v1::ListAccountsRequest list;
  list.set_provider(payments::v1::PROVIDER_FINTOC);
  payments::v1::ListAccountsResponse accounts;
  ASSERT_TRUE(Call(gateway.accounts(), &AccountService::Stub::ListAccounts, list, &accounts).ok());
  ASSERT_GE(accounts.accounts_size(), 1);
  EXPECT_EQ(accounts.accounts(0).id(), gateway.FintocSourceAccount());
  EXPECT_EQ(accounts.accounts(0).clabe(), "735969000000203297");
  EXPECT_EQ(accounts.accounts(0).available_balance().amount_minor(), 1'000'000'000);

  payments::v1::CreateAccountRequest create;
  create.set_idempotency_key("acno-1");
  create.set_provider(payments::v1::PROVIDER_FINTOC);
  create.set_parent_account_id(gateway.FintocSourceAccount());
  create.set_description("Cobranza cliente 42");
  payments::v1::Account number;
  grpc::Status status =
      Call(gateway.accounts(), &AccountService::Stub::CreateAccount, create, &number);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(number.kind(), payments::v1::ACCOUNT_KIND_ACCOUNT_NUMBER);
  EXPECT_THAT(number.clabe(), testing::StartsWith("735969"));
  // The same key returns the same account number.
  payments::v1::Account again;
  ASSERT_TRUE(Call(gateway.accounts(), &AccountService::Stub::CreateAccount, create, &again).ok());
  EXPECT_EQ(again.id(), number.id());
}

TEST(FintocE2eTest, AnInboundTransferIsReturned) {
  GatewayUnderTest gateway;
  auto inbound = providers::ParseJsonObject(
      gateway.SandboxControl(false, "/_sandbox/fintoc/receive", R"({"amount":12345})"));
  ASSERT_TRUE(inbound.ok());
  const std::string transfer = providers::StringOr(*inbound, "id");
  ASSERT_FALSE(transfer.empty());
  gateway.fintoc().SettlePending(transfer, "succeeded");
  payments::v1::RefundTransactionRequest refund;
  refund.set_idempotency_key("return-1");
  refund.set_transaction_id("fintoc.txn." + transfer);
  refund.mutable_amount()->set_amount_minor(12345);
  refund.mutable_amount()->set_currency("MXN");
  refund.set_description("Devolucion");
  payments::v1::Refund answer;
  grpc::Status status =
      Call(gateway.payouts(), &PayoutService::Stub::RefundTransaction, refund, &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(answer.status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(answer.provider_status(), "return_pending");
  EXPECT_EQ(gateway.fintoc().counters().returns_requested, 1);
  EXPECT_EQ(gateway.fintoc().counters().jws_rejected, 0);
}

// Issue 12, defect 3: a payout whose id was never learned is found at Fintoc by what was sent
// (GET /v2/transfers with the sandbox's direction/account_id/since filters); a second transfer
// with the same fields makes the search ambiguous, and other fields match nothing.
TEST(FintocE2eTest, APayoutIsFoundByReferenceAtTheSandbox) {
  GatewayUnderTest gateway;
  const absl::Time before = absl::Now();
  const auto request = gateway.FintocPayout("ref-1", 4321);
  const Payout created = MustCreate(gateway, request);
  auto provider = gateway.engine().providers()->Find(payments::v1::PROVIDER_FINTOC);
  ASSERT_TRUE(provider.ok()) << provider.status();
  const gateway::BankCatalog banks = gateway::BankCatalog::Builtin();
  auto search = [&](const payments::v1::CreatePayoutRequest& wanted) {
    auto order = gateway::ValidateCreatePayout(wanted, banks, &(*provider)->capabilities());
    EXPECT_TRUE(order.ok()) << order.status();
    return providers::Await<Payout>([&](auto done) {
      providers::CallContext context;
      context.caller = "e2e";
      context.deadline = absl::Now() + absl::Seconds(10);
      (*provider)->FindPayoutByReference(*order, before, context, std::move(done));
    });
  };
  auto found = search(request);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->provider_payout_id(), created.provider_payout_id());

  auto other = request;
  other.mutable_amount()->set_amount_minor(4322);
  EXPECT_EQ(search(other).status().code(), absl::StatusCode::kNotFound);

  auto twin = request;
  twin.set_idempotency_key("ref-2");  // another key, the same transfer fields
  const Payout second = MustCreate(gateway, twin);
  auto ambiguous = search(request);
  EXPECT_EQ(ambiguous.status().code(), absl::StatusCode::kFailedPrecondition) << ambiguous.status();
  EXPECT_THAT(std::string(ambiguous.status().message()),
              testing::HasSubstr(second.provider_payout_id()));
}

}  // namespace
}  // namespace e2e
