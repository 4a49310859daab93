// The Monato adapter against scripted replies: the exact requests of a payout, deterministic
// idempotency keys, 401 recovery, and lost or odd replies as UNKNOWN outcomes.
#include "providers/monato/monato_provider.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gateway/domain/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "providers/common/base64url.h"
#include "providers/common/json_fields.h"
#include "providers/http/testing/fake_http_client.h"

namespace providers::monato {
namespace {

using testing::HasSubstr;

std::string Token(const std::string& tag) {
  return absl::StrCat(Base64UrlEncode(R"({"alg":"HS256"})"), ".",
                      Base64UrlEncode(R"({"client_id":"c1","exp":4102444800})"), ".", tag);
}

std::string Header(const http::HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

constexpr char kAccount[] =
    R"({"id":"0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61","bankId":"bank-finco","instrumentId":"src-instr","ownerId":"o1",)"
    R"("clientBankAdapterId":"cba","availableBalance":"10000000.00","accountStatus":"ACTIVE"})";
constexpr char kNoInstruments[] = R"({"data":[],"currentPage":1,"perPage":100,"totalItems":0})";
constexpr char kBanks[] =
    R"({"total_banks":2,"page":1,"page_size":400,"banks":[{"id":"bank-bbva","code":"40012",)"
    R"("name":"BBVA MEXICO"},{"id":"bank-santander","code":"40014","name":"SANTANDER"}]})";
constexpr char kInstrument[] =
    R"({"id":"dst-instr","instrumentDetail":{"clabeNumber":"014180655091438298",)"
    R"("holderName":"Jon Snow"}})";
constexpr char kMoneyOutReply[] =
    R"({"id":"tx-1","externalReference":"123456","trackingId":"20251121FINCHABCDEFGHIJ",)"
    R"("description":"Test payment","amount":"500.00","currency":"MXN",)"
    R"("transactionStatus":"INITIALIZED","audit":{"createdAt":"2025-11-21 10:00:00.000000-06:00"}})";

PayoutOrder Order() {
  PayoutOrder order;
  auto& request = order.request;
  request.set_idempotency_key("order-42");
  request.set_source_account_id("monato.acct.0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61");
  request.mutable_amount()->set_amount_minor(50000);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe("014180655091438298");
  request.mutable_counterparty()->set_institution_code("40014");
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.mutable_counterparty()->set_rfc("ND");
  request.set_description("Test payment");
  request.set_numeric_reference(123456);
  order.source_account_native_id = "0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61";
  return order;
}

class MonatoProviderTest : public testing::Test {
 protected:
  MonatoProviderTest() : provider_(&http_, Options()) {}
  static MonatoOptions Options() {
    MonatoOptions options;
    options.base_url = "https://monato.test";
    options.client_id = "c1";
    options.api_key = "key";
    options.client_secret = "secret";
    return options;
  }
  absl::StatusOr<payments::v1::Payout> Create(const PayoutOrder& order) {
    absl::StatusOr<payments::v1::Payout> result = absl::UnknownError("no answer");
    CallContext context;
    context.caller = "billing";
    provider_.CreatePayout(order, context, [&](auto payout) { result = std::move(payout); });
    return result;
  }
  // Scripts everything a first payout needs before its money_out.
  void ScriptLookups() {
    http_.AddResponse(201, absl::StrCat(R"({"token":")", Token("t1"), R"("})"));
    http_.AddResponse(200, kAccount);
    http_.AddResponse(200, kNoInstruments);
    http_.AddResponse(200, kBanks);
    http_.AddResponse(201, kInstrument);
  }

  http::FakeHttpClient http_;
  MonatoProvider provider_;
};

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
  EXPECT_EQ(requests[1].url,
            "https://monato.test/v1/clients/c1/accounts/0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61");
  EXPECT_THAT(requests[2].url, HasSubstr("/v1/clients/c1/instruments?page=1"));
  EXPECT_THAT(requests[3].url, HasSubstr("/v1/banks?page=1"));
  EXPECT_EQ(requests[4].method, "POST");
  EXPECT_THAT(requests[4].body, HasSubstr(R"("destination_bank_id":"bank-santander")"));
  EXPECT_THAT(requests[4].body, HasSubstr(R"("source_bank_id":"bank-finco")"));
  const http::HttpRequest& money_out = requests[5];
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
  ASSERT_TRUE(Create(second).ok());
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
  http_.AddError(http::MarkRequestSent(absl::DeadlineExceededError("deadline passed")));
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
    http::FakeHttpClient http;
    MonatoProvider provider(&http, Options());
    http.AddResponse(201, absl::StrCat(R"({"token":")", Token("t1"), R"("})"));
    http.AddResponse(200, kAccount);
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
  http_.AddResponse(404, R"({"message":"account not found"})");
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

}  // namespace
}  // namespace providers::monato
