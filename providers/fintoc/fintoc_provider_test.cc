// The Fintoc adapter's payouts against scripted replies: the exact request of a transfer,
// deterministic idempotency keys with a fresh signature per attempt, lost or odd replies as
// UNKNOWN outcomes, definite refusals as errors and mode checks. Paging and the ids that reach
// URLs: fintoc_paging_test.cc.
#include "providers/fintoc/fintoc_provider.h"

#include "absl/strings/str_cat.h"
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

using provider_testing::NonceOf;
using provider_testing::RetryingHttpClient;

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
  const net::http::HttpRequest request = http_.requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "https://fintoc.test/v2/transfers");
  EXPECT_EQ(request.body, jws_testing::kVectorBody);        // the 180 JWS vector bytes
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
  http_.AddError(net::http::MarkRequestSent(absl::DeadlineExceededError("deadline passed")));
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

TEST_F(FintocProviderTest, AConflictMetByARetryIsUnknownUnlessItIsAboutTheRequest) {
  RetryingHttpClient retrying;
  auto provider = FintocProvider::Create(&retrying, Options());
  ASSERT_TRUE(provider.ok()) << provider.status();
  auto create = [&] {
    absl::StatusOr<payments::v1::Payout> payout;
    (*provider)->CreatePayout(Order(), Context(), [&](auto p) { payout = std::move(p); });
    return payout;
  };
  retrying.SetReply(409,
                    R"({"error":{"type":"invalid_request_error","code":"request_in_progress"}})");
  auto in_progress = create();
  ASSERT_TRUE(in_progress.ok()) << in_progress.status();
  EXPECT_EQ(in_progress->status(), payments::v1::PAYOUT_STATUS_UNKNOWN);

  retrying.SetReply(409,
                    R"({"error":{"type":"invalid_request_error","code":"insufficient_balance"}})");
  EXPECT_EQ(create().status().code(), absl::StatusCode::kFailedPrecondition);

  // On a first attempt any 409 is definite.
  http_.AddResponse(409, R"({"error":{"code":"request_in_progress"}})");
  EXPECT_EQ(Create(Order()).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(FintocProviderTest, ALostReplyIsAnUnknownOutcomeNotAFailure) {
  http_.AddError(net::http::MarkRequestSent(absl::DeadlineExceededError("deadline passed")));
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

TEST_F(FintocProviderTest, ARotatedSecretKeyIsUsedNextAndAKeyOfTheOtherModeIsRefused) {
  // The fixture runs in test mode: a live key must never slip in through a rotation.
  const absl::Status live = provider_->RotateSecretKey("sk_live_0123456789abcdef");
  EXPECT_EQ(live.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(live.message()), Not(HasSubstr("0123456789abcdef")));
  EXPECT_FALSE(provider_->RotateSecretKey("sk_test_bad\nInjected: header").ok());
  ASSERT_TRUE(provider_->RotateSecretKey("sk_test_rotated0123456789").ok());
  http_.AddResponse(200, kCreatedTransfer);
  ASSERT_TRUE(Run<payments::v1::Payout>([&](auto done) {
                provider_->GetPayout("tr_329NGN1M4If6VvcMRALv4gjAQJx", Context(), std::move(done));
              }).ok());
  EXPECT_EQ(Header(http_.requests()[0], "Authorization"), "sk_test_rotated0123456789");
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

TEST(FintocProviderCreateTest, RefusesAMismatchedModeOrAnUnusableKey) {
  net::http::FakeHttpClient http;
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
  net::http::FakeHttpClient http;
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
