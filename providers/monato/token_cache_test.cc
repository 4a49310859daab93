#include "providers/monato/token_cache.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "net/http/testing/fake_http_client.h"
#include "providers/monato/jwt_expiry.h"
#include "vocabulary/status_macros.h"

namespace providers::monato {
namespace {

// Monato's documented example token (docs/providers/monato.md#test-vectors): exp 1741281419.
constexpr char kSeedToken[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJjbGllbnRfaWQiOiJjMmQxZDFlMy0zMzQwLTQxNzAtOTgwZS1lOTI2OWJiYmM1NTEiLCJleHAiOjE3NDEyODE0MTl9."
    "signature";

std::string TokenExpiringAt(int64_t exp, const std::string& tag) {
  return absl::StrCat(
      absl::WebSafeBase64Escape(R"({"alg":"HS256","typ":"JWT"})"), ".",
      absl::WebSafeBase64Escape(absl::StrCat(R"({"client_id":"c1","exp":)", exp, "}")), ".", tag);
}

std::string TokenReply(const std::string& token) {
  // expires_at is Mexico City time with no offset: deliberately "wrong" if read as UTC.
  return absl::StrCat(R"({"id":"t1","token":")", token,
                      R"(","status":"ACTIVE","expires_at":"2025-03-06 11:16:59.491631",)",
                      R"("deleted_at":"None"})");
}

TEST(JwtExpiryTest, ReadsExpFromTheSeedToken) {
  auto expiry = JwtExpiry(kSeedToken);
  ASSERT_TRUE(expiry.ok()) << expiry.status();
  EXPECT_EQ(absl::ToUnixSeconds(*expiry), 1741281419);  // 2025-03-06T17:16:59Z
  EXPECT_FALSE(JwtExpiry("not.a.jwt").ok());
  EXPECT_FALSE(JwtExpiry("onlyonepart").ok());
}

class TokenCacheTest : public testing::Test {
 protected:
  TokenCacheOptions Options() {
    TokenCacheOptions options;
    options.base_url = "https://monato.test";
    options.client_id = "c1";
    options.api_key = "api-key-secret";
    options.client_secret = "client-secret";
    options.now = [this] { return now_; };
    return options;
  }
  absl::StatusOr<CachedToken> GetToken(TokenCache& cache) {
    absl::StatusOr<CachedToken> result = absl::UnknownError("no answer");
    cache.Get([&](absl::StatusOr<CachedToken> token) { result = std::move(token); });
    return result;
  }
  absl::StatusOr<std::string> GetNow(TokenCache& cache) {
    ASSIGN_OR_RETURN(auto token, GetToken(cache));
    return token.value;
  }

