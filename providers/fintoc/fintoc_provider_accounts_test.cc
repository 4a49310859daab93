// The Fintoc adapter's returns, accounts, account numbers and counterparties against scripted
// replies.
#include "providers/fintoc/fintoc_provider.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "providers/fintoc/testing/jws_test_util.h"
#include "providers/fintoc/testing/provider_test_support.h"
#include "vocabulary/error_details.h"

namespace providers::fintoc {
namespace {

using provider_testing::FintocProviderTest;
using provider_testing::Header;
using provider_testing::HeaderCount;
using provider_testing::kCreatedTransfer;
using provider_testing::kSecretKey;
using provider_testing::Options;
using provider_testing::Order;
using ::testing::HasSubstr;
using ::testing::Not;

using provider_testing::kInboundTransfer;

TEST_F(FintocProviderTest, ReturnsAreCheckedThenSignedAndKeyed) {
  http_.AddResponse(200, kInboundTransfer);
  auto partial = Refund(49999);
  ASSERT_EQ(gateway::FieldViolationsOf(partial.status()).size(), 1u) << partial.status();
  EXPECT_EQ(gateway::FieldViolationsOf(partial.status())[0].field(), "amount.amount_minor");
  EXPECT_EQ(http_.request_count(), 1);  // nothing was posted

  http_.AddResponse(200, kCreatedTransfer);  // outbound: cannot be returned
  auto outbound = Refund(59013);
  ASSERT_EQ(gateway::FieldViolationsOf(outbound.status()).size(), 1u) << outbound.status();
  EXPECT_EQ(gateway::FieldViolationsOf(outbound.status())[0].field(), "transaction_id");

  http_.AddResponse(200, kInboundTransfer);
  http_.AddResponse(200, R"({"object":"transfer","id":"tr_in","amount":50000,"currency":"MXN",
    "direction":"inbound","status":"return_pending"})");
  auto refund = Refund(50000);
  ASSERT_TRUE(refund.ok()) << refund.status();
  EXPECT_EQ(refund->id(), "fintoc.refund.tr_in");
  EXPECT_EQ(refund->transaction_id(), "fintoc.txn.tr_in");
  EXPECT_EQ(refund->status(), payments::v1::PAYOUT_STATUS_PENDING);
  const auto post = http_.requests().back();
  EXPECT_EQ(post.url, "https://fintoc.test/v2/transfers/return");
  EXPECT_EQ(post.body, R"({"transfer_id":"tr_in"})");
  EXPECT_EQ(Header(post, "Idempotency-Key"), ExpectedKey("transfer_return", "return-7"));
  EXPECT_TRUE(jws_testing::VerifyDetachedJws(jws_testing::kVectorPublicKeyPem,
                                             Header(post, "Fintoc-JWS-Signature"), post.body)
                  .ok());

