// STP's notifications at the gateway's webhook listener (docs/providers/stp.md#webhooks).
// STP signs nothing, so a request is accepted only with one of the configured shared secrets,
// given as the `token` query parameter of the URL registered with STP (or the X-Webhook-Token
// header where a proxy in front adds it); state changes are then re-read by tracking key
// before they are believed (confirm_by_reading). One path serves both kinds: a body with an
// estado is a state change, any other a deposit.
#ifndef PROVIDERS_STP_STP_WEBHOOK_H_
#define PROVIDERS_STP_STP_WEBHOOK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "providers/webhook_event.h"

namespace providers::stp {

// UNAUTHENTICATED unless `presented` equals one of `secrets` (compared in constant time; no
// secret configured refuses everything). Then the body translated: provider STP; for a state
// change provider_payout_id is the tracking key when the notification names one (the
// adapter's native id), and confirm_by_reading is set.
absl::StatusOr<WebhookEvent> VerifyStpNotification(const std::vector<std::string>& secrets,
                                                   absl::string_view presented,
                                                   absl::string_view body);

}  // namespace providers::stp

#endif  // PROVIDERS_STP_STP_WEBHOOK_H_