  absl::Time now_ = absl::FromUnixSeconds(1'700'000'000);
  net::http::FakeHttpClient http_;
};

TEST_F(TokenCacheTest, FetchesOnceAndReusesUntilNearExpiry) {
  const int64_t exp = absl::ToUnixSeconds(now_) + 24 * 3600;
  http_.AddResponse(201, TokenReply(TokenExpiringAt(exp, "a")));
  TokenCache cache(&http_, Options());
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(GetNow(cache).ok());
  EXPECT_EQ(cache.fetches(), 1);
  const auto request = http_.requests().at(0);
  EXPECT_EQ(request.url, "https://monato.test/v1/clients/c1/auth/credential-tokens");
  EXPECT_EQ(request.body, R"({"client_id":"c1","client_secret":"client-secret"})");
  bool has_api_key = false;
  for (const auto& [name, value] : request.headers) {
    has_api_key = has_api_key || (name == "x-api-key" && value == "api-key-secret");
  }
  EXPECT_TRUE(has_api_key);
}

TEST_F(TokenCacheTest, ExpiryComesFromTheJwtNotFromExpiresAt) {
  // exp is 23h59m away. Read as UTC, expires_at would already be in the past here.
  const int64_t exp = absl::ToUnixSeconds(now_) + 24 * 3600 - 60;
  http_.AddResponse(201, TokenReply(TokenExpiringAt(exp, "a")));
  TokenCache cache(&http_, Options());
  ASSERT_TRUE(GetNow(cache).ok());
  now_ += absl::Hours(23);
  ASSERT_TRUE(GetNow(cache).ok());
  EXPECT_EQ(cache.fetches(), 1);
}

TEST_F(TokenCacheTest, RefreshesAheadOfExpiryWithoutMakingCallersWait) {
  const int64_t exp = absl::ToUnixSeconds(now_) + 3600;
  http_.AddResponse(201, TokenReply(TokenExpiringAt(exp, "old")));
  http_.AddResponse(201, TokenReply(TokenExpiringAt(exp + 3600, "new")));
  TokenCache cache(&http_, Options());
  ASSERT_EQ(*GetNow(cache), TokenExpiringAt(exp, "old"));
  now_ = absl::FromUnixSeconds(exp) - absl::Minutes(2);  // inside refresh_ahead
  http_.HoldReplies();
  // Still served at once with the old token while the refresh is in flight.
  EXPECT_EQ(*GetNow(cache), TokenExpiringAt(exp, "old"));
  EXPECT_EQ(*GetNow(cache), TokenExpiringAt(exp, "old"));
  EXPECT_EQ(http_.ReleaseHeld(), 1);
  EXPECT_EQ(*GetNow(cache), TokenExpiringAt(exp + 3600, "new"));
  EXPECT_EQ(cache.fetches(), 2);
}

// With a 30 s safety and a 5 min refresh-ahead, a token that lives 40 s would be
// refreshed on every call (and be unusable after 10 s). Both margins are capped at half of
// the token's lifetime.
TEST_F(TokenCacheTest, MarginsNeverExceedHalfOfAShortLivedTokensLifetime) {
  const int64_t exp = absl::ToUnixSeconds(now_) + 40;
  http_.AddResponse(201, TokenReply(TokenExpiringAt(exp, "short")));
  http_.AddResponse(201, TokenReply(TokenExpiringAt(exp + 40, "next")));
  TokenCache cache(&http_, Options());
  for (int i = 0; i < 20; ++i) ASSERT_EQ(*GetNow(cache), TokenExpiringAt(exp, "short"));
  now_ += absl::Seconds(15);  // 25 s left: more than half, still neither due nor unsafe
  for (int i = 0; i < 20; ++i) ASSERT_EQ(*GetNow(cache), TokenExpiringAt(exp, "short"));
  EXPECT_EQ(cache.fetches(), 1);
  now_ += absl::Seconds(10);  // 15 s left: under half the lifetime, so a refresh is due
  EXPECT_EQ(*GetNow(cache), TokenExpiringAt(exp + 40, "next"));
  EXPECT_EQ(cache.fetches(), 2);
}

TEST_F(TokenCacheTest, ManyWaitersOneFetch) {
  const int64_t exp = absl::ToUnixSeconds(now_) + 3600;
  http_.AddResponse(201, TokenReply(TokenExpiringAt(exp, "a")));
  TokenCache cache(&http_, Options());
  http_.HoldReplies();
  std::vector<absl::StatusOr<CachedToken>> answers;
  for (int i = 0; i < 50; ++i) {
    cache.Get([&](absl::StatusOr<CachedToken> token) { answers.push_back(std::move(token)); });
  }
  EXPECT_TRUE(answers.empty());  // all waiting on the one fetch
  EXPECT_EQ(http_.ReleaseHeld(), 1);
  ASSERT_EQ(answers.size(), 50u);
  for (const auto& answer : answers) EXPECT_EQ(answer->value, TokenExpiringAt(exp, "a"));
  EXPECT_EQ(cache.fetches(), 1);
}

TEST_F(TokenCacheTest, ExpiredTokenIsNeverHandedOut) {
  const int64_t exp = absl::ToUnixSeconds(now_) + 3600;
  http_.AddResponse(201, TokenReply(TokenExpiringAt(exp, "a")));
  http_.AddResponse(201, TokenReply(TokenExpiringAt(exp + 7200, "b")));
  TokenCache cache(&http_, Options());
  ASSERT_TRUE(GetNow(cache).ok());
  now_ = absl::FromUnixSeconds(exp) - absl::Seconds(10);  // inside expiry_safety
  EXPECT_EQ(*GetNow(cache), TokenExpiringAt(exp + 7200, "b"));
}

TEST_F(TokenCacheTest, InvalidateAfter401FetchesOnceForManyFailures) {
  const int64_t exp = absl::ToUnixSeconds(now_) + 3600;
  http_.AddResponse(201, TokenReply(TokenExpiringAt(exp, "a")));
  http_.AddResponse(201, TokenReply(TokenExpiringAt(exp, "b")));
  TokenCache cache(&http_, Options());
  const CachedToken first = *GetToken(cache);
  for (int i = 0; i < 10; ++i) cache.Invalidate(first.generation);  // ten requests saw 401
  EXPECT_EQ(*GetNow(cache), TokenExpiringAt(exp, "b"));
  cache.Invalidate(first.generation);  // a late 401 for the old token changes nothing
  EXPECT_EQ(*GetNow(cache), TokenExpiringAt(exp, "b"));
  EXPECT_EQ(cache.fetches(), 2);
}

// Monato's JWT holds only the client and exp in seconds: a new fetch within the same second
// returns the very same string. Late 401s for the revoked first fetch must not drop it.
TEST_F(TokenCacheTest, ALate401ForAnIdenticalOlderTokenKeepsTheNewOne) {
  const int64_t exp = absl::ToUnixSeconds(now_) + 3600;
  const std::string same = TokenExpiringAt(exp, "same");
  http_.AddResponse(201, TokenReply(same));
  http_.AddResponse(201, TokenReply(same));
  http_.AddResponse(201, TokenReply(TokenExpiringAt(exp, "third")));
  TokenCache cache(&http_, Options());
  const CachedToken first = *GetToken(cache);
  cache.Invalidate(first.generation);  // revoked: the first 401
  const CachedToken second = *GetToken(cache);
  EXPECT_EQ(second.value, first.value);
  EXPECT_NE(second.generation, first.generation);
  for (int i = 0; i < 10; ++i) cache.Invalidate(first.generation);  // late 401s, old fetch
  EXPECT_EQ(GetToken(cache)->generation, second.generation);
  EXPECT_EQ(cache.fetches(), 2);
}

TEST_F(TokenCacheTest, FailuresAreClearAndNotCached) {
  http_.AddResponse(401, R"({"code":16,"message":"bad key"})");
  http_.AddResponse(503, "<html>busy</html>");
  http_.AddResponse(201, R"({"token":"None"})");
  http_.AddError(absl::UnavailableError("connection refused"));
  TokenCache cache(&http_, Options());
  EXPECT_EQ(GetNow(cache).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(GetNow(cache).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(GetNow(cache).status().code(), absl::StatusCode::kUnavailable);
  auto unreachable = GetNow(cache);
  EXPECT_EQ(unreachable.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(std::string(unreachable.status().message()).find("api-key-secret"), std::string::npos);
  EXPECT_EQ(cache.fetches(), 4);
}

TEST_F(TokenCacheTest, RotatedCredentialsDropTheTokenAndAreUsedForTheNextFetch) {
  const int64_t exp = absl::ToUnixSeconds(now_) + 3600;
  http_.AddResponse(201, TokenReply(TokenExpiringAt(exp, "old")));
  http_.AddResponse(201, TokenReply(TokenExpiringAt(exp, "new")));
  TokenCache cache(&http_, Options());
  ASSERT_EQ(*GetNow(cache), TokenExpiringAt(exp, "old"));
  cache.SetCredentials("rotated-api-key", "rotated-secret");
  EXPECT_EQ(cache.api_key(), "rotated-api-key");
  EXPECT_EQ(*GetNow(cache), TokenExpiringAt(exp, "new"));  // fetched again, not the cached one
  EXPECT_EQ(cache.fetches(), 2);
  const auto request = http_.requests().at(1);
  EXPECT_EQ(request.body, R"({"client_id":"c1","client_secret":"rotated-secret"})");
  bool rotated_header = false;
  for (const auto& [name, value] : request.headers) {
    rotated_header = rotated_header || (name == "x-api-key" && value == "rotated-api-key");
  }
  EXPECT_TRUE(rotated_header);
}

}  // namespace
}  // namespace providers::monato
