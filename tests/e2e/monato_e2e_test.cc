// Monato end to end: gRPC -> gateway -> Monato adapter -> HTTPS -> Monato simulator.
#include <atomic>
#include <map>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "providers/common/json_fields.h"
#include "tests/e2e/gateway_under_test.h"

namespace e2e {
namespace {

using payments::v1::AccountService;
using payments::v1::Payout;
using payments::v1::PayoutService;

// Sends `requests` all at once through the async gRPC API and waits for every answer.
std::vector<std::pair<grpc::Status, Payout>> CreateConcurrently(
    GatewayUnderTest& gateway, const std::vector<payments::v1::CreatePayoutRequest>& requests) {
  std::vector<std::pair<grpc::Status, Payout>> results(requests.size());
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  absl::BlockingCounter pending(static_cast<int>(requests.size()));
  for (size_t i = 0; i < requests.size(); ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    contexts.back()->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    gateway.payouts().async()->CreatePayout(contexts.back().get(), &requests[i], &results[i].second,
                                            [&results, &pending, i](grpc::Status status) {
                                              results[i].first = std::move(status);
                                              pending.DecrementCount();
                                            });
  }
  pending.Wait();
  return results;
}

TEST(MonatoE2eTest, APayoutGoesFromCreateToItsFinalStatus) {
  GatewayUnderTest gateway;
  Payout payout = MustCreate(gateway, gateway.MonatoPayout("e2e-1", 195));
  EXPECT_EQ(payout.provider(), payments::v1::PROVIDER_MONATO);
  EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(payout.provider_status(), "INITIALIZED");
  EXPECT_FALSE(payout.tracking_key().empty());
  EXPECT_EQ(gateway.monato().SettlePending("", ""), 1);
  Payout settled = Get(gateway, payout.id());
  EXPECT_EQ(settled.status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ(settled.provider_status(), "LIQUIDATED");
  EXPECT_EQ(settled.tracking_key(), payout.tracking_key());
}

TEST(MonatoE2eTest, TheRejectionClabeEndsRejectedWithItsReason) {
  GatewayUnderTest gateway;
  Payout payout =
      MustCreate(gateway, gateway.MonatoPayout("e2e-rej", 5000, sandbox::kMonatoRejectedClabe));
  gateway.monato().SettlePending("", "");
  Payout settled = Get(gateway, payout.id());
  EXPECT_EQ(settled.status(), payments::v1::PAYOUT_STATUS_REJECTED);
  EXPECT_EQ(settled.provider_status(), "REJECTED");
}

TEST(MonatoE2eTest, AmountsAreExactAtTheEdges) {
  SandboxOptions rich;
  rich.monato_balance_cents = 200'000'000'000;  // room for MXN 999,999,999.99
  GatewayUnderTest gateway(rich);
  for (int64_t amount : {int64_t{1}, int64_t{195}, int64_t{99'999'999'999}}) {
    Payout payout = MustCreate(gateway, gateway.MonatoPayout(absl::StrCat("amt-", amount), amount));
    EXPECT_EQ(payout.amount().amount_minor(), amount);
    // Read back from Monato: the sandbox stored exactly this decimal string.
    EXPECT_EQ(Get(gateway, payout.id()).amount().amount_minor(), amount);
  }
}

TEST(MonatoE2eTest, OneTokenServesManyPayouts) {
  GatewayUnderTest gateway;
  for (int i = 0; i < 20; ++i)
    MustCreate(gateway, gateway.MonatoPayout(absl::StrCat("tok-", i), 100));
  EXPECT_EQ(gateway.monato().counters().tokens_issued, 1);
  EXPECT_EQ(gateway.monato().counters().money_outs_created, 20);
}

TEST(MonatoE2eTest, AnExpiredTokenIsRefreshedExactlyOnceUnder50ConcurrentPayouts) {
  GatewayUnderTest gateway;
  MustCreate(gateway, gateway.MonatoPayout("warm-up", 100));
  ASSERT_EQ(gateway.monato().counters().tokens_issued, 1);
  gateway.monato().ExpireAllTokens();  // every request now gets 401 until a new token
  std::vector<payments::v1::CreatePayoutRequest> requests;
  for (int i = 0; i < 50; ++i) requests.push_back(gateway.MonatoPayout(absl::StrCat("c-", i), 100));
  for (const auto& [status, payout] : CreateConcurrently(gateway, requests)) {
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_PENDING);
  }
  EXPECT_EQ(gateway.monato().counters().tokens_issued, 2);
  EXPECT_EQ(gateway.monato().counters().money_outs_created, 51);
}

TEST(MonatoE2eTest, AnInstrumentIsRegisteredOncePerClabe) {
  GatewayUnderTest gateway;
  std::vector<payments::v1::CreatePayoutRequest> requests;
  for (int i = 0; i < 10; ++i) requests.push_back(gateway.MonatoPayout(absl::StrCat("i-", i), 100));
  for (const auto& [status, payout] : CreateConcurrently(gateway, requests)) {
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
  MustCreate(gateway, gateway.MonatoPayout("i-other", 100, "002010077777777771"));
  payments::v1::ListCounterpartiesRequest list;
  list.set_provider(payments::v1::PROVIDER_MONATO);
  payments::v1::ListCounterpartiesResponse registered;
  ASSERT_TRUE(
      Call(gateway.accounts(), &AccountService::Stub::ListCounterparties, list, &registered).ok());
  int for_first = 0, for_second = 0;
  for (const auto& counterparty : registered.counterparties()) {
    if (counterparty.counterparty().clabe() == "8298") ++for_first;
    if (counterparty.counterparty().clabe() == "7771") ++for_second;
  }
  EXPECT_EQ(for_first, 1);
  EXPECT_EQ(for_second, 1);
}

TEST(MonatoE2eTest, TheSameKeyTwiceIsSentOnce) {
  SandboxOptions no_dedup;
  no_dedup.dedup = false;  // a second send would be a second money-out
  GatewayUnderTest gateway(no_dedup);
  const auto request = gateway.MonatoPayout("same-key", 4200);
  Payout first = MustCreate(gateway, request);
  Payout second = MustCreate(gateway, request);
  // The same transfer at Monato, not only the same gateway id (derived from the key).
  EXPECT_FALSE(first.provider_payout_id().empty());
  EXPECT_EQ(second.provider_payout_id(), first.provider_payout_id());
  EXPECT_EQ(gateway.monato().counters().money_outs_created, 1);
  // The gateway answered the second call from its own store: Monato never saw it.
  EXPECT_EQ(KeysBySends(gateway.monato().sends(), "money_out"), (std::map<int64_t, int>{{1, 1}}));
  auto changed = request;
  changed.mutable_amount()->set_amount_minor(4201);
  Payout ignored;
  grpc::Status reused =
      Call(gateway.payouts(), &PayoutService::Stub::CreatePayout, changed, &ignored);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Get(gateway, first.id()).amount().amount_minor(), 4200);  // first payout untouched
  EXPECT_EQ(gateway.monato().counters().money_outs_created, 1);
  EXPECT_EQ(gateway.monato().sends().total.sends, 1);
}

TEST(MonatoE2eTest, InsufficientFundsIsAFailedPreconditionAndNothingMoves) {
  GatewayUnderTest gateway;
  Payout payout;
  grpc::Status status = Call(gateway.payouts(), &PayoutService::Stub::CreatePayout,
                             gateway.MonatoPayout("too-much", 2'000'000'000), &payout);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(gateway.monato().counters().money_outs_created, 0);
}

TEST(MonatoE2eTest, AConcurrentDuplicateIsAbortedByTheGatewayNotSentTwice) {
  SandboxOptions slow;
  slow.monato_money_out_processing = absl::Milliseconds(400);
  slow.dedup = false;  // Monato would process the duplicate, not answer 409 in progress
  GatewayUnderTest gateway(slow);
  MustCreate(gateway, gateway.MonatoPayout("warm", 100));  // token, instruments cached
  const auto request = gateway.MonatoPayout("dup", 700);
  auto results = CreateConcurrently(gateway, {request, request});
  int ok = 0, aborted = 0;
  for (const auto& [status, payout] : results) {
    if (status.ok()) ++ok;
    if (status.error_code() == grpc::StatusCode::ABORTED) ++aborted;
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(aborted, 1);
  EXPECT_EQ(gateway.monato().counters().money_outs_created, 2);  // warm-up + one
  // The duplicate never reached Monato: the gateway's claim stopped it.
  EXPECT_EQ(KeysBySends(gateway.monato().sends(), "money_out"), (std::map<int64_t, int>{{1, 2}}));
  EXPECT_EQ(gateway.monato().sends().total.refused, 0);
}

TEST(MonatoE2eTest, AReplyLostAfterMonatoActedIsUnknownThenResolvedByTheSameKey) {
  GatewayUnderTest gateway;
  MustCreate(gateway, gateway.MonatoPayout("warm", 100));
  // Monato acts on every attempt but no reply ever arrives (the client's retries included).
  sandbox::FaultPlan drop;
  drop.path_prefix = "/v1/transactions/money_out";
  drop.drop_after_next = 10;
  gateway.monato_server().SetFaults(drop);
  const auto request = gateway.MonatoPayout("lost-reply", 12345);
  Payout unknown = MustCreate(gateway, request);
  EXPECT_EQ(unknown.status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_EQ(unknown.amount().amount_minor(), 12345);
  EXPECT_EQ(gateway.monato().counters().money_outs_created, 2);  // it did happen, once

  // A retry with the same key gets the same (unknown) payout, and sends nothing new.
  const int64_t sends_before_retry = gateway.monato().sends().total.sends;
  Payout again = MustCreate(gateway, request);
  EXPECT_EQ(again.status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_EQ(again.amount().amount_minor(), 12345);
  EXPECT_EQ(gateway.monato().sends().total.sends, sends_before_retry);

  gateway.monato_server().SetFaults({});
  // Reading it re-asks Monato with the same Idempotency-Key: Monato replays its first answer.
  Payout resolved = Get(gateway, unknown.id());
  EXPECT_EQ(resolved.status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_FALSE(resolved.provider_payout_id().empty());
  EXPECT_EQ(gateway.monato().counters().money_outs_created, 2);  // warm-up + one, never two
  EXPECT_EQ(gateway.monato().sends().MaxCreatedPerKey(), 1);
}

TEST(MonatoE2eTest, AFailingTokenEndpointIsAClearErrorNotAHang) {
  GatewayUnderTest gateway;
  gateway.monato().ExpireAllTokens();  // the token cached at start-up is now refused
  sandbox::FaultPlan down;
  down.path_prefix =
      absl::StrCat("/v1/clients/", sandbox::kMonatoDefaultClientId, "/auth/credential-tokens");
  down.fail_next = 100;
  gateway.monato_server().SetFaults(down);
  Payout payout;
  grpc::Status status = Call(gateway.payouts(), &PayoutService::Stub::CreatePayout,
                             gateway.MonatoPayout("no-token", 100), &payout);
  // An answer, not the 10 s deadline (DEADLINE_EXCEEDED), after a bounded number of tries.
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_THAT(status.error_message(), testing::HasSubstr("token"));
  const int token_attempts = 100 - gateway.monato_server().faults().fail_next;
  EXPECT_GE(token_attempts, 1);
  EXPECT_LE(token_attempts, 3);  // the HTTP client's default max_attempts
  EXPECT_EQ(gateway.monato().counters().money_outs_created, 0);
}

TEST(MonatoE2eTest, RefusedCredentialsAreUnavailableForTheCallerAndNamedForOperators) {
  SandboxOptions wrong;
  wrong.gateway_api_key = "not-the-sandbox-key";
  GatewayUnderTest gateway(wrong);
  Payout payout;
  grpc::Status status = Call(gateway.payouts(), &PayoutService::Stub::CreatePayout,
                             gateway.MonatoPayout("bad-creds", 100), &payout);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_THAT(status.error_message(), testing::HasSubstr("credentials"));
  EXPECT_THAT(status.error_message(), testing::Not(testing::HasSubstr("not-the-sandbox-key")));
}

TEST(MonatoE2eTest, AccountsAndBanksComeFromMonato) {
  GatewayUnderTest gateway;
  payments::v1::ListAccountsRequest list;
  list.set_provider(payments::v1::PROVIDER_MONATO);
  payments::v1::ListAccountsResponse accounts;
  ASSERT_TRUE(Call(gateway.accounts(), &AccountService::Stub::ListAccounts, list, &accounts).ok());
  ASSERT_GE(accounts.accounts_size(), 1);
  EXPECT_EQ(accounts.accounts(0).id(), gateway.MonatoSourceAccount());
  EXPECT_EQ(accounts.accounts(0).available_balance().amount_minor(), 1'000'000'000);
  EXPECT_EQ(accounts.accounts(0).clabe().substr(0, 3), "734");

  payments::v1::ListBanksRequest banks_request;
  banks_request.set_provider(payments::v1::PROVIDER_MONATO);
  banks_request.set_page_size(500);
  payments::v1::ListBanksResponse banks;
  ASSERT_TRUE(
      Call(gateway.accounts(), &AccountService::Stub::ListBanks, banks_request, &banks).ok());
  bool has_bbva = false;
  for (const auto& bank : banks.banks()) {
    has_bbva = has_bbva || (bank.banxico_code() == "40012" && !bank.provider_bank_id().empty());
  }
  EXPECT_TRUE(has_bbva);

  payments::v1::CreateAccountRequest create;
  create.set_idempotency_key("acct-1");
  create.set_provider(payments::v1::PROVIDER_MONATO);
  create.set_parent_account_id(gateway.MonatoSourceAccount());
  payments::v1::Account created;
  grpc::Status status =
      Call(gateway.accounts(), &AccountService::Stub::CreateAccount, create, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.kind(), payments::v1::ACCOUNT_KIND_PRIVATE);
  EXPECT_EQ(created.clabe().substr(0, 3), "734");
}

TEST(MonatoE2eTest, AReceivedTransactionIsRefundedInFullOnly) {
  SandboxOptions no_dedup;
  no_dedup.dedup = false;
  GatewayUnderTest gateway(no_dedup);
  auto received = providers::ParseJsonObject(
      gateway.SandboxControl(true, "/_sandbox/monato/receive", R"({"amount":"5.00"})"));
  ASSERT_TRUE(received.ok());
  const std::string transaction = providers::StringOr(*received, "id");
  ASSERT_FALSE(transaction.empty());
  payments::v1::RefundTransactionRequest refund;
  refund.set_idempotency_key("refund-1");
  refund.set_transaction_id("monato.txn." + transaction);
  refund.mutable_amount()->set_amount_minor(499);
  refund.mutable_amount()->set_currency("MXN");
  refund.set_description("Invalid Amount");
  payments::v1::Refund answer;
  grpc::Status partial =
      Call(gateway.payouts(), &PayoutService::Stub::RefundTransaction, refund, &answer);
  EXPECT_EQ(partial.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << partial.error_message();
  refund.set_idempotency_key("refund-2");
  refund.mutable_amount()->set_amount_minor(500);
  grpc::Status full =
      Call(gateway.payouts(), &PayoutService::Stub::RefundTransaction, refund, &answer);
  ASSERT_TRUE(full.ok()) << full.error_message();
  EXPECT_EQ(answer.status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(answer.amount().amount_minor(), 500);
  EXPECT_FALSE(answer.tracking_key().empty());
  EXPECT_EQ(gateway.monato().counters().refunds_created, 1);
  // The same key again: the stored answer, no second refund.
  payments::v1::Refund again;
  ASSERT_TRUE(
      Call(gateway.payouts(), &PayoutService::Stub::RefundTransaction, refund, &again).ok());
  EXPECT_EQ(again.tracking_key(), answer.tracking_key());  // Monato's, not derived from the key
  EXPECT_EQ(gateway.monato().counters().refunds_created, 1);
  // One refund sent (the partial one was refused before any call): the key's replay came from
  // the gateway's store. (Counted by body: the refund may carry no Idempotency-Key.)
  EXPECT_EQ(SendsOf(gateway.monato().sends(), "refund"), 1);
}

}  // namespace
}  // namespace e2e
