// Caller-supplied Monato ids that would reach a URL path are checked against Monato's id
// grammar (a UUID, docs/providers/ids.md) before anything is sent: a hostile id is the
// caller's INVALID_ARGUMENT naming the field, and Monato never sees a request.
#include <functional>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "net/http/testing/fake_http_client.h"
#include "providers/common/hostile_ids.h"
#include "providers/monato/monato_provider.h"
#include "providers/monato/testing/provider_test_support.h"
#include "vocabulary/error_details.h"

namespace providers::monato {
namespace {

constexpr char kValid[] = "16811ee8-3f1a-4c1e-9d2b-0a1b2c3d4e5f";

using provider_testing::Options;

// Calls one provider method with `id` where a caller's id goes, and returns its answer.
using Call = std::function<absl::Status(MonatoProvider&, const std::string& id)>;

template <typename T>
absl::Status Answer(std::function<void(Callback<T>)> start) {
  absl::Status status = absl::UnknownError("no answer");
  start([&](absl::StatusOr<T> result) { status = result.status(); });
  return status;
}

struct Case {
  const char* field;
  Call call;
};

std::vector<Case> Cases() {
  return {
      {"payout_id",
       [](MonatoProvider& p, const std::string& id) {
         return Answer<payments::v1::Payout>(
             [&](auto done) { p.GetPayout(id, CallContext{}, std::move(done)); });
       }},
      {"account_id",
       [](MonatoProvider& p, const std::string& id) {
         return Answer<payments::v1::Account>(
             [&](auto done) { p.GetAccount(id, CallContext{}, std::move(done)); });
       }},
      {"transaction_id",
       [](MonatoProvider& p, const std::string& id) {
         RefundOrder order;
         order.request.set_transaction_id(absl::StrCat("monato.txn.", id));
         order.request.mutable_amount()->set_amount_minor(500);
         order.request.mutable_amount()->set_currency("MXN");
         order.transaction_native_id = id;
         return Answer<payments::v1::Refund>(
             [&](auto done) { p.RefundTransaction(order, CallContext{}, std::move(done)); });
       }},
      {"parent_account_id",
       [](MonatoProvider& p, const std::string& id) {
         payments::v1::CreateAccountRequest request;
         return Answer<payments::v1::Account>(
             [&](auto done) { p.CreateAccount(request, id, CallContext{}, std::move(done)); });
       }},
      {"source_account_id",
       [](MonatoProvider& p, const std::string& id) {
         PayoutOrder order;
         order.request.set_idempotency_key("order-1");
         order.request.mutable_amount()->set_amount_minor(500);
         order.request.mutable_amount()->set_currency("MXN");
         order.request.mutable_counterparty()->set_clabe("014180655091438298");
         order.request.mutable_counterparty()->set_institution_code("40014");
         order.request.mutable_counterparty()->set_holder_name("Jon Snow");
         order.source_account_native_id = id;
         return Answer<payments::v1::Payout>(
             [&](auto done) { p.CreatePayout(order, CallContext{}, std::move(done)); });
       }},
  };
}

TEST(MonatoNativeIdsTest, HostileIdsAreRefusedBeforeAnyRequest) {
  for (const Case& c : Cases()) {
    for (const std::string& hostile : HostileIds(kValid)) {
      net::http::FakeHttpClient http;
      MonatoProvider provider(&http, Options());
      const absl::Status status = c.call(provider, hostile);
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument)
          << c.field << " <" << hostile << ">: " << status;
      const auto violations = gateway::FieldViolationsOf(status);
      ASSERT_EQ(violations.size(), 1u) << c.field << " <" << hostile << ">: " << status;
      EXPECT_EQ(violations[0].field(), c.field);
      EXPECT_EQ(http.request_count(), 0) << c.field << " <" << hostile << ">";
    }
  }
}

// The checks refuse only what is not a Monato id: a well-formed one goes out, into the path.
TEST(MonatoNativeIdsTest, AWellFormedIdIsSentInThePath) {
  net::http::FakeHttpClient http;
  MonatoProvider provider(&http, Options());
  http.AddResponse(
      201, absl::StrCat(R"({"token":")", absl::WebSafeBase64Escape(R"({"alg":"HS256"})"), ".",
                        absl::WebSafeBase64Escape(R"({"client_id":"c1","exp":4102444800})"),
                        R"(.sig"})"));
  http.AddResponse(200, R"({"id":"16811ee8-3f1a-4c1e-9d2b-0a1b2c3d4e5f",)"
                        R"("transactionStatus":"LIQUIDATED","amount":"5.00"})");
  Cases()[0].call(provider, kValid);  // GetPayout: token, then the read
  ASSERT_EQ(http.request_count(), 2);
  EXPECT_EQ(http.requests()[1].url,
            absl::StrCat("https://monato.test/v1/clients/c1/transactions/", kValid));
}

}  // namespace
}  // namespace providers::monato
