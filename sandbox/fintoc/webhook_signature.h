// Fintoc-Signature (docs/providers/fintoc.md#webhooks, vector in #test-vectors):
//   t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// The simulator signs every webhook attempt with it; the verifier mirrors the official SDKs
// (split on ',', then on the first '='; constant-time compare; reject t older than the
// tolerance) for tests and for anyone checking what the sandbox sends.
#ifndef SANDBOX_FINTOC_WEBHOOK_SIGNATURE_H_
#define SANDBOX_FINTOC_WEBHOOK_SIGNATURE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace sandbox {

std::string FintocSignature(absl::string_view secret, int64_t timestamp, absl::string_view body);
std::string FintocSignatureHeader(absl::string_view secret, int64_t timestamp,
                                  absl::string_view body);

bool VerifyFintocSignatureHeader(absl::string_view header, absl::string_view secret,
                                 absl::string_view body, int64_t now, int64_t tolerance_s = 300);

}  // namespace sandbox

#endif  // SANDBOX_FINTOC_WEBHOOK_SIGNATURE_H_