  http_.AddResponse(200, kInboundTransfer);
  http_.AddError(net::http::MarkRequestSent(absl::UnavailableError("connection reset")));
  auto lost = Refund(50000);
  ASSERT_TRUE(lost.ok()) << lost.status();
  EXPECT_EQ(lost->status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
}

// A return answered 5xx or unreadable may have been carried out: UNKNOWN, never an error that
// gives the key back. The read before it moves nothing: its failure is not marked as sent.
TEST_F(FintocProviderTest, ReturnsAnswered5xxOrUnreadableAreUnknownAndTheCheckIsNotMarkedSent) {
  for (const auto& [status, body] : std::vector<std::pair<int, std::string>>{
           {500, R"({"error":{"type":"api_error"}})"},
           {503, "<html>busy</html>"},
           {201, R"({"object":"transfer","id":"tr_in","amount":)"}}) {
    http_.AddResponse(200, kInboundTransfer);
    http_.AddResponse(status, body);
    auto refund = Refund(50000);
    ASSERT_TRUE(refund.ok()) << status << " " << refund.status();
    EXPECT_EQ(refund->status(), payments::v1::PAYOUT_STATUS_UNKNOWN) << status;
  }
  const int before = http_.request_count();
  http_.AddError(net::http::MarkRequestSent(absl::DeadlineExceededError("reply lost")));
  auto check_lost = Refund(50000);
  ASSERT_FALSE(check_lost.ok());
  EXPECT_FALSE(net::http::RequestMayHaveBeenSent(check_lost.status())) << check_lost.status();
  EXPECT_EQ(http_.request_count(), before + 1);  // nothing was posted
}

TEST_F(FintocProviderTest, AccountsAndAccountNumbers) {
  http_.AddResponse(
      200,
      R"([{"id":"acc_1","object":"account","root_account_number":"735969000000203297",
           "available_balance":21960000,"currency":"MXN","status":"active"}])",
      {{"Link", R"(<https://fintoc.test/v2/accounts?limit=2&starting_after=acc_1>; rel="next")"}});
  auto accounts = Run<payments::v1::ListAccountsResponse>([&](auto done) {
    provider_->ListAccounts(PageQuery{2, ""}, Context(), std::move(done));
  });
  ASSERT_TRUE(accounts.ok()) << accounts.status();
  ASSERT_EQ(accounts->accounts_size(), 1);
  EXPECT_EQ(accounts->accounts(0).available_balance().amount_minor(), 21960000);
  EXPECT_EQ(accounts->next_page_token(), "acc_1");  // the cursor only: fintoc_paging_test.cc
  EXPECT_EQ(http_.requests()[0].url, "https://fintoc.test/v2/accounts?limit=2");

  http_.AddResponse(200, R"({"id":"acno_9","account_id":"acc_1","number":"735969000000203365",
    "status":"enabled"})");
  auto number = Run<payments::v1::Account>(
      [&](auto done) { provider_->GetAccount("acno_9", Context(), std::move(done)); });
  ASSERT_TRUE(number.ok()) << number.status();
  EXPECT_EQ(number->kind(), payments::v1::ACCOUNT_KIND_ACCOUNT_NUMBER);
  EXPECT_EQ(http_.requests()[1].url, "https://fintoc.test/v2/account_numbers/acno_9");

  payments::v1::CreateAccountRequest create;
  create.set_idempotency_key("customer-9");
  create.set_description("Customer 9");
  (*create.mutable_metadata())["customer"] = "9";
  http_.AddResponse(200, R"({"id":"acno_10","account_id":"acc_1","number":"735969000000203226",
    "description":"Customer 9","status":"enabled"})");
  auto created = Run<payments::v1::Account>(
      [&](auto done) { provider_->CreateAccount(create, "acc_1", Context(), std::move(done)); });
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->id(), "fintoc.acct.acno_10");
  EXPECT_EQ(created->parent_account_id(), "fintoc.acct.acc_1");
  const auto post = http_.requests()[2];
  EXPECT_EQ(post.url, "https://fintoc.test/v2/account_numbers");
  EXPECT_EQ(post.body,
            R"({"account_id":"acc_1","description":"Customer 9","metadata":{"customer":"9"}})");
  EXPECT_EQ(Header(post, "Idempotency-Key"), ExpectedKey("account_number", "customer-9"));

  auto orphan = Run<payments::v1::Account>(
      [&](auto done) { provider_->CreateAccount(create, "", Context(), std::move(done)); });
  EXPECT_EQ(gateway::FieldViolationsOf(orphan.status())[0].field(), "parent_account_id");
  create.set_description(std::string(41, 'x'));
  auto wordy = Run<payments::v1::Account>(
      [&](auto done) { provider_->CreateAccount(create, "acc_1", Context(), std::move(done)); });
  EXPECT_EQ(gateway::FieldViolationsOf(wordy.status())[0].field(), "description");
  EXPECT_EQ(http_.request_count(), 3);
}

TEST_F(FintocProviderTest, NoBankCatalogueAndNothingToRegister) {
  auto banks = Run<payments::v1::ListBanksResponse>(
      [&](auto done) { provider_->ListBanks(PageQuery{}, Context(), std::move(done)); });
  EXPECT_EQ(banks.status().code(), absl::StatusCode::kUnimplemented);

  payments::v1::RegisterCounterpartyRequest request;
  request.mutable_counterparty()->set_clabe("014180655091438298");
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.set_alias("Jon");
  auto register_once = [&] {
    return Run<payments::v1::RegisteredCounterparty>(
        [&](auto done) { provider_->RegisterCounterparty(request, Context(), std::move(done)); });
  };
  auto first = register_once();
  auto again = register_once();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(first->id(), ::testing::StartsWith("fintoc.cpty."));
  EXPECT_EQ(first->id(), again->id());
  EXPECT_EQ(first->counterparty().clabe(), "8298");  // masked
  EXPECT_EQ(first->alias(), "Jon");
  request.mutable_counterparty()->set_clabe("002010077777777771");
  EXPECT_NE(register_once()->id(), first->id());

  auto listed = Run<payments::v1::ListCounterpartiesResponse>(
      [&](auto done) { provider_->ListCounterparties(PageQuery{}, Context(), std::move(done)); });
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->counterparties_size(), 0);
  EXPECT_EQ(http_.request_count(), 0);
}

}  // namespace
}  // namespace providers::fintoc
