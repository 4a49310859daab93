// Monato webhooks (docs/providers/monato.md#webhooks): Monato signs nothing, so a request is
// believed only when it carries the bearer token registered for it (compared in constant time), and
// a status or received money it reports is confirmed by re-reading the transaction before it is
// applied or recorded (docs/webhooks.md).
// Envelope: {"id_msg","msg_name","msg_date","body":{...}}; id_msg is the dedup key.
//   STATUS_UPDATE body: id (may be absent: correlate by tracking_key), tracking_key, status,
//                       reason, reason_description, update_at (sic).
//   MONEY_IN body:      id (required), amount ("123.00"), tracking_key, payer_*, beneficiary_*, ...
#ifndef PROVIDERS_MONATO_WEBHOOK_MESSAGES_H_
#define PROVIDERS_MONATO_WEBHOOK_MESSAGES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "providers/webhook_event.h"

namespace providers::monato {

// UNAUTHENTICATED unless `authorization` is "Bearer <one of tokens>".
absl::Status VerifyMonatoBearer(const std::vector<std::string>& tokens,
                                absl::string_view authorization);

// INVALID_ARGUMENT when the body is not a Monato webhook envelope.
absl::StatusOr<WebhookEvent> ParseMonatoWebhook(absl::string_view body);

}  // namespace providers::monato

#endif  // PROVIDERS_MONATO_WEBHOOK_MESSAGES_H_
