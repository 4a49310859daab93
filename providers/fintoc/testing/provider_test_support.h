// Test-only support for the Fintoc provider tests: a scripted transfer, the JWS vector order,
// options pointing at a fake origin, a client that retries every request once, and a fixture.
#ifndef PROVIDERS_FINTOC_TESTING_PROVIDER_TEST_SUPPORT_H_
#define PROVIDERS_FINTOC_TESTING_PROVIDER_TEST_SUPPORT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "net/http/testing/fake_http_client.h"
#include "providers/fintoc/fintoc_provider.h"
#include "vocabulary/idempotency_keys.h"

namespace providers::fintoc::provider_testing {

inline constexpr char kSecretKey[] = "sk_test_9c8d8CeyBTx1VcJzuDgpm4H";
inline constexpr char kBaseUrl[] = "https://fintoc.test";
inline constexpr char kNamespace[] = "17bf388b-208e-4a98-90d8-3a7743052a26";

inline constexpr char kCreatedTransfer[] =
    R"({"object":"transfer","id":"tr_329NGN1M4If6VvcMRALv4gjAQJx","amount":59013,)"
    R"("currency":"MXN","direction":"outbound","status":"pending",)"
    R"("transaction_date":"2025-09-02T15:58:51Z","comment":"Pago de credito 10451",)"
    R"("reference_id":"150195","tracking_key":"202509029073500000000000000006","mode":"test",)"
    R"("counterparty":{"account_number":"014180655091438298","account_type":"clabe",)"
    R"("institution":{"id":"40014","name":"SANTANDER","country":"mx"}},)"
    R"("account_number":{"id":"acno_1","account_id":"acc_M8sKf230BgHjD4"},)"
    R"("metadata":{},"return_reason":null})";

inline constexpr char kInboundTransfer[] =
    R"({"object":"transfer","id":"tr_in","amount":50000,"currency":"MXN","direction":"inbound",)"
    R"("status":"succeeded","mode":"test"})";

// The value of a header (any case), "" when absent; and how many times it appears.
std::string Header(const net::http::HttpRequest& request, absl::string_view name);
int HeaderCount(const net::http::HttpRequest& request, absl::string_view name);
// The nonce in a Fintoc-JWS-Signature value.
std::string NonceOf(const std::string& signature);
// The JWS vector's test-only private key, written to a file under the test's temporary folder.
std::string VectorKeyFile();
// Test mode at kBaseUrl with kSecretKey, the vector key and a pinned Fintoc-Version.
FintocOptions Options();
// The JWS vector's transfer, as the gateway hands it over after validation.
PayoutOrder Order();

class RetryingHttpClient : public net::http::HttpClient {
 public:
  void Send(net::http::HttpRequest request, net::http::ResponseCallback done) override {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (absl::Status prepared = request.prepare_attempt(request); !prepared.ok()) {
        return done(prepared);
      }
      absl::MutexLock lock(&mu_);
      attempts_.push_back(request);
    }
    net::http::HttpResponse response;
    response.status = status_;
    response.body = body_;
    response.attempts = 2;
    done(response);
  }
  void SetReply(int status, std::string body) {
    status_ = status;
    body_ = std::move(body);
  }
  net::http::HttpClientStats stats() const override { return {}; }
  std::vector<net::http::HttpRequest> attempts() const {
    absl::MutexLock lock(&mu_);
    return attempts_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<net::http::HttpRequest> attempts_ ABSL_GUARDED_BY(mu_);
  int status_ = 201;
  std::string body_ = kCreatedTransfer;
};

class FintocProviderTest : public ::testing::Test {
 protected:
  FintocProviderTest() {
    auto provider = FintocProvider::Create(&http_, Options());
    EXPECT_TRUE(provider.ok()) << provider.status();
    provider_ = *std::move(provider);
  }
  static CallContext Context() {
    CallContext context;
    context.caller = "billing";
    return context;
  }
  template <typename T, typename Call>
  static absl::StatusOr<T> Run(Call call) {
    absl::StatusOr<T> result = absl::UnknownError("no answer");
    call([&result](absl::StatusOr<T> answer) { result = std::move(answer); });
    return result;
  }
  absl::StatusOr<payments::v1::Payout> Create(const PayoutOrder& order) {
    return Run<payments::v1::Payout>(
        [&](auto done) { provider_->CreatePayout(order, Context(), std::move(done)); });
  }
  absl::StatusOr<payments::v1::ListPayoutsResponse> List(
      const std::string& token, payments::v1::ListPayoutsRequest filter = {}) {
    return Run<payments::v1::ListPayoutsResponse>([&](auto done) {
      provider_->ListPayouts(filter, PageQuery{2, token}, Context(), std::move(done));
    });
  }
  absl::StatusOr<payments::v1::Refund> Refund(int64_t amount_minor) {
    RefundOrder order;
    order.request.set_idempotency_key("return-7");
    order.request.set_transaction_id("fintoc.txn.tr_in");
    order.request.mutable_amount()->set_amount_minor(amount_minor);
    order.request.mutable_amount()->set_currency("MXN");
    order.request.set_description("No reconocido");
    order.transaction_native_id = "tr_in";
    return Run<payments::v1::Refund>(
        [&](auto done) { provider_->RefundTransaction(order, Context(), std::move(done)); });
  }
  std::string ExpectedKey(const std::string& operation, const std::string& caller_key) {
    return *UuidV5(kNamespace, ProviderKeyName("billing", operation, caller_key));
  }

  net::http::FakeHttpClient http_;
  std::unique_ptr<FintocProvider> provider_;
};

}  // namespace providers::fintoc::provider_testing

#endif  // PROVIDERS_FINTOC_TESTING_PROVIDER_TEST_SUPPORT_H_
