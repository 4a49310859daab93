// Test-only support for the Monato provider tests: a scripted token, account list, bank
// catalogue, instrument and money_out reply, the order they pay, and the provider fixture.
#ifndef PROVIDERS_MONATO_TESTING_PROVIDER_TEST_SUPPORT_H_
#define PROVIDERS_MONATO_TESTING_PROVIDER_TEST_SUPPORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "providers/common/base64url.h"
#include "net/http/testing/fake_http_client.h"
#include "providers/monato/monato_provider.h"

namespace providers::monato::provider_testing {

inline std::string Token(const std::string& tag) {
  return absl::StrCat(Base64UrlEncode(R"({"alg":"HS256"})"), ".",
                      Base64UrlEncode(R"({"client_id":"c1","exp":4102444800})"), ".", tag);
}

inline std::string Header(const net::http::HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

inline constexpr char kAccount[] =
    R"({"id":"0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61","bankId":"bank-finco","instrumentId":"src-instr","ownerId":"o1",)"
    R"("clientBankAdapterId":"cba","availableBalance":"10000000.00","accountStatus":"ACTIVE"})";
// The documented account list (GET /v1/clients/{clientId}/accounts) holding kAccount.
inline const std::string kAccountList =
    absl::StrCat(R"({"currentPage":1,"perPage":100,"totalItem":1,"data":[)", kAccount, "]}");
inline constexpr char kNoInstruments[] =
    R"({"data":[],"currentPage":1,"perPage":100,"totalItems":0})";
inline constexpr char kBanks[] =
    R"({"total_banks":2,"page":1,"page_size":400,"banks":[{"id":"bank-bbva","code":"40012",)"
    R"("name":"BBVA MEXICO"},{"id":"bank-santander","code":"40014","name":"SANTANDER"}]})";
inline constexpr char kInstrument[] =
    R"({"id":"dst-instr","instrumentDetail":{"clabeNumber":"014180655091438298",)"
    R"("holderName":"Jon Snow"}})";
inline constexpr char kMoneyOutReply[] =
    R"({"id":"tx-1","externalReference":"123456","trackingId":"20251121FINCHABCDEFGHIJ",)"
    R"("description":"Test payment","amount":"500.00","currency":"MXN",)"
    R"("transactionStatus":"INITIALIZED","audit":{"createdAt":"2025-11-21 10:00:00.000000-06:00"}})";

inline PayoutOrder Order() {
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

inline MonatoOptions Options() {
  MonatoOptions options;
  options.base_url = "https://monato.test";
  options.client_id = "c1";
  options.api_key = "key";
  options.client_secret = "secret";
  return options;
}

class MonatoProviderTest : public testing::Test {
 protected:
  MonatoProviderTest() : provider_(&http_, Options()) {}
  absl::StatusOr<payments::v1::Payout> Create(const PayoutOrder& order) {
    absl::StatusOr<payments::v1::Payout> result = absl::UnknownError("no answer");
    CallContext context;
    context.caller = "billing";
    provider_.CreatePayout(order, context, [&](auto payout) { result = std::move(payout); });
    return result;
  }
  absl::StatusOr<payments::v1::Refund> Refund(const std::string& native_id, int64_t minor) {
    RefundOrder order;
    order.request.set_idempotency_key("refund-1");
    order.request.set_transaction_id(absl::StrCat("monato.txn.", native_id));
    order.request.mutable_amount()->set_amount_minor(minor);
    order.request.mutable_amount()->set_currency("MXN");
    order.request.set_description("Invalid Amount");
    order.transaction_native_id = native_id;
    absl::StatusOr<payments::v1::Refund> result = absl::UnknownError("no answer");
    CallContext context;
    context.caller = "billing";
    provider_.RefundTransaction(order, context, [&](auto r) { result = std::move(r); });
    return result;
  }
  // Scripts everything a first payout needs before its money_out.
  void ScriptLookups() {
    http_.AddResponse(201, absl::StrCat(R"({"token":")", Token("t1"), R"("})"));
    http_.AddResponse(200, kAccountList);
    http_.AddResponse(200, kNoInstruments);
    http_.AddResponse(200, kBanks);
    http_.AddResponse(201, kInstrument);
  }

  net::http::FakeHttpClient http_;
  MonatoProvider provider_;
};

}  // namespace providers::monato::provider_testing

#endif  // PROVIDERS_MONATO_TESTING_PROVIDER_TEST_SUPPORT_H_
