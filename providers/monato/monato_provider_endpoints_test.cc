// The Monato adapter on endpoints Monato's official docs do not show (docs/providers/monato.md):
// the money path reads only the documented account list; single-object reads are an
// optimisation that falls back when the endpoint itself is missing, and errors say so.
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "net/http/http_types.h"
#include "providers/monato/monato_provider.h"
#include "providers/monato/testing/provider_test_support.h"
#include "vocabulary/error_details.h"

namespace providers::monato {
namespace {

using provider_testing::kAccountList;
using provider_testing::kBanks;
using provider_testing::kInstrument;
using provider_testing::kMoneyOutReply;
using provider_testing::kNoInstruments;
using provider_testing::MonatoProviderTest;
using provider_testing::Order;
using provider_testing::Token;
using testing::HasSubstr;
using testing::Not;

constexpr char kMissingRoute[] = R"({"code":"ROUTE_NOT_FOUND","message":"No such endpoint."})";
constexpr char kOriginal[] =
    R"({"id":"5c8d4b63-6e2f-4a7b-8d3c-9f2e1a5b8c71","transactionStatus":"LIQUIDATED","amount":"5.00"})";
constexpr char kRefundReply[] =
    R"({"id":"out-9","transactionStatus":"INITIALIZED","amount":"5.00"})";

class MonatoEndpointsTest : public MonatoProviderTest {
 protected:
  void ScriptToken() {
    http_.AddResponse(201, absl::StrCat(R"({"token":")", Token("t1"), R"("})"));
  }
  absl::StatusOr<payments::v1::Account> GetAccount(const std::string& native_id) {
    absl::StatusOr<payments::v1::Account> result = absl::UnknownError("no answer");
    provider_.GetAccount(native_id, CallContext{}, [&](auto a) { result = std::move(a); });
    return result;
  }
  absl::StatusOr<payments::v1::Payout> GetPayout(const std::string& native_id) {
    absl::StatusOr<payments::v1::Payout> result = absl::UnknownError("no answer");
    provider_.GetPayout(native_id, CallContext{}, [&](auto p) { result = std::move(p); });
    return result;
  }
};

TEST_F(MonatoEndpointsTest, TheSourceAccountIsFoundOnAnyPageOfTheDocumentedList) {
  ScriptToken();
  http_.AddResponse(
      200,
      R"({"currentPage":1,"perPage":1,"totalItem":2,"data":[{"id":"3b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b60",)"
      R"("bankId":"b0","instrumentId":"i0"}]})");
  http_.AddResponse(200, absl::StrCat(R"({"currentPage":2,"perPage":1,"totalItem":2,"data":[)",
                                      provider_testing::kAccount, "]}"));
  http_.AddResponse(200, kNoInstruments);
  http_.AddResponse(200, kBanks);
  http_.AddResponse(201, kInstrument);
  http_.AddResponse(201, kMoneyOutReply);
  auto payout = Create(Order());
  ASSERT_TRUE(payout.ok()) << payout.status();
  const auto requests = http_.requests();
  EXPECT_THAT(requests[1].url, HasSubstr("/v1/clients/c1/accounts?page=1"));
  EXPECT_THAT(requests[2].url, HasSubstr("/v1/clients/c1/accounts?page=2"));
  EXPECT_THAT(requests.back().body, HasSubstr(R"("source_instrument_id":"src-instr")"));
  for (const auto& request : requests) EXPECT_THAT(request.url, Not(HasSubstr("/accounts/")));
}

TEST_F(MonatoEndpointsTest, AMissingAccountListIsNamedNotBlamedOnTheCaller) {
  ScriptToken();
  http_.AddResponse(405, kMissingRoute);
  auto payout = Create(Order());
  ASSERT_FALSE(payout.ok());
  EXPECT_TRUE(gateway::FieldViolationsOf(payout.status()).empty()) << payout.status();
  EXPECT_THAT(payout.status().message(), HasSubstr("GET /v1/clients/{clientId}/accounts"));
  EXPECT_THAT(payout.status().message(), Not(HasSubstr("is not a Monato account")));
  EXPECT_FALSE(net::http::RequestMayHaveBeenSent(payout.status()));
}

TEST_F(MonatoEndpointsTest, GetAccountFallsBackToTheListWhenTheSingleReadIsMissing) {
  ScriptToken();
  http_.AddResponse(405, kMissingRoute);
  http_.AddResponse(200, kAccountList);
  auto account = GetAccount("0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61");
  ASSERT_TRUE(account.ok()) << account.status();
  EXPECT_EQ(account->id(), "monato.acct.0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61");
  EXPECT_THAT(http_.requests().back().url, HasSubstr("/v1/clients/c1/accounts?page=1"));

  http_.AddResponse(404, kMissingRoute);  // a route 404 and an account 404 look alike
  http_.AddResponse(200, kAccountList);
  EXPECT_EQ(GetAccount("4b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b69").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(MonatoEndpointsTest, GetPayoutSaysWhenTheTransactionReadIsMissing) {
  ScriptToken();
  http_.AddResponse(405, kMissingRoute);
  auto missing = GetPayout("6d9e5c74-7f3a-4b8c-9e4d-0a3f2b6c9d82");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(),
              HasSubstr("GET /v1/clients/{clientId}/transactions/{transactionId}"));
  http_.AddResponse(404, kMissingRoute);
  auto unknown = GetPayout("6d9e5c74-7f3a-4b8c-9e4d-0a3f2b6c9d82");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(unknown.status().message(), HasSubstr("third-party"));
}

TEST_F(MonatoEndpointsTest, ARefundFallsBackToMonatosOwnCheckWhenTheTransactionReadIsMissing) {
  ScriptToken();
  http_.AddResponse(405, kMissingRoute);
  http_.AddResponse(201, kRefundReply);
  auto refund = Refund("5c8d4b63-6e2f-4a7b-8d3c-9f2e1a5b8c71", 500);
  ASSERT_TRUE(refund.ok()) << refund.status();
  EXPECT_EQ(refund->id(), "monato.refund.out-9");
  EXPECT_THAT(http_.requests().back().url,
              HasSubstr("/transactions/5c8d4b63-6e2f-4a7b-8d3c-9f2e1a5b8c71/refund"));

  // A 404 may be either; the refund itself then says whether the transaction exists.
  http_.AddResponse(404, kMissingRoute);
  http_.AddResponse(404, R"({"code":5,"message":"transaction not found"})");
  auto unknown = Refund("7e0f6d85-8a4b-4c9d-8f5e-1b4a3c7d0e93", 500);
  ASSERT_EQ(gateway::FieldViolationsOf(unknown.status()).size(), 1u) << unknown.status();
  EXPECT_EQ(gateway::FieldViolationsOf(unknown.status())[0].field(), "transaction_id");

  http_.AddResponse(200, kOriginal);  // when the read works, the full-amount check stays ours
  auto partial = Refund("5c8d4b63-6e2f-4a7b-8d3c-9f2e1a5b8c71", 499);
  ASSERT_EQ(gateway::FieldViolationsOf(partial.status()).size(), 1u) << partial.status();
  EXPECT_EQ(gateway::FieldViolationsOf(partial.status())[0].field(), "amount.amount_minor");
}

// Monato documents no transaction listing (docs/providers/monato.md): a payout without its id
// cannot be searched for, and nothing is sent trying.
TEST_F(MonatoEndpointsTest, FindingAPayoutByReferenceIsUnimplementedAndSendsNothing) {
  absl::StatusOr<payments::v1::Payout> result = absl::UnknownError("no answer");
  provider_.FindPayoutByReference(Order(), absl::Now() - absl::Hours(13), CallContext{},
                                  [&](auto p) { result = std::move(p); });
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnimplemented) << result.status();
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("documents no transaction"));
  EXPECT_EQ(http_.request_count(), 0);
  EXPECT_EQ(provider_.capabilities().idempotency_key_lifetime, absl::Hours(24));
}

// Nor any listing for reconciliation: UNIMPLEMENTED, naming the research, and nothing is sent
// (the core then reads each payout by its id; orphans cannot be detected at Monato).
TEST_F(MonatoEndpointsTest, ListingSentPayoutsIsUnimplementedCitingTheResearch) {
  absl::StatusOr<payments::v1::ListPayoutsResponse> result = absl::UnknownError("no answer");
  provider_.ListSentPayouts(TimeWindow{absl::Now() - absl::Hours(24), absl::Now()},
                            PageQuery{300, ""}, CallContext{},
                            [&](auto listed) { result = std::move(listed); });
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnimplemented) << result.status();
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("docs/providers/monato.md"));
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("orphans cannot be detected"));
  EXPECT_EQ(http_.request_count(), 0);
}

}  // namespace
}  // namespace providers::monato
