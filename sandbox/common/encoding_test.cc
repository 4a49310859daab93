// Byte-level helpers: base64url, hashes, CLABEs, ids, money strings, JSON canonical form.
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "sandbox/common/base64url.h"
#include "sandbox/common/clabe.h"
#include "sandbox/common/crypto.h"
#include "sandbox/common/ids.h"
#include "sandbox/common/json_util.h"
#include "sandbox/common/money.h"
#include "sandbox/common/path_match.h"

namespace sandbox {
namespace {

TEST(Base64UrlTest, AbseilEncodesWithoutPaddingInTheUrlAlphabet) {
  EXPECT_EQ(absl::WebSafeBase64Escape(""), "");
  EXPECT_EQ(absl::WebSafeBase64Escape("f"), "Zg");
  EXPECT_EQ(absl::WebSafeBase64Escape("fo"), "Zm8");
  EXPECT_EQ(absl::WebSafeBase64Escape("foo"), "Zm9v");
  EXPECT_EQ(absl::WebSafeBase64Escape(std::string("\xfb\xff\xbf", 3)), "-_-_");
  // The protected header of the JWS Vector B (docs/providers/fintoc.md#test-vectors).
  EXPECT_EQ(
      absl::WebSafeBase64Escape(
          R"({"alg":"RS256","nonce":"00112233445566778899aabbccddeeff","ts":1756828731,"crit":["ts","nonce"]})"),
      "eyJhbGciOiJSUzI1NiIsIm5vbmNlIjoiMDAxMTIyMzM0NDU1NjY3Nzg4OTlhYWJiY2NkZGVlZmYiLCJ0cyI6MTc1Nj"
      "gyODczMSwiY3JpdCI6WyJ0cyIsIm5vbmNlIl19");
}

TEST(Base64UrlTest, DecodesStrictly) {
  EXPECT_EQ(Base64UrlDecode("Zm8").value(), "fo");
  EXPECT_EQ(Base64UrlDecode("-_-_").value(), std::string("\xfb\xff\xbf", 3));
  EXPECT_EQ(Base64UrlDecode("").value(), "");
  EXPECT_FALSE(Base64UrlDecode("Zm8=").has_value());  // padding
  EXPECT_FALSE(Base64UrlDecode("Zm+v").has_value());  // standard alphabet
  EXPECT_FALSE(Base64UrlDecode("Zm 8").has_value());  // whitespace
  EXPECT_FALSE(Base64UrlDecode("Z").has_value());     // impossible length
  EXPECT_FALSE(Base64UrlDecode("Zm9").has_value());   // non-canonical trailing bits
}

TEST(CryptoTest, Sha256AndHmacMatchPublishedVectors) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2.
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(HmacSha256Hex("", ""),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(CryptoTest, RandomAndConstantTimeCompare) {
  EXPECT_EQ(RandomHex(16).size(), 32u);
  EXPECT_NE(RandomHex(16), RandomHex(16));
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secrets"));
}

TEST(ClabeTest, CheckDigitsOfProvidersMdVectors) {
  EXPECT_EQ(ClabeCheckDigit("01218002605078385"), '8');
  for (const char* valid : {"002010077777777771", "012180026050783858", "734180000001233635",
                            "735969000000203297", "012969100000000013", "646180000000000009"}) {
    EXPECT_TRUE(IsValidClabe(valid)) << valid;
  }
  for (const char* invalid :
       {"738969123456789120", "646180529600044117", "002010077777777772", "020010077777777771",
        "01218002605078385", "0121800260507838580", "01218002605078385A", ""}) {
    EXPECT_FALSE(IsValidClabe(invalid)) << invalid;
  }
  EXPECT_EQ(MakeClabe("734", "180", 123363), "734180000001233635");
  EXPECT_EQ(MakeClabe("735", "969", 20329), "735969000000203297");
}

TEST(IdsTest, Shapes) {
  const std::string uuid = NewUuid();
  EXPECT_TRUE(IsUuid(uuid)) << uuid;
  EXPECT_EQ(uuid[14], '4');  // version 4
  EXPECT_NE(NewUuid(), uuid);
  EXPECT_EQ(StableUuid("monato/bank/40012"), StableUuid("monato/bank/40012"));
  EXPECT_NE(StableUuid("monato/bank/40012"), StableUuid("monato/bank/40014"));
  EXPECT_EQ(StableUuid("x")[14], '5');  // version 5
  EXPECT_TRUE(IsUuid("C2D1D1E3-3340-4170-980E-E9269BBBC551"));
  EXPECT_FALSE(IsUuid("c2d1d1e3334041709 80ee9269bbbc551"));
  EXPECT_FALSE(IsUuid("c2d1d1e3-3340-4170-980e-e9269bbbc55"));
  EXPECT_FALSE(IsUuid("g2d1d1e3-3340-4170-980e-e9269bbbc551"));
  const std::string id = NewPrefixedId("tr_");
  EXPECT_EQ(id.size(), 30u);
  EXPECT_EQ(id.substr(0, 3), "tr_");
  EXPECT_EQ(RandomUpperAlphanumeric(10).find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
            std::string::npos);
}

TEST(MoneyTest, ExactlyTwoDecimals) {
  EXPECT_EQ(ParseTwoDecimalAmount("1.95").value(), 195);
  EXPECT_EQ(ParseTwoDecimalAmount("100.00").value(), 10000);
  EXPECT_EQ(ParseTwoDecimalAmount("0.00").value(), 0);
  EXPECT_EQ(ParseTwoDecimalAmount("92233720368547758.07").value(), INT64_MAX);
  for (const char* bad : {"1.9", "1.950", "1,95", "-1.00", "+1.00", "1.", ".95", "1", "", " 1.95",
                          "1.95 ", "1e2.00", "92233720368547758.08"}) {
    EXPECT_FALSE(ParseTwoDecimalAmount(bad).has_value()) << bad;
  }
  EXPECT_EQ(FormatTwoDecimalAmount(195), "1.95");
  EXPECT_EQ(FormatTwoDecimalAmount(5), "0.05");
  EXPECT_EQ(FormatTwoDecimalAmount(-5), "-0.05");
  EXPECT_EQ(FormatTwoDecimalAmount(1000000000), "10000000.00");
}

TEST(JsonUtilTest, CanonicalFormIgnoresKeyOrderAndWhitespace) {
  const auto a = ParseJsonObject(R"({"b":1, "a":{"d":[1,{"y":2,"x":1}],"c":"s"}})");
  const auto b = ParseJsonObject(R"({"a":{"c":"s","d":[1,{"x":1,"y":2}]},"b":1})");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(CanonicalJson(*a), R"({"a":{"c":"s","d":[1,{"x":1,"y":2}]},"b":1})");
  EXPECT_EQ(CanonicalJson(*a), CanonicalJson(*b));
  EXPECT_EQ(BodyFingerprint("/p", R"({"b":1,"a":2})"),
            BodyFingerprint("/p", R"({ "a":2, "b":1 })"));
  EXPECT_NE(BodyFingerprint("/p", R"({"a":2})"), BodyFingerprint("/q", R"({"a":2})"));
  EXPECT_NE(BodyFingerprint("/p", R"({"a":2})"), BodyFingerprint("/p", R"({"a":"2"})"));
  EXPECT_FALSE(ParseJsonObject("[1]").has_value());
  EXPECT_FALSE(ParseJsonObject("{").has_value());
  EXPECT_FALSE(ParseJsonObject("").has_value());
}

TEST(PathMatchTest, CapturesSegments) {
  std::vector<std::string> captures;
  EXPECT_TRUE(MatchPath("/v1/clients/{}/accounts/{}", "/v1/clients/c1/accounts/a1", &captures));
  EXPECT_EQ(captures, (std::vector<std::string>{"c1", "a1"}));
  EXPECT_FALSE(MatchPath("/v1/clients/{}/accounts", "/v1/clients//accounts", &captures));
  EXPECT_FALSE(MatchPath("/v1/clients/{}/accounts", "/v1/clients/c1/accounts/", &captures));
  EXPECT_FALSE(MatchPath("/v2/transfers", "/v2/transfers/return", &captures));
}

}  // namespace
}  // namespace sandbox
