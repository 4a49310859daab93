// The Fintoc adapter against scripted replies: the exact request of a transfer, deterministic
// idempotency keys with a fresh signature per attempt, lost or odd replies as UNKNOWN outcomes,
// definite refusals as errors, mode checks and Link paging that stays on Fintoc's origin.
#include "providers/fintoc/fintoc_provider.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gateway/domain/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "providers/common/idempotency_keys.h"
#include "providers/common/json_fields.h"
#include "providers/fintoc/fintoc_messages.h"
#include "providers/fintoc/testing/jws_test_util.h"
#include "providers/http/testing/fake_http_client.h"

namespace providers::fintoc {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSecretKey[] = "sk_test_9c8d8CeyBTx1VcJzuDgpm4H";
constexpr char kBaseUrl[] = "https://fintoc.test";
constexpr char kNamespace[] = "17bf388b-208e-4a98-90d8-3a7743052a26";

constexpr char kCreatedTransfer[] =
    R"({"object":"transfer","id":"tr_329NGN1M4If6VvcMRALv4gjAQJx","amount":59013,)"
    R"("currency":"MXN","direction":"outbound","status":"pending",)"
    R"("transaction_date":"2025-09-02T15:58:51Z","comment":"Pago de credito 10451",)"
    R"("reference_id":"150195","tracking_key":"202509029073500000000000000006","mode":"test",)"
    R"("counterparty":{"account_number":"014180655091438298","account_type":"clabe",)"
    R"("institution":{"id":"40014","name":"SANTANDER","country":"mx"}},)"
    R"("account_number":{"id":"acno_1","account_id":"acc_M8sKf230BgHjD4"},)"
    R"("metadata":{},"return_reason":null})";

constexpr char kInboundTransfer[] =
    R"({"object":"transfer","id":"tr_in","amount":50000,"currency":"MXN","direction":"inbound",)"
    R"("status":"succeeded","mode":"test"})";

std::string Header(const http::HttpRequest& request, absl::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

int HeaderCount(const http::HttpRequest& request, absl::string_view name) {
  int count = 0;
  for (const auto& header : request.headers) count += absl::EqualsIgnoreCase(header.first, name);
  return count;
}

std::string NonceOf(const std::string& signature) {
  auto header = jws_testing::ProtectedHeaderOf(signature);
  return header.ok() ? StringOr(*header, "nonce") : "";
}

std::string VectorKeyFile() {
  const std::string path = absl::StrCat(jws_testing::TestTempDir(), "/fintoc_provider_key.pem");
  jws_testing::ReplaceFile(path, jws_testing::kVectorPrivateKeyPem);
  return path;
}

FintocOptions Options() {
  FintocOptions options;
  options.base_url = kBaseUrl;
  options.secret_key = kSecretKey;
  options.mode = "test";
  options.jws_private_key_path = VectorKeyFile();
  options.api_version = "2023-11-15";
  return options;
}

// The §6.3 vector transfer, as the gateway hands it over after validation.
PayoutOrder Order() {
  PayoutOrder order;
  auto& request = order.request;
  request.set_idempotency_key("order-42");
  request.set_source_account_id("fintoc.acct.acc_M8sKf230BgHjD4");
  request.mutable_amount()->set_amount_minor(59013);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe("014180655091438298");
  request.mutable_counterparty()->set_institution_code("40014");
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.mutable_counterparty()->set_rfc("ND");
  request.set_description("Pago de credito 10451");
  request.set_numeric_reference(150195);
  order.source_account_native_id = "acc_M8sKf230BgHjD4";
  return order;
}

// An HttpClient whose every Send is a request the real client retried once: prepare_attempt
// runs twice on the same request, and both attempts are recorded as they would have gone out.
class RetryingHttpClient : public http::HttpClient {
 public:
  void Send(http::HttpRequest request, http::ResponseCallback done) override {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (absl::Status prepared = request.prepare_attempt(request); !prepared.ok()) {
        return done(prepared);
      }
      absl::MutexLock lock(&mu_);
      attempts_.push_back(request);
    }
    http::HttpResponse response;
    response.status = 201;
    response.body = kCreatedTransfer;
    done(response);
  }
  http::HttpClientStats stats() const override { return {}; }
  std::vector<http::HttpRequest> attempts() const {
    absl::MutexLock lock(&mu_);
    return attempts_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<http::HttpRequest> attempts_ ABSL_GUARDED_BY(mu_);
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

  http::FakeHttpClient http_;
  std::unique_ptr<FintocProvider> provider_;
};

TEST_F(FintocProviderTest, CapabilitiesAreMxnWithCards) {
  EXPECT_EQ(provider_->id(), payments::v1::PROVIDER_FINTOC);
  EXPECT_EQ(provider_->capabilities().currencies, std::vector<std::string>{"MXN"});
  EXPECT_EQ(provider_->capabilities().max_payout_minor, 99'999'999'999);
  EXPECT_TRUE(provider_->capabilities().debit_card_payouts);
}

TEST_F(FintocProviderTest, APayoutSendsExactlyThisRequest) {
  http_.AddResponse(201, kCreatedTransfer);
  auto payout = Create(Order());
  ASSERT_TRUE(payout.ok()) << payout.status();
  EXPECT_EQ(payout->id(), "fintoc.payout.tr_329NGN1M4If6VvcMRALv4gjAQJx");
  EXPECT_EQ(payout->status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(payout->tracking_key(), "202509029073500000000000000006");
  EXPECT_EQ(payout->amount().amount_minor(), 59013);
  EXPECT_EQ(payout->source_account_id(), "fintoc.acct.acc_M8sKf230BgHjD4");
  EXPECT_EQ(payout->idempotency_key(), "order-42");
  EXPECT_EQ(payout->counterparty().holder_name(), "Jon Snow");

  ASSERT_EQ(http_.request_count(), 1);
  const http::HttpRequest request = http_.requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "https://fintoc.test/v2/transfers");
  EXPECT_EQ(request.body, jws_testing::kVectorBody);        // the 180 bytes of §6.3
  EXPECT_EQ(Header(request, "Authorization"), kSecretKey);  // raw, no "Bearer"
  EXPECT_EQ(Header(request, "Idempotency-Key"), ExpectedKey("transfer", "order-42"));
  EXPECT_EQ(Header(request, "Fintoc-Version"), "2023-11-15");
  EXPECT_EQ(Header(request, "Content-Type"), "application/json");
  EXPECT_TRUE(request.safe_to_retry);
  ASSERT_EQ(HeaderCount(request, "Fintoc-JWS-Signature"), 1);
  EXPECT_TRUE(jws_testing::VerifyDetachedJws(jws_testing::kVectorPublicKeyPem,
                                             Header(request, "Fintoc-JWS-Signature"), request.body)
                  .ok());
}

TEST_F(FintocProviderTest, EveryAttemptIsSignedAfreshUnderTheSameIdempotencyKey) {
  RetryingHttpClient retrying;
  auto provider = FintocProvider::Create(&retrying, Options());
  ASSERT_TRUE(provider.ok()) << provider.status();
  absl::StatusOr<payments::v1::Payout> payout;
  (*provider)->CreatePayout(Order(), Context(), [&](auto p) { payout = std::move(p); });
  ASSERT_TRUE(payout.ok()) << payout.status();

  const auto attempts = retrying.attempts();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].body, attempts[1].body);
  EXPECT_EQ(Header(attempts[0], "Idempotency-Key"), ExpectedKey("transfer", "order-42"));
  EXPECT_EQ(Header(attempts[1], "Idempotency-Key"), Header(attempts[0], "Idempotency-Key"));
  ASSERT_EQ(HeaderCount(attempts[0], "Fintoc-JWS-Signature"), 1);
  ASSERT_EQ(HeaderCount(attempts[1], "Fintoc-JWS-Signature"), 1);  // the old one was dropped
  const std::string first = Header(attempts[0], "Fintoc-JWS-Signature");
  const std::string second = Header(attempts[1], "Fintoc-JWS-Signature");
  EXPECT_NE(first, second);
  EXPECT_NE(NonceOf(first), NonceOf(second));
  for (const std::string& signature : {first, second}) {
    EXPECT_TRUE(jws_testing::VerifyDetachedJws(jws_testing::kVectorPublicKeyPem, signature,
                                               attempts[0].body)
                    .ok());
  }
}

TEST_F(FintocProviderTest, ARepeatedPayoutCarriesTheSameKeyAndBodyButANewSignature) {
  http_.AddError(http::MarkRequestSent(absl::DeadlineExceededError("deadline passed")));
  http_.AddResponse(201, kCreatedTransfer);
  ASSERT_TRUE(Create(Order()).ok());
  ASSERT_TRUE(Create(Order()).ok());
  const auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, requests[1].body);
  EXPECT_EQ(Header(requests[0], "Idempotency-Key"), Header(requests[1], "Idempotency-Key"));
  EXPECT_NE(Header(requests[0], "Fintoc-JWS-Signature"),
            Header(requests[1], "Fintoc-JWS-Signature"));

