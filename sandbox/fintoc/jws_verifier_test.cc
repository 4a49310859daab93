// The JWS verifier against docs/providers/fintoc.md#test-vectors: Vectors A and B verify with the
// published public key when the clock says ts=1756828731 is now; the test signer reproduces them
// byte for byte; every kind of bad header gets its Fintoc 401 code.
#include "sandbox/fintoc/jws_verifier.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "sandbox/common/clock.h"
#include "sandbox/common/crypto.h"
#include "sandbox/fintoc/fintoc_test_vectors.h"
#include "sandbox/testing/jws_signer.h"
#include "sandbox/testing/test_keys.h"

namespace sandbox {
namespace {

class JwsVerifierTest : public ::testing::Test {
 protected:
  std::unique_ptr<JwsVerifier> MakeVerifier(
      const std::string& public_key_pem = kJwsTestPublicKeyPem) {
    absl::StatusOr<std::unique_ptr<JwsVerifier>> verifier =
        JwsVerifier::Create(public_key_pem, &clock_);
    EXPECT_TRUE(verifier.ok()) << verifier.status();
    return verifier.ok() ? *std::move(verifier) : nullptr;
  }
  std::string Sign(const std::string& protected_json, const std::string& body) {
    absl::StatusOr<std::string> header =
        SignDetachedJws(kJwsTestPrivateKeyPem, protected_json, body);
    EXPECT_TRUE(header.ok()) << header.status();
    return header.value_or("");
  }
  std::string SignFresh(const std::string& body, int64_t ts) {
    return Sign(JwsProtectedHeader(RandomHex(16), ts), body);
  }

