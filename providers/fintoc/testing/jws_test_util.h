// Test-only helpers for Fintoc JWS: the vector of docs/providers/fintoc.md#test-vectors (a
// TEST-ONLY RSA key that must never be used elsewhere), fresh RSA keys, and an independent verifier
// built directly on OpenSSL EVP_DigestVerify.
#ifndef PROVIDERS_FINTOC_TESTING_JWS_TEST_UTIL_H_
#define PROVIDERS_FINTOC_TESTING_JWS_TEST_UTIL_H_

#include <string>

#include <boost/json/object.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace providers::fintoc::jws_testing {

// docs/providers/fintoc.md#test-vectors.
extern const char kVectorPrivateKeyPem[];
extern const char kVectorPublicKeyPem[];
extern const char kVectorBody[];              // the 180-byte transfer body
extern const char kVectorAProtectedHeader[];  // Python's spacing
extern const char kVectorASignatureHeader[];
extern const char kVectorBSignatureHeader[];  // compact header, nonce 0011..eeff, ts 1756828731

struct RsaKeyPairPem {
  std::string private_pem;  // PKCS#8
  std::string public_pem;   // SubjectPublicKeyInfo
};
// A new RSA key pair (2048 bits unless told otherwise).
RsaKeyPairPem GenerateRsaKeyPair(int bits = 2048);

// Verifies a detached Fintoc-JWS-Signature value ("<b64url protected>.<b64url signature>")
// over `body` with the public key: RS256 via EVP_DigestVerify. OK or why not.
absl::Status VerifyDetachedJws(absl::string_view public_key_pem, absl::string_view header_value,
                               absl::string_view body);

// The decoded protected header of a signature header value.
absl::StatusOr<boost::json::object> ProtectedHeaderOf(absl::string_view header_value);

// Writes `contents` to `path` by writing a sibling file and renaming it over `path`, as a
// Kubernetes secret rotation does (new inode).
void ReplaceFile(const std::string& path, const std::string& contents);

// A writable folder for the test: $TEST_TMPDIR under Bazel, else /tmp.
std::string TestTempDir();

}  // namespace providers::fintoc::jws_testing

#endif  // PROVIDERS_FINTOC_TESTING_JWS_TEST_UTIL_H_