  PayoutOrder other = Order();
  other.request.set_idempotency_key("order-43");
  http_.AddResponse(201, kCreatedTransfer);
  ASSERT_TRUE(Create(other).ok());
  EXPECT_NE(Header(http_.requests()[2], "Idempotency-Key"), Header(requests[0], "Idempotency-Key"));
  EXPECT_NE(*provider_->ProviderIdempotencyKey("transfer", "payroll", "order-42"),
            *provider_->ProviderIdempotencyKey("transfer", "billing", "order-42"));
}

TEST_F(FintocProviderTest, ALostReplyIsAnUnknownOutcomeNotAFailure) {
  http_.AddError(http::MarkRequestSent(absl::DeadlineExceededError("deadline passed")));
  auto payout = Create(Order());
  ASSERT_TRUE(payout.ok()) << payout.status();
  EXPECT_EQ(payout->status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_EQ(payout->id(), absl::StrCat("fintoc.payout.key-", ExpectedKey("transfer", "order-42")));
  EXPECT_EQ(payout->amount().amount_minor(), 59013);
  EXPECT_EQ(payout->idempotency_key(), "order-42");

  // A request that never left is a plain error: nothing happened.
  http_.AddError(absl::UnavailableError("connection refused"));
  EXPECT_EQ(Create(Order()).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(FintocProviderTest, ServerErrorsAndOddRepliesAreUnknownToo) {
  for (const auto& [status, body] : std::vector<std::pair<int, std::string>>{
           {500, R"({"error":{"type":"api_error","code":"internal_server_error"}})"},
           {502, "<html>Bad Gateway</html>"},
           {201, R"({"id":"tr_1","status":"pending","amount":5)"},
           {201, R"({"id":"tr_1","status":"pending","amount":59013.0})"},
           {302, ""}}) {
    http_.AddResponse(status, body);
    auto payout = Create(Order());
    ASSERT_TRUE(payout.ok()) << status << " " << payout.status();
    EXPECT_EQ(payout->status(), payments::v1::PAYOUT_STATUS_UNKNOWN) << status << " " << body;
  }
}

TEST_F(FintocProviderTest, DefiniteRefusalsAreErrors) {
  http_.AddResponse(409, R"({"error":{"type":"invalid_request_error",
    "code":"insufficient_balance","message":"Insufficient balance"}})");
  auto poor = Create(Order());
  EXPECT_EQ(poor.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(gateway::ReasonOf(poor.status()), "FINTOC_INSUFFICIENT_BALANCE");

  http_.AddResponse(400, R"({"error":{"type":"invalid_request_error",
    "code":"invalid_reference_id_size","param":"reference_id"}})");
  auto bad = Create(Order());
  ASSERT_EQ(gateway::FieldViolationsOf(bad.status()).size(), 1u) << bad.status();
  EXPECT_EQ(gateway::FieldViolationsOf(bad.status())[0].field(), "numeric_reference");

  http_.AddResponse(429, R"({"error":{"type":"api_error","code":"rate_limit_exceeded"}})");
  EXPECT_EQ(Create(Order()).status().code(), absl::StatusCode::kResourceExhausted);

  // The gateway's own signature refused: an outage of its access, cause kept.
  http_.AddResponse(401, R"({"error":{"type":"authentication_error",
    "code":"jws_nonce_already_used","message":"nonce used"}})");
  auto refused = Create(Order());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(gateway::ReasonOf(refused.status()), "FINTOC_JWS_NONCE_ALREADY_USED");
  EXPECT_THAT(std::string(refused.status().message()), Not(HasSubstr(kSecretKey)));

  http_.AddResponse(403, R"({"error":{"code":"recipient_blocked_account"}})");
  EXPECT_EQ(Create(Order()).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(FintocProviderTest, AnAccountNumberCannotSendAndBadIdsReachNoUrl) {
  PayoutOrder order = Order();
  order.source_account_native_id = "acno_1";
  EXPECT_EQ(gateway::FieldViolationsOf(Create(order).status())[0].field(), "source_account_id");
  order.source_account_native_id = "acc_1/../../v2/accounts";
  EXPECT_EQ(gateway::FieldViolationsOf(Create(order).status())[0].field(), "source_account_id");

  auto unknown = Run<payments::v1::Payout>(
      [&](auto done) { provider_->GetPayout("key-abc", Context(), std::move(done)); });
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(unknown.status().message()), HasSubstr("same idempotency key"));
  auto traversal = Run<payments::v1::Payout>(
      [&](auto done) { provider_->GetPayout("../accounts", Context(), std::move(done)); });
  EXPECT_EQ(traversal.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(http_.request_count(), 0);
}

TEST_F(FintocProviderTest, GetPayoutReadsTheTransferUnsigned) {
  http_.AddResponse(200, kCreatedTransfer);
  auto payout = Run<payments::v1::Payout>([&](auto done) {
    provider_->GetPayout("tr_329NGN1M4If6VvcMRALv4gjAQJx", Context(), std::move(done));
  });
  ASSERT_TRUE(payout.ok()) << payout.status();
  EXPECT_EQ(payout->tracking_key(), "202509029073500000000000000006");
  const auto request = http_.requests()[0];
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.url, "https://fintoc.test/v2/transfers/tr_329NGN1M4If6VvcMRALv4gjAQJx");
  EXPECT_EQ(Header(request, "Authorization"), kSecretKey);
  EXPECT_EQ(HeaderCount(request, "Fintoc-JWS-Signature"), 0);

  http_.AddResponse(404, R"({"error":{"type":"invalid_request_error","code":"missing_resource"}})");
  EXPECT_EQ(Run<payments::v1::Payout>(
                [&](auto done) { provider_->GetPayout("tr_nope", Context(), std::move(done)); })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(FintocProviderTest, PagingFollowsTheLinkUrlAndOnlyOnFintocsOrigin) {
  const std::string next =
      "https://fintoc.test/v2/transfers?direction=outbound&limit=2&starting_after=tr_2";
  http_.AddResponse(200, absl::StrCat("[", kCreatedTransfer, "]"),
                    {{"Link", absl::StrCat("<", next, ">; rel=\"next\"")}});
  payments::v1::ListPayoutsRequest filter;
  filter.set_source_account_id("fintoc.acct.acc_M8sKf230BgHjD4");
  filter.set_status(payments::v1::PAYOUT_STATUS_PENDING);
  auto first = List("", filter);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->payouts_size(), 1);
  EXPECT_EQ(first->payouts(0).id(), "fintoc.payout.tr_329NGN1M4If6VvcMRALv4gjAQJx");
  EXPECT_EQ(first->next_page_token(), next);
  EXPECT_EQ(http_.requests()[0].url,
            "https://fintoc.test/v2/transfers?direction=outbound&limit=2"
            "&account_id=acc_M8sKf230BgHjD4&status=pending");

  http_.AddResponse(200, "[]", {{"Link", ""}});
  auto last = List(next);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(http_.requests()[1].url, next);  // followed as-is
  EXPECT_EQ(last->next_page_token(), "");

  for (const std::string& forged :
       {std::string("https://evil.test/v2/transfers?starting_after=tr_2"),
        std::string("http://fintoc.test/v2/transfers?starting_after=tr_2"),
        std::string("https://fintoc.test:8443/v2/transfers?starting_after=tr_2"),
        std::string("https://fintoc.test/v2/accounts?starting_after=acc_2"),
        std::string("https://fintoc.test.evil.test/v2/transfers"),
        std::string("https://user@fintoc.test/v2/transfers"), std::string("tr_2")}) {
    auto refused = List(forged);
    ASSERT_EQ(gateway::FieldViolationsOf(refused.status()).size(), 1u) << forged;
    EXPECT_EQ(gateway::FieldViolationsOf(refused.status())[0].field(), "page_token");
  }
  EXPECT_EQ(http_.request_count(), 2);  // nothing was sent for a forged token
}

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
  http_.AddError(http::MarkRequestSent(absl::UnavailableError("connection reset")));
  auto lost = Refund(50000);
  ASSERT_TRUE(lost.ok()) << lost.status();
  EXPECT_EQ(lost->status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
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
  EXPECT_EQ(accounts->next_page_token(),
            "https://fintoc.test/v2/accounts?limit=2&starting_after=acc_1");
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

TEST(FintocProviderCreateTest, RefusesAMismatchedModeOrAnUnusableKey) {
  http::FakeHttpClient http;
  FintocOptions live_key_in_test = Options();
  live_key_in_test.secret_key = "sk_live_AbC123";
  auto refused = FintocProvider::Create(&http, live_key_in_test);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.status().message()), Not(HasSubstr("AbC123")));

  FintocOptions test_key_in_live = Options();
  test_key_in_live.mode = "live";
  EXPECT_EQ(FintocProvider::Create(&http, test_key_in_live).status().code(),
            absl::StatusCode::kFailedPrecondition);

  FintocOptions missing_key = Options();
  missing_key.jws_private_key_path = "/nonexistent/fintoc.pem";
  EXPECT_EQ(FintocProvider::Create(&http, missing_key).status().code(),
            absl::StatusCode::kFailedPrecondition);

  FintocOptions trailing_slash = Options();
  trailing_slash.base_url = "https://fintoc.test/";
  auto provider = FintocProvider::Create(&http, trailing_slash);
  ASSERT_TRUE(provider.ok()) << provider.status();
  http.AddResponse(200, "[]");
  (*provider)->ListAccounts(PageQuery{5, ""}, CallContext{}, [](auto) {});
  EXPECT_EQ(http.requests()[0].url, "https://fintoc.test/v2/accounts?limit=5");
}

