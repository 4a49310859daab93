#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "net/http/http_types.h"
#include "providers/common/json_fields.h"
#include "providers/common/lookup_errors.h"
#include "vocabulary/idempotency_keys.h"

namespace providers {
namespace {

// The JWS signer and the JWT reader call abseil's base64url directly; these pin the semantics
// they rely on: no padding when encoding, the URL alphabet only when decoding.
TEST(Base64UrlTest, MatchesTheJwsVectorOfProvidersMd) {
  // docs/providers/fintoc.md#test-vectors, vector B's protected header.
  const std::string header =
      R"({"alg":"RS256","nonce":"00112233445566778899aabbccddeeff","ts":1756828731,"crit":["ts","nonce"]})";
  const std::string encoded =
      "eyJhbGciOiJSUzI1NiIsIm5vbmNlIjoiMDAxMTIyMzM0NDU1NjY3Nzg4OTlhYWJiY2NkZGVlZmYiLCJ0cyI6MTc1Nj"
      "gyODczMSwiY3JpdCI6WyJ0cyIsIm5vbmNlIl19";
  EXPECT_EQ(absl::WebSafeBase64Escape(header), encoded);
  std::string decoded;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(encoded, &decoded));
  EXPECT_EQ(decoded, header);
}

TEST(Base64UrlTest, RoundTripsEveryLengthAndByte) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    bytes.push_back(static_cast<char>(i * 37));
    std::string decoded;
    ASSERT_TRUE(absl::WebSafeBase64Unescape(absl::WebSafeBase64Escape(bytes), &decoded)) << i;
    ASSERT_EQ(decoded, bytes) << i;
  }
  EXPECT_EQ(absl::WebSafeBase64Escape("\xfb\xff"), "-_8");
  std::string ignored;
  EXPECT_FALSE(absl::WebSafeBase64Unescape("ab+/", &ignored));
  EXPECT_FALSE(absl::WebSafeBase64Unescape("a", &ignored));
  EXPECT_FALSE(absl::WebSafeBase64Unescape("a$cd", &ignored));
}

TEST(UuidV5Test, MatchesRfc4122AndTheMonatoThirdPartyVector) {
  // RFC 4122 appendix / Python uuid.uuid5(NAMESPACE_DNS, "python.org").
  EXPECT_EQ(*UuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  // docs/providers/monato.md#test-vectors (the third-party recipe).
  EXPECT_EQ(*UuidV5("fb9e4ed2-ab8c-4ce3-9bec-4ae7008bfd43",
                    "c2d1d1e3-3340-4170-980e-e9269bbbc551money_out"
                    "e8fcabb912af99710ae5fc13a89462edaf6c7a4d1d678890662d540a757eda1e"),
            "2d3fc4c6-3b25-5722-a283-cfbc95c4e98f");
  EXPECT_FALSE(UuidV5("not-a-uuid", "x").ok());
}

TEST(UuidV5Test, ProviderKeyNamesAreUnambiguous) {
  EXPECT_NE(ProviderKeyName("ab", "c", "d"), ProviderKeyName("a", "bc", "d"));
  EXPECT_NE(ProviderKeyName("a", "b|c", "d"), ProviderKeyName("a", "b", "c|d"));
  EXPECT_EQ(ProviderKeyName("svc", "money_out", "k1"), ProviderKeyName("svc", "money_out", "k1"));
}

TEST(JsonFieldsTest, NoneNullAndEmptyReadAsAbsent) {
  auto object =
      ParseJsonObject(R"({"a":"None","b":null,"c":"","d":"x","e":12,"f":{"g":"h"},"n":"null"})");
  ASSERT_TRUE(object.ok());
  EXPECT_FALSE(OptionalString(*object, "a").has_value());
  EXPECT_FALSE(OptionalString(*object, "b").has_value());
  EXPECT_FALSE(OptionalString(*object, "c").has_value());
  EXPECT_FALSE(OptionalString(*object, "n").has_value());
  EXPECT_FALSE(OptionalString(*object, "missing").has_value());
  EXPECT_EQ(*OptionalString(*object, "d"), "x");
  EXPECT_EQ(*OptionalString(*object, "e"), "12");
  EXPECT_EQ(StringOr(*OptionalObject(*object, "f"), "g"), "h");
  EXPECT_EQ(OptionalObject(*object, "d"), nullptr);
}

TEST(JsonFieldsTest, MoneyIsStrict) {
  auto object = ParseJsonObject(
      R"({"s":"1.95","big":"999999999.99","f":1.95,"bad":"1.955","i":59013,"neg":-5,"is":"59013"})");
  ASSERT_TRUE(object.ok());
  EXPECT_EQ(*DecimalAmountField(*object, "s", 2), 195);
  EXPECT_EQ(*DecimalAmountField(*object, "big", 2), 99999999999);
  EXPECT_FALSE(DecimalAmountField(*object, "f", 2).ok());  // a float
  EXPECT_FALSE(DecimalAmountField(*object, "bad", 2).ok());
  EXPECT_FALSE(DecimalAmountField(*object, "missing", 2).ok());
  EXPECT_EQ(*MinorUnitsField(*object, "i"), 59013);
  EXPECT_EQ(*MinorUnitsField(*object, "neg"), -5);
  EXPECT_FALSE(MinorUnitsField(*object, "f").ok());
  EXPECT_FALSE(MinorUnitsField(*object, "is").ok());
  EXPECT_EQ(*OptionalInt(*object, "is"), 59013);
}

TEST(JsonFieldsTest, NotJsonIsAnErrorNotACrash) {
  EXPECT_FALSE(ParseJson("<html>502 Bad Gateway</html>").ok());
  EXPECT_FALSE(ParseJson(R"({"truncated":)").ok());
  EXPECT_FALSE(ParseJsonObject("[1,2]").ok());
  EXPECT_FALSE(ParseJson("").ok());
}

TEST(LookupFailureTest, DropsOnlyTheSentMark) {
  absl::Status marked = net::http::MarkRequestSent(absl::DeadlineExceededError("reply lost"));
  marked.SetPayload("example.com/detail", absl::Cord("kept"));
  const absl::Status lookup = LookupFailure(marked);
  EXPECT_FALSE(net::http::RequestMayHaveBeenSent(lookup));
  EXPECT_EQ(lookup.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(lookup.message(), "reply lost");
  EXPECT_EQ(lookup.GetPayload("example.com/detail"), absl::Cord("kept"));
  EXPECT_EQ(LookupFailure(absl::NotFoundError("x")), absl::NotFoundError("x"));
}

}  // namespace
}  // namespace providers
