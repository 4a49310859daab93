// The Monato adapter against scripted replies: the exact requests of a payout, deterministic
// idempotency keys, 401 recovery, and lost or odd replies as UNKNOWN outcomes.
#include "providers/monato/monato_provider.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "net/http/http_types.h"
#include "net/http/testing/fake_http_client.h"
#include "providers/common/json_fields.h"
#include "providers/monato/testing/provider_test_support.h"
#include "vocabulary/error_details.h"

namespace providers::monato {
namespace {

using provider_testing::Header;
using provider_testing::kAccountList;
using provider_testing::kBanks;
using provider_testing::kInstrument;
using provider_testing::kMoneyOutReply;
using provider_testing::kNoInstruments;
using provider_testing::MonatoProviderTest;
using provider_testing::Options;
using provider_testing::Order;
using provider_testing::Token;
using testing::HasSubstr;

TEST_F(MonatoProviderTest, APayoutSendsExactlyTheseRequests) {
  ScriptLookups();
  http_.AddResponse(201, kMoneyOutReply);
  auto payout = Create(Order());
  ASSERT_TRUE(payout.ok()) << payout.status();
  EXPECT_EQ(payout->id(), "monato.payout.tx-1");
  EXPECT_EQ(payout->status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(payout->tracking_key(), "20251121FINCHABCDEFGHIJ");
  EXPECT_EQ(payout->amount().amount_minor(), 50000);
  EXPECT_EQ(payout->source_account_id(), "monato.acct.0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61");
  EXPECT_EQ(payout->idempotency_key(), "order-42");

  const auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 6u);
  EXPECT_THAT(requests[0].url, HasSubstr("/v1/clients/c1/auth/credential-tokens"));
  // The documented list, not the single read known only from third-party clients.
  EXPECT_EQ(requests[1].url, "https://monato.test/v1/clients/c1/accounts?page=1&per_page=100");
  EXPECT_THAT(requests[2].url, HasSubstr("/v1/clients/c1/instruments?page=1"));
  EXPECT_THAT(requests[3].url, HasSubstr("/v1/banks?page=1"));
  EXPECT_EQ(requests[4].method, "POST");
  EXPECT_THAT(requests[4].body, HasSubstr(R"("destination_bank_id":"bank-santander")"));
  EXPECT_THAT(requests[4].body, HasSubstr(R"("source_bank_id":"bank-finco")"));
  const net::http::HttpRequest& money_out = requests[5];
  EXPECT_EQ(money_out.url, "https://monato.test/v1/transactions/money_out");
  EXPECT_EQ(money_out.body,
            R"({"client_id":"c1","source_instrument_id":"src-instr",)"
            R"("destination_instrument_id":"dst-instr","transaction_request":)"
            R"({"external_reference":"123456","description":"Test payment","amount":"500.00",)"
            R"("currency":"MXN"}})");
  EXPECT_EQ(Header(money_out, "Authorization"), absl::StrCat("Bearer ", Token("t1")));
  EXPECT_EQ(Header(money_out, "x-api-key"), "key");
  EXPECT_EQ(Header(money_out, "Idempotency-Key"),
            *provider_.ProviderIdempotencyKey("billing", "order-42"));
  EXPECT_TRUE(money_out.safe_to_retry);
}

TEST_F(MonatoProviderTest, IdempotencyKeysAreDeterministicUuidV5PerCaller) {
  auto key = provider_.ProviderIdempotencyKey("billing", "order-42");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->size(), 36u);
  EXPECT_EQ((*key)[14], '5');  // version 5
  MonatoProvider restarted(&http_, Options());
  EXPECT_EQ(*restarted.ProviderIdempotencyKey("billing", "order-42"), *key);
  EXPECT_NE(*provider_.ProviderIdempotencyKey("payroll", "order-42"), *key);
  EXPECT_NE(*provider_.ProviderIdempotencyKey("billing", "order-43"), *key);
}

TEST_F(MonatoProviderTest, SecondPayoutToTheSameClabeReusesEverything) {
  ScriptLookups();
  http_.AddResponse(201, kMoneyOutReply);
  http_.AddResponse(201, kMoneyOutReply);
  ASSERT_TRUE(Create(Order()).ok());
  PayoutOrder second = Order();
  second.request.set_idempotency_key("order-43");
  auto second_payout = Create(second);
  ASSERT_TRUE(second_payout.ok()) << second_payout.status();
  EXPECT_EQ(http_.request_count(), 7);  // only one more request: the money_out
  EXPECT_EQ(provider_.directory().instruments_registered(), 1);
  EXPECT_EQ(provider_.session().tokens().fetches(), 1);
}

TEST_F(MonatoProviderTest, A401RefreshesTheTokenOnceAndRetries) {
  ScriptLookups();
  http_.AddResponse(401, R"({"code":16,"message":"token expired"})");
  http_.AddResponse(201, absl::StrCat(R"({"token":")", Token("t2"), R"("})"));
  http_.AddResponse(201, kMoneyOutReply);
  auto payout = Create(Order());
  ASSERT_TRUE(payout.ok()) << payout.status();
  const auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 8u);
  EXPECT_EQ(Header(requests[7], "Authorization"), absl::StrCat("Bearer ", Token("t2")));
  EXPECT_EQ(Header(requests[7], "Idempotency-Key"), Header(requests[5], "Idempotency-Key"));
  EXPECT_EQ(requests[7].body, requests[5].body);
}

