// What every Fintoc request carries, the per-attempt signing hook, and which URLs a page token
// may lead to.
#include "providers/fintoc/fintoc_session.h"

#include <array>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "net/http/testing/fake_http_client.h"
#include "providers/fintoc/testing/jws_test_util.h"

namespace providers::fintoc {
namespace {

std::string Header(const net::http::HttpRequest& request, absl::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

std::string VectorKeyFile() {
  const std::string path = absl::StrCat(jws_testing::TestTempDir(), "/fintoc_session_key.pem");
  jws_testing::ReplaceFile(path, jws_testing::kVectorPrivateKeyPem);
  return path;
}

// A signer whose nonce source works `good` times, then fails.
std::shared_ptr<JwsSigner> SignerFailingAfter(int good) {
  JwsSignerOptions options;
  options.private_key_path = VectorKeyFile();
  auto calls = std::make_shared<int>(0);
  options.nonce_source = [calls, good]() -> absl::StatusOr<std::array<unsigned char, 16>> {
    if (++*calls <= good) return std::array<unsigned char, 16>{};
    return absl::InternalError("no entropy");
  };
  auto signer = JwsSigner::Create(std::move(options));
  EXPECT_TRUE(signer.ok()) << signer.status();
  return std::shared_ptr<JwsSigner>(*std::move(signer));
}

TEST(FintocSessionTest, PostsAreSignedAndKeyedGetsAreNot) {
  net::http::FakeHttpClient http;
  FintocSession session(&http, "https://fintoc.test", "sk_test_abc", "", SignerFailingAfter(10));
  http.AddResponse(200, "{}");
  http.AddResponse(200, "{}");
  http.AddResponse(200, "[]");
  session.Post("/v2/transfers", R"({"a":1})", "key-1", absl::InfiniteFuture(), [](auto) {});
  session.Post("/v2/account_numbers", R"({"b":2})", "", absl::InfiniteFuture(), [](auto) {});
  session.Get(session.Url("/v2/accounts"), absl::InfiniteFuture(), [](auto) {});
  const auto requests = http.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(Header(requests[0], "Authorization"), "sk_test_abc");
  EXPECT_EQ(Header(requests[0], "Idempotency-Key"), "key-1");
  EXPECT_TRUE(requests[0].safe_to_retry);
  EXPECT_EQ(Header(requests[0], "Fintoc-Version"), "");  // not pinned: not sent
  EXPECT_TRUE(jws_testing::VerifyDetachedJws(jws_testing::kVectorPublicKeyPem,
                                             Header(requests[0], "Fintoc-JWS-Signature"),
                                             requests[0].body)
                  .ok());
  // Without a key a POST is sent at most once.
  EXPECT_EQ(Header(requests[1], "Idempotency-Key"), "");
  EXPECT_FALSE(requests[1].safe_to_retry);
  EXPECT_NE(Header(requests[1], "Fintoc-JWS-Signature"), "");
  EXPECT_EQ(requests[2].method, "GET");
  EXPECT_EQ(Header(requests[2], "Fintoc-JWS-Signature"), "");
  EXPECT_EQ(Header(requests[2], "Authorization"), "sk_test_abc");
  EXPECT_TRUE(requests[2].safe_to_retry);
}

TEST(FintocSessionTest, ASigningFailureIsAnUnknownOutcomeOnlyAfterTheFirstAttempt) {
  net::http::HttpRequest request;
  request.body = "{}";

  auto never = FintocSession::SigningHook(SignerFailingAfter(0));
  const absl::Status first = never(request);
  EXPECT_FALSE(first.ok());
  EXPECT_FALSE(net::http::RequestMayHaveBeenSent(first));  // nothing left: a plain error

  auto once = FintocSession::SigningHook(SignerFailingAfter(1));
  ASSERT_TRUE(once(request).ok());
  const absl::Status second = once(request);
  EXPECT_FALSE(second.ok());
  EXPECT_TRUE(net::http::RequestMayHaveBeenSent(second));  // the first attempt may have landed
}

}  // namespace
}  // namespace providers::fintoc
