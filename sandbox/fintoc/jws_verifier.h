// Server-side check of Fintoc-JWS-Signature (docs/providers/fintoc.md#jws, #test-vectors): a
// detached JWS
// "<b64url(protected)>.<b64url(signature)>" whose protected header is exactly alg RS256, a
// 32-hex nonce, an integer ts and crit ["ts","nonce"]; RS256 (PKCS#1 v1.5 + SHA-256) over
// b64url(protected as sent) + "." + b64url(the exact raw body bytes), against the configured
// public key. Fresh (ts within max_age in the past and max_future ahead of the clock) and
// single use (a nonce is remembered for nonce_memory). Thread-safe.
#ifndef SANDBOX_FINTOC_JWS_VERIFIER_H_
#define SANDBOX_FINTOC_JWS_VERIFIER_H_

#include <deque>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include <openssl/evp.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sandbox/common/clock.h"

namespace sandbox {

struct JwsVerifierOptions {
  absl::Duration max_age = absl::Seconds(120);  // "valid for two minutes"
  absl::Duration max_future = absl::Seconds(60);
  absl::Duration nonce_memory = absl::Hours(24);
};

struct JwsCheck {
  bool ok = false;
  std::string code;  // Fintoc's 401 error code when !ok
  std::string message;
};

class JwsVerifier {
 public:
  // An empty `public_key_pem` is allowed: every check then fails with
  // missing_active_jws_public_key, as Fintoc does before a key is uploaded.
  static absl::StatusOr<std::unique_ptr<JwsVerifier>> Create(const std::string& public_key_pem,
                                                             const Clock* clock,
                                                             JwsVerifierOptions options = {});

  // `header_value` is the Fintoc-JWS-Signature header ("" when absent). On success the nonce
  // is spent.
  JwsCheck Verify(absl::string_view header_value, absl::string_view body);

 private:
  JwsVerifier(std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key, const Clock* clock,
              JwsVerifierOptions options)
      : key_(std::move(key)), clock_(clock), options_(options) {}
  bool SignatureValid(absl::string_view signing_input, absl::string_view signature) const;
  // False when the nonce was seen before; remembers it otherwise.
  bool SpendNonce(const std::string& nonce);

  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_;
  const Clock* const clock_;
  const JwsVerifierOptions options_;
  absl::Mutex mu_;
  std::set<std::string> nonces_ ABSL_GUARDED_BY(mu_);
  std::deque<std::pair<absl::Time, std::string>> nonce_expiry_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sandbox

#endif  // SANDBOX_FINTOC_JWS_VERIFIER_H_