TEST(FintocProviderCreateTest, ARotatedKeySignsTheNextTransferAndIsReported) {
  http::FakeHttpClient http;
  FintocOptions options = Options();
  options.jws_private_key_path = absl::StrCat(jws_testing::TestTempDir(), "/rotated_key.pem");
  jws_testing::ReplaceFile(options.jws_private_key_path, jws_testing::kVectorPrivateKeyPem);
  options.jws_key_check_interval = absl::ZeroDuration();
  std::vector<absl::Status> reloads;
  options.on_jws_key_reload = [&reloads](const absl::Status& status) { reloads.push_back(status); };
  auto provider = FintocProvider::Create(&http, options);
  ASSERT_TRUE(provider.ok()) << provider.status();

  const jws_testing::RsaKeyPairPem rotated = jws_testing::GenerateRsaKeyPair();
  jws_testing::ReplaceFile(options.jws_private_key_path, rotated.private_pem);
  http.AddResponse(201, kCreatedTransfer);
  (*provider)->CreatePayout(Order(), CallContext{}, [](auto) {});
  ASSERT_EQ(reloads.size(), 1u);
  EXPECT_TRUE(reloads[0].ok()) << reloads[0];
  const auto request = http.requests()[0];
  EXPECT_TRUE(jws_testing::VerifyDetachedJws(rotated.public_pem,
                                             Header(request, "Fintoc-JWS-Signature"), request.body)
                  .ok());
}

}  // namespace
}  // namespace providers::fintoc
