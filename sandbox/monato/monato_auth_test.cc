// Monato authentication over HTTPS: credential tokens (HS256 JWTs whose exp is expires_at read
// as UTC-6), x-api-key on every call, bearer tokens and their expiry.
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "sandbox/common/base64url.h"
#include "sandbox/common/json_util.h"
#include "sandbox/monato/monato_test_fixture.h"

namespace sandbox {
namespace {

using MonatoAuthTest = MonatoSandboxTest;

TEST_F(MonatoAuthTest, TokenExpEqualsExpiresAtReadAsMexicoCityTime) {
  const HttpResponse response = RequestToken();
  ASSERT_EQ(response.status, 200) << response.body;
  const boost::json::value body = JsonBody(response);
  EXPECT_EQ(JsonStr(body, "client_id"), config_.client_id);
  EXPECT_EQ(JsonStr(body, "client_credential_id"), seed().credential_id);
  EXPECT_EQ(JsonStr(body, "status"), "ACTIVE");
  EXPECT_EQ(JsonStr(body, "deleted_at"), "None");
  const std::string created_at = JsonStr(body, "created_at");
  const std::string expires_at = JsonStr(body, "expires_at");
  EXPECT_EQ(created_at.substr(created_at.size() - 6), "-06:00") << created_at;
  // "YYYY-MM-DD HH:MM:SS.ffffff", no offset.
  ASSERT_EQ(expires_at.size(), 26u) << expires_at;
  EXPECT_EQ(expires_at[10], ' ');
  EXPECT_EQ(expires_at[19], '.');

  const std::vector<std::string> parts = absl::StrSplit(JsonStr(body, "token"), '.');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(Base64UrlDecode(parts[0]).value_or(""), R"({"alg":"HS256","typ":"JWT"})");
  const auto payload = ParseJsonObject(Base64UrlDecode(parts[1]).value_or(""));
  ASSERT_TRUE(payload.has_value());
  EXPECT_EQ(payload->size(), 2u);  // only client_id and exp
  EXPECT_EQ(std::string(payload->at("client_id").as_string()), config_.client_id);
  const int64_t exp = payload->at("exp").as_int64();

  absl::Time expires, created;
  std::string error;
  ASSERT_TRUE(absl::ParseTime("%Y-%m-%d %H:%M:%E*S", expires_at, absl::FixedTimeZone(-6 * 3600),
                              &expires, &error))
      << error;
  ASSERT_TRUE(absl::ParseTime("%Y-%m-%d %H:%M:%E*S%Ez", created_at, &created, &error)) << error;
  EXPECT_EQ(absl::ToUnixSeconds(expires), exp);
  // Read as UTC it would be six hours off.
  absl::Time as_utc;
  ASSERT_TRUE(
      absl::ParseTime("%Y-%m-%d %H:%M:%E*S", expires_at, absl::UTCTimeZone(), &as_utc, &error));
  EXPECT_EQ(exp - absl::ToUnixSeconds(as_utc), 6 * 3600);
  EXPECT_EQ(expires - created, absl::Hours(24));
  EXPECT_EQ(JsonAt(State(), "/tokens_issued").as_int64(), 1);
}

TEST_F(MonatoAuthTest, TokenNeedsTheApiKeyAndTheRightSecret) {
  HttpResponse response = client().Post(ClientPath("/auth/credential-tokens"),
                                        R"({"client_id":"x","client_secret":"y"})");
  EXPECT_EQ(response.status, 401);
  const boost::json::value body = JsonBody(response);
  EXPECT_EQ(JsonAt(body, "/code").as_int64(), 16);
  EXPECT_EQ(JsonStrAt(body, "/details/0/reason"), "UNAUTHENTICATED");
  EXPECT_EQ(JsonStrAt(body, "/details/0/domain"), "fincore");
  EXPECT_EQ(JsonStrAt(body, "/details/0/metadata/http_code"), "401");
  EXPECT_EQ(JsonStrAt(body, "/details/0/metadata/error_code"), "INVALID_API_KEY");

  response = client().Post(
      ClientPath("/auth/credential-tokens"),
      absl::StrCat(R"({"client_id":")", config_.client_id, R"(","client_secret":"wrong"})"),
      ApiKey());
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(ErrorCode(response), "INVALID_CREDENTIALS");

  response = client().Post(ClientPath("/auth/credential-tokens"), "{not json", ApiKey());
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(ErrorReason(response), "DATA_ERROR");
  EXPECT_EQ(JsonAt(State(), "/tokens_issued").as_int64(), 0);
}

TEST_F(MonatoAuthTest, CredentialsNeedOnlyTheApiKey) {
  HttpResponse response = client().Get(ClientPath("/credentials"), ApiKey());
  ASSERT_EQ(response.status, 200) << response.body;
  const boost::json::value body = JsonBody(response);
  EXPECT_EQ(JsonStrAt(body, "/data/0/client_secret"), config_.client_secret);
  EXPECT_EQ(JsonStrAt(body, "/data/0/environment"), "staging");
  EXPECT_EQ(JsonStrAt(body, "/data/0/deleted_at"), "None");
  response = client().Get(ClientPath("/credentials"));
  EXPECT_EQ(response.status, 401);
}

TEST_F(MonatoAuthTest, OtherEndpointsNeedApiKeyAndBearer) {
  HeaderList auth = Auth();
  ASSERT_EQ(client().Get("/v1/banks", auth).status, 200);

  HttpResponse response = client().Get("/v1/banks", ApiKey());
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(ErrorCode(response), "MISSING_TOKEN");

  response = client().Get("/v1/banks", {auth[1]});  // bearer without x-api-key
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(ErrorCode(response), "INVALID_API_KEY");

  std::string forged = auth[1].second;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';  // breaks the HMAC
  response = client().Get("/v1/banks", {auth[0], {"Authorization", forged}});
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(ErrorCode(response), "INVALID_TOKEN");

  response = client().Get("/v1/clients/00000000-0000-4000-8000-000000000000/accounts", auth);
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(ErrorReason(response), "PERMISSION_DENIED");

  response = client().Get("/v1/nowhere", auth);
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(ErrorReason(response), "NOT_FOUND");
}

TEST_F(MonatoAuthTest, ControlCallExpiresEveryToken) {
  const HeaderList auth = Auth();
  ASSERT_EQ(client().Get(ClientPath("/accounts"), auth).status, 200);
  EXPECT_EQ(JsonAt(State(), "/tokens_active").as_int64(), 1);

  const HttpResponse expired = client().Post("/_sandbox/monato/expire_tokens", "");
  ASSERT_EQ(expired.status, 200);
  EXPECT_EQ(JsonAt(JsonBody(expired), "/expired").as_int64(), 1);

  const HttpResponse response = client().Get(ClientPath("/accounts"), auth);
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(ErrorCode(response), "TOKEN_EXPIRED");
  EXPECT_EQ(JsonAt(State(), "/tokens_active").as_int64(), 0);

  // A token issued a second later works again.
  clock_.Advance(absl::Seconds(1));
  ForgetToken();
  EXPECT_EQ(client().Get(ClientPath("/accounts"), Auth()).status, 200);
}

TEST_F(MonatoAuthTest, ShortLivedTokenExpires) {
  MonatoConfig config;
  config.settle_after = absl::Milliseconds(-1);
  config.token_lifetime = absl::Seconds(60);
  StartSandbox(config);
  const HeaderList auth = Auth();
  ASSERT_EQ(client().Get(ClientPath("/accounts"), auth).status, 200);
  clock_.Advance(absl::Seconds(59));
  EXPECT_EQ(client().Get(ClientPath("/accounts"), auth).status, 200);
  clock_.Advance(absl::Seconds(2));
  const HttpResponse response = client().Get(ClientPath("/accounts"), auth);
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(ErrorCode(response), "TOKEN_EXPIRED");
}

}  // namespace
}  // namespace sandbox
