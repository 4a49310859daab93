// Fintoc webhooks (docs/providers/fintoc.md#webhooks): `Fintoc-Signature: t=<unix s>,v1=<hex>`
// where v1 = HMAC-SHA256(endpoint secret, "<t>.<raw body>"), compared in constant time, within a
// tolerance of `t`; several secrets are accepted while one is being rotated. Only a verified
// body is parsed. The transfer's status in the payload decides, not the event name (Fintoc's
// docs disagree on names).
#ifndef PROVIDERS_FINTOC_WEBHOOK_VERIFIER_H_
#define PROVIDERS_FINTOC_WEBHOOK_VERIFIER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "providers/webhook_event.h"

namespace providers::fintoc {

struct FintocWebhookOptions {
  std::vector<std::string> secrets;  // current first; old ones during rotation
  absl::Duration tolerance = absl::Seconds(300);
};

// The hex HMAC-SHA256 Fintoc puts in v1.
std::string FintocWebhookSignature(absl::string_view secret, int64_t timestamp,
                                   absl::string_view body);

// UNAUTHENTICATED when the header is missing, malformed, stale or matches no secret;
// INVALID_ARGUMENT when a verified body is not a Fintoc event.
absl::StatusOr<WebhookEvent> VerifyFintocWebhook(const FintocWebhookOptions& options,
                                                 absl::string_view signature_header,
                                                 absl::string_view body, absl::Time now);

}  // namespace providers::fintoc

#endif  // PROVIDERS_FINTOC_WEBHOOK_VERIFIER_H_