TEST_F(MonatoProviderTest, ALostReplyIsAnUnknownOutcomeNotAFailure) {
  ScriptLookups();
  http_.AddError(net::http::MarkRequestSent(absl::DeadlineExceededError("deadline passed")));
  auto payout = Create(Order());
  ASSERT_TRUE(payout.ok()) << payout.status();
  EXPECT_EQ(payout->status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_THAT(payout->id(), HasSubstr("monato.payout.key-"));
  EXPECT_EQ(payout->amount().amount_minor(), 50000);
}

TEST_F(MonatoProviderTest, OddRepliesToMoneyOutAreUnknownToo) {
  for (const auto& [status, body] : std::vector<std::pair<int, std::string>>{
           {502, "<html>Bad Gateway</html>"},
           {500, R"({"message":"boom"})"},
           {201, R"({"id":"tx-1","transactionStatus":"INITIALIZED","amount":"5)"},
           {200, R"({"id":"tx-1","transactionStatus":"INITIALIZED","amount":500.0})"}}) {
    net::http::FakeHttpClient http;
    MonatoProvider provider(&http, Options());
    http.AddResponse(201, absl::StrCat(R"({"token":")", Token("t1"), R"("})"));
    http.AddResponse(200, kAccountList);
    http.AddResponse(200, kNoInstruments);
    http.AddResponse(200, kBanks);
    http.AddResponse(201, kInstrument);
    http.AddResponse(status, body);
    absl::StatusOr<payments::v1::Payout> payout;
    provider.CreatePayout(Order(), CallContext{}, [&](auto p) { payout = std::move(p); });
    ASSERT_TRUE(payout.ok()) << status << " " << payout.status();
    EXPECT_EQ(payout->status(), payments::v1::PAYOUT_STATUS_UNKNOWN) << status << " " << body;
  }
}

// A lookup before the money_out (token, account, instruments, banks, instrument
// registration) moves no money, so its failure must not carry the "may have been sent" mark
// that would keep the caller's key as a permanent answer.
TEST_F(MonatoProviderTest, LookupFailuresBeforeTheMoneyOutAreNotMarkedSent) {
  const std::vector<std::pair<int, std::string>> lookups = {
      {201, absl::StrCat(R"({"token":")", Token("t1"), R"("})")},
      {200, kAccountList},
      {200, kNoInstruments},
      {200, kBanks},
      {201, kInstrument}};
  for (size_t failing = 0; failing < lookups.size(); ++failing) {
    net::http::FakeHttpClient http;
    MonatoProvider provider(&http, Options());
    for (size_t i = 0; i < failing; ++i) http.AddResponse(lookups[i].first, lookups[i].second);
    http.AddError(net::http::MarkRequestSent(absl::DeadlineExceededError("reply lost")));
    absl::StatusOr<payments::v1::Payout> payout;
    provider.CreatePayout(Order(), CallContext{}, [&](auto p) { payout = std::move(p); });
    ASSERT_FALSE(payout.ok()) << "lookup " << failing;
    EXPECT_FALSE(net::http::RequestMayHaveBeenSent(payout.status()))
        << "lookup " << failing << ": " << payout.status();
    for (const auto& request : http.requests()) {
      EXPECT_THAT(request.url, testing::Not(HasSubstr("money_out"))) << "lookup " << failing;
    }
  }
}

TEST_F(MonatoProviderTest, DefiniteRejectionsAreErrors) {
  ScriptLookups();
  http_.AddResponse(409, R"({"code":10,"message":"operation_in_progress"})");
  EXPECT_EQ(Create(Order()).status().code(), absl::StatusCode::kAborted);
  http_.AddResponse(400, R"({"code":3,"message":"Transaction currency unsupported.",
    "details":[{"reason":"DATA_ERROR"}]})");
  EXPECT_EQ(Create(Order()).status().code(), absl::StatusCode::kInvalidArgument);
  http_.AddResponse(422, R"({"message":"FAILED_PRECONDITION: insufficient funds"})");
  EXPECT_EQ(Create(Order()).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(MonatoProviderTest, UnknownSourceAccountNamesTheField) {
  http_.AddResponse(201, absl::StrCat(R"({"token":")", Token("t1"), R"("})"));
  // The whole documented list was read and holds no 0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61: the
  // caller's account is wrong.
  http_.AddResponse(
      200,
      R"({"currentPage":1,"perPage":100,"totalItem":1,"data":[{"id":"1b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b62","bankId":"b",)"
      R"("instrumentId":"i2"}]})");
  auto payout = Create(Order());
  ASSERT_EQ(gateway::FieldViolationsOf(payout.status()).size(), 1u) << payout.status();
  EXPECT_EQ(gateway::FieldViolationsOf(payout.status())[0].field(), "source_account_id");
}

TEST_F(MonatoProviderTest, RefundsMustBeForTheFullAmount) {
  http_.AddResponse(201, absl::StrCat(R"({"token":")", Token("t1"), R"("})"));
  http_.AddResponse(
      200,
      R"({"id":"5a2f9c1e-7b3d-4e8a-b6c0-1d2e3f4a5b6c","transactionStatus":"LIQUIDATED","amount":"5.00"})");
  RefundOrder order;
  order.request.set_transaction_id("monato.txn.5a2f9c1e-7b3d-4e8a-b6c0-1d2e3f4a5b6c");
  order.request.mutable_amount()->set_amount_minor(499);
  order.request.mutable_amount()->set_currency("MXN");
  order.request.set_description("Invalid Amount");
  order.transaction_native_id = "5a2f9c1e-7b3d-4e8a-b6c0-1d2e3f4a5b6c";
  absl::StatusOr<payments::v1::Refund> refund;
  provider_.RefundTransaction(order, CallContext{}, [&](auto r) { refund = std::move(r); });
  ASSERT_EQ(gateway::FieldViolationsOf(refund.status()).size(), 1u) << refund.status();
  EXPECT_EQ(gateway::FieldViolationsOf(refund.status())[0].field(), "amount.amount_minor");
  EXPECT_EQ(http_.request_count(), 2);  // nothing was posted

  http_.AddResponse(
      200,
      R"({"id":"5a2f9c1e-7b3d-4e8a-b6c0-1d2e3f4a5b6c","transactionStatus":"LIQUIDATED","amount":"5.00"})");
  http_.AddResponse(201, R"({"id":"out-9","transactionStatus":"INITIALIZED","amount":"5.00",
    "trackingId":"20251121FINCHREFUND0001"})");
  order.request.mutable_amount()->set_amount_minor(500);
  provider_.RefundTransaction(order, CallContext{}, [&](auto r) { refund = std::move(r); });
  ASSERT_TRUE(refund.ok()) << refund.status();
  EXPECT_EQ(refund->id(), "monato.refund.out-9");
  EXPECT_EQ(refund->status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(http_.requests().back().body, R"({"amount":"5.00","description":"Invalid Amount"})");
}

// A refund moves money. A 5xx, a lost reply or an unreadable 2xx may come after
// Monato refunded, so the outcome is UNKNOWN (the key stays claimed), never an error that
// gives the key back for a second refund.
TEST_F(MonatoProviderTest, RefundsAnswered5xxLostOrUnreadableAreUnknown) {
  http_.AddResponse(201, absl::StrCat(R"({"token":")", Token("t1"), R"("})"));
  std::vector<absl::StatusOr<net::http::HttpResponse>> replies;
  for (const auto& [status, body] : std::vector<std::pair<int, std::string>>{
           {500, R"({"message":"boom"})"},
           {502, "<html>Bad Gateway</html>"},
           {503, ""},
           {201, R"({"id":"out-9","transactionStatus":"INITIALIZED","amount":"5.)"}}) {
    http_.AddResponse(
        200,
        R"({"id":"5c8d4b63-6e2f-4a7b-8d3c-9f2e1a5b8c71","transactionStatus":"LIQUIDATED","amount":"5.00"})");
    http_.AddResponse(status, body);
    auto refund = Refund("5c8d4b63-6e2f-4a7b-8d3c-9f2e1a5b8c71", 500);
    ASSERT_TRUE(refund.ok()) << status << " " << refund.status();
    EXPECT_EQ(refund->status(), payments::v1::PAYOUT_STATUS_UNKNOWN) << status << " " << body;
    EXPECT_EQ(refund->transaction_id(), "monato.txn.5c8d4b63-6e2f-4a7b-8d3c-9f2e1a5b8c71");
    EXPECT_EQ(refund->amount().amount_minor(), 500);
  }
  http_.AddResponse(
      200,
      R"({"id":"5c8d4b63-6e2f-4a7b-8d3c-9f2e1a5b8c71","transactionStatus":"LIQUIDATED","amount":"5.00"})");
  http_.AddError(net::http::MarkRequestSent(absl::DeadlineExceededError("reply lost")));
  auto lost = Refund("5c8d4b63-6e2f-4a7b-8d3c-9f2e1a5b8c71", 500);
  ASSERT_TRUE(lost.ok()) << lost.status();
  EXPECT_EQ(lost->status(), payments::v1::PAYOUT_STATUS_UNKNOWN);

  // A definite refusal stays an error.
  http_.AddResponse(
      200,
      R"({"id":"5c8d4b63-6e2f-4a7b-8d3c-9f2e1a5b8c71","transactionStatus":"LIQUIDATED","amount":"5.00"})");
  http_.AddResponse(400, R"({"code":3,"message":"Refund amount must match","details":[]})");
  EXPECT_EQ(Refund("5c8d4b63-6e2f-4a7b-8d3c-9f2e1a5b8c71", 500).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// The read of the original before a refund moves nothing: its failure is not marked as sent
// (that would keep the caller's key as a permanent answer) and nothing is posted.
TEST_F(MonatoProviderTest, ARefundsCheckThatFailsIsNotMarkedSent) {
  http_.AddResponse(201, absl::StrCat(R"({"token":")", Token("t1"), R"("})"));
  http_.AddError(net::http::MarkRequestSent(absl::DeadlineExceededError("reply lost")));
  auto refund = Refund("5c8d4b63-6e2f-4a7b-8d3c-9f2e1a5b8c71", 500);
  ASSERT_FALSE(refund.ok());
  EXPECT_FALSE(net::http::RequestMayHaveBeenSent(refund.status())) << refund.status();
  EXPECT_THAT(http_.requests().back().url, testing::Not(HasSubstr("/refund")));
  EXPECT_EQ(http_.request_count(), 2);
}

// What Monato's replies mean for the shared rules: a refund of a transaction Monato answers 404
// for is the caller's transaction_id (not UNKNOWN: nothing was refunded), and the id of an
// UNKNOWN payout is never sent to Monato.
TEST_F(MonatoProviderTest, ARefundOfAnUnknownTransactionAndAnUnknownPayoutsIdAreTheCallers) {
  http_.AddResponse(201, absl::StrCat(R"({"token":")", Token("t1"), R"("})"));
  http_.AddResponse(
      200,
      R"({"id":"5c8d4b63-6e2f-4a7b-8d3c-9f2e1a5b8c71","transactionStatus":"LIQUIDATED","amount":"5.00"})");
  http_.AddResponse(404, R"({"message":"transaction not found"})");
  auto refund = Refund("5c8d4b63-6e2f-4a7b-8d3c-9f2e1a5b8c71", 500);
  ASSERT_EQ(gateway::FieldViolationsOf(refund.status()).size(), 1u) << refund.status();
  EXPECT_EQ(gateway::FieldViolationsOf(refund.status())[0].field(), "transaction_id");
  EXPECT_EQ(gateway::FieldViolationsOf(refund.status())[0].description(),
            "is not a Monato transaction");

  const int sent = http_.request_count();
  absl::StatusOr<payments::v1::Payout> read = absl::UnknownError("not called");
  provider_.GetPayout("key-6f1c2d3e", CallContext{}, [&](auto p) { read = std::move(p); });
  EXPECT_EQ(read.status().code(), absl::StatusCode::kFailedPrecondition) << read.status();
  EXPECT_EQ(http_.request_count(), sent);
}

}  // namespace
}  // namespace providers::monato
