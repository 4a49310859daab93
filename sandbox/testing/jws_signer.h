// Test-side Fintoc JWS signing (docs/providers/fintoc.md#jws): what a well-behaved client sends in
// Fintoc-JWS-Signature. RS256 = RSASSA-PKCS1-v1_5 with SHA-256 over
// base64url(protected) + "." + base64url(body), detached: "<protected b64>.<signature b64>".
#ifndef SANDBOX_TESTING_JWS_SIGNER_H_
#define SANDBOX_TESTING_JWS_SIGNER_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sandbox {

// The header value for `protected_json` (sent byte for byte) over `body`.
absl::StatusOr<std::string> SignDetachedJws(absl::string_view private_key_pem,
                                            absl::string_view protected_json,
                                            absl::string_view body);

// The compact protected header {"alg":"RS256","nonce":...,"ts":...,"crit":["ts","nonce"]}.
std::string JwsProtectedHeader(absl::string_view nonce, int64_t ts);

}  // namespace sandbox

#endif  // SANDBOX_TESTING_JWS_SIGNER_H_