  ManualClock clock_{absl::FromUnixSeconds(kJwsVectorTs)};
};

TEST_F(JwsVerifierTest, VectorsAAndBVerifyWithTheFixedClock) {
  ASSERT_EQ(std::string(kJwsVectorBody).size(), 180u);
  // Both vectors share a nonce: one verifier each.
  JwsCheck check = MakeVerifier()->Verify(kJwsVectorA, kJwsVectorBody);
  EXPECT_TRUE(check.ok) << check.code << ": " << check.message;
  check = MakeVerifier()->Verify(kJwsVectorB, kJwsVectorBody);
  EXPECT_TRUE(check.ok) << check.code << ": " << check.message;
}

TEST_F(JwsVerifierTest, TestSignerReproducesTheVectors) {
  // RS256 is deterministic, so the signer must give exactly the published header values.
  EXPECT_EQ(
      Sign(
          R"({"alg": "RS256", "nonce": "00112233445566778899aabbccddeeff", "ts": 1756828731, "crit": ["ts", "nonce"]})",
          kJwsVectorBody),
      kJwsVectorA);
  EXPECT_EQ(
      Sign(JwsProtectedHeader("00112233445566778899aabbccddeeff", kJwsVectorTs), kJwsVectorBody),
      kJwsVectorB);
}

TEST_F(JwsVerifierTest, OneExtraSpaceInTheBodyFails) {
  const JwsCheck check = MakeVerifier()->Verify(kJwsVectorB, absl::StrCat(kJwsVectorBody, " "));
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.code, "invalid_jws_signature");
  std::string spaced = kJwsVectorBody;
  spaced.insert(spaced.find(':') + 1, " ");
  EXPECT_EQ(MakeVerifier()->Verify(kJwsVectorB, spaced).code, "invalid_jws_signature");
}

TEST_F(JwsVerifierTest, ANonceWorksOnce) {
  auto verifier = MakeVerifier();
  ASSERT_TRUE(verifier->Verify(kJwsVectorA, kJwsVectorBody).ok);
  EXPECT_EQ(verifier->Verify(kJwsVectorA, kJwsVectorBody).code, "jws_nonce_already_used");
  // Vector B carries the same nonce in another header.
  EXPECT_EQ(verifier->Verify(kJwsVectorB, kJwsVectorBody).code, "jws_nonce_already_used");
  // A failed check does not spend the nonce.
  auto fresh = MakeVerifier();
  EXPECT_FALSE(fresh->Verify(kJwsVectorB, "{}").ok);
  EXPECT_TRUE(fresh->Verify(kJwsVectorB, kJwsVectorBody).ok);
}

TEST_F(JwsVerifierTest, TimestampWindow) {
  clock_.Set(absl::FromUnixSeconds(kJwsVectorTs + 120));
  EXPECT_TRUE(MakeVerifier()->Verify(kJwsVectorB, kJwsVectorBody).ok);  // exactly 2 minutes
  clock_.Set(absl::FromUnixSeconds(kJwsVectorTs + 121));
  EXPECT_EQ(MakeVerifier()->Verify(kJwsVectorB, kJwsVectorBody).code,
            "invalid_jws_signature_timestamp");
  clock_.Set(absl::FromUnixSeconds(kJwsVectorTs - 61));  // signed too far in the future
  EXPECT_EQ(MakeVerifier()->Verify(kJwsVectorB, kJwsVectorBody).code,
            "invalid_jws_signature_timestamp");
}

TEST_F(JwsVerifierTest, MalformedHeaders) {
  auto verifier = MakeVerifier();
  const std::string body = "{}";
  EXPECT_EQ(verifier->Verify("", body).code, "missing_jws_signature_header");
  const std::string good = SignFresh(body, kJwsVectorTs);
  const std::string protected_part = good.substr(0, good.find('.'));
  const std::string signature_part = good.substr(good.find('.') + 1);
  for (const std::string& bad :
       {protected_part, absl::StrCat(good, ".x"),
        absl::StrCat(protected_part, ".", absl::WebSafeBase64Escape(body), ".", signature_part),
        absl::StrCat(protected_part, "."), absl::StrCat(".", signature_part),
        absl::StrCat(protected_part, ".", signature_part, "="), std::string("not a jws")}) {
    EXPECT_EQ(verifier->Verify(bad, body).code, "invalid_jws_signature_header") << bad;
  }
  struct Case {
    std::string protected_json;
    std::string code;
  };
  const Case cases[] = {
      {R"({"alg":"HS256","nonce":"00112233445566778899aabbccddeef0","ts":1756828731,"crit":["ts","nonce"]})",
       "invalid_jws_signature_algorithm"},
      {R"({"alg":"RS256","nonce":"00112233445566778899aabbccddeef1","ts":1756828731})",
       "invalid_jws_signature_header"},
      {R"({"alg":"RS256","nonce":"00112233445566778899aabbccddeef2","ts":1756828731,"crit":["ts"]})",
       "invalid_jws_signature_header"},
      {R"({"alg":"RS256","nonce":"00112233445566778899AABBCCDDEEF3","ts":1756828731,"crit":["ts","nonce"]})",
       "invalid_jws_signature_nonce"},
      {R"({"alg":"RS256","nonce":"0011","ts":1756828731,"crit":["ts","nonce"]})",
       "invalid_jws_signature_nonce"},
      {R"({"alg":"RS256","nonce":"00112233445566778899aabbccddeef4","ts":"1756828731","crit":["ts","nonce"]})",
       "invalid_jws_signature_timestamp_format"},
      {R"(["alg","RS256"])", "invalid_jws_signature_header"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(verifier->Verify(Sign(c.protected_json, body), body).code, c.code)
        << c.protected_json;
  }
  // A header altered after signing (ts moved) no longer matches the signature.
  const std::string moved = absl::StrCat(absl::WebSafeBase64Escape(JwsProtectedHeader(
                                             "00112233445566778899aabbccddeef5", kJwsVectorTs + 1)),
                                         ".", signature_part);
  EXPECT_EQ(verifier->Verify(moved, body).code, "invalid_jws_signature");
  EXPECT_TRUE(verifier->Verify(good, body).ok);
}

TEST_F(JwsVerifierTest, KeyProblems) {
  auto without_key = MakeVerifier("");
  EXPECT_EQ(without_key->Verify(kJwsVectorB, kJwsVectorBody).code, "missing_active_jws_public_key");
  EXPECT_FALSE(JwsVerifier::Create("not a pem", &clock_).ok());

  // Another RSA key: a valid-looking signature by the wrong key.
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> other(EVP_RSA_gen(2048), &EVP_PKEY_free);
  ASSERT_NE(other, nullptr);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  ASSERT_EQ(PEM_write_bio_PUBKEY(bio.get(), other.get()), 1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  auto wrong_key = MakeVerifier(std::string(data, static_cast<size_t>(size)));
  EXPECT_EQ(wrong_key->Verify(kJwsVectorB, kJwsVectorBody).code, "invalid_jws_signature");

  // Not RSA: rejected when configured.
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> ec(EVP_EC_gen("P-256"), &EVP_PKEY_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> ec_bio(BIO_new(BIO_s_mem()), &BIO_free);
  ASSERT_EQ(PEM_write_bio_PUBKEY(ec_bio.get(), ec.get()), 1);
  const long ec_size = BIO_get_mem_data(ec_bio.get(), &data);
  EXPECT_FALSE(JwsVerifier::Create(std::string(data, static_cast<size_t>(ec_size)), &clock_).ok());
}

}  // namespace
}  // namespace sandbox
