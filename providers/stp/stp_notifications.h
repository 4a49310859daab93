// STP's notifications to the client (docs/providers/stp.md#webhooks) into WebhookEvents:
// state changes of sent orders and deposits received (abonos), in both the older
// capitalised form (speid: "Estado", "Clave", "Monto") and the newer camelCase one (keys are
// read case-insensitively). STP signs neither, so a state change is marked
// confirm_by_reading (the adapter reads the order back by tracking key before believing
// it); deposits cannot be read back by id and rely on the listener's shared secret and
// source restrictions. Pure, no crash on any input; the event's `provider` is left for the
// adapter to set.
#ifndef PROVIDERS_STP_STP_NOTIFICATIONS_H_
#define PROVIDERS_STP_STP_NOTIFICATIONS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "providers/webhook_event.h"

namespace providers::stp {

// A state change: {"id", "estado"|"Estado", "causaDevolucion"|"Detalle", "folioOrigen",
// "claveRastreo", ...}. kPayoutStatus with provider_payout_id = STP's order id, tracking_key
// when the notification names one, status by MapOrderState, event_id "<id>:<ESTADO>".
// INVALID_ARGUMENT when it is not a JSON object or lacks a positive id or an estado.
absl::StatusOr<WebhookEvent> ParseStateChange(absl::string_view body);

// A deposit: kMoneyIn with the amount (exact, > 0), the payer's name and account, the
// concept, the receiving account's number (cuentaBeneficiario), the tracking key, and
// event_id "abono:<id>" (or "abono:<claveRastreo>:<fechaOperacion>" without an id).
// INVALID_ARGUMENT when it lacks the amount, the receiving account or any identity.
absl::StatusOr<WebhookEvent> ParseDeposit(absl::string_view body);

// The answers STP expects: a deposit is accepted with {"mensaje":"confirmar"} (the gateway
// records money in and never refuses it); a state change with any 200 reply.
std::string DepositAnswer();
std::string StateChangeAnswer();

}  // namespace providers::stp

#endif  // PROVIDERS_STP_STP_NOTIFICATIONS_H_
