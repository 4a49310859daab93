#include "providers/stp/stp_notifications.h"

#include <cstdint>

#include <boost/json/object.hpp>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "providers/common/json_fields.h"
#include "providers/stp/stp_messages.h"
#include "providers/stp/stp_tracking_key.h"
#include "vocabulary/status_macros.h"

namespace providers::stp {
namespace {

using boost::json::object;

constexpr size_t kMaxText = 200;  // longer notification texts are cut, never stored whole

// The notification with every key lower-cased ("Estado" and "estado" read the same); the
// first of two keys differing only in case wins.
absl::StatusOr<object> LowerCasedObject(absl::string_view body) {
  auto parsed = ParseJsonObject(body);
  if (!parsed.ok()) return absl::InvalidArgumentError("STP notification is not a JSON object");
  object lowered;
  for (const auto& [key, member] : *parsed) {
    const std::string lower = absl::AsciiStrToLower(std::string(key));
    if (!lowered.contains(lower)) lowered[lower] = member;
  }
  return lowered;
}

// A printable text member, trimmed and cut; "" when absent or not printable ASCII.
std::string Text(const object& notification, absl::string_view key) {
  std::string text(absl::StripAsciiWhitespace(StringOr(notification, key)));
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) return "";
  }
  return text.substr(0, kMaxText);
}

// The first non-empty of two keys (old and new names of the same member).
std::string TextEither(const object& notification, absl::string_view first,
                       absl::string_view second) {
  std::string text = Text(notification, first);
  return text.empty() ? Text(notification, second) : text;
}

bool IsDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

// A positive STP id (a JSON integer or digits), as text.
std::string PositiveId(const object& notification, absl::string_view key) {
  const absl::optional<int64_t> id = OptionalInt(notification, key);
  return id && *id > 0 ? absl::StrCat(*id) : "";
}

}  // namespace

absl::StatusOr<WebhookEvent> ParseStateChange(absl::string_view body) {
  ASSIGN_OR_RETURN(object notification, LowerCasedObject(body));
  const std::string id = PositiveId(notification, "id");
  if (id.empty()) return absl::InvalidArgumentError("STP state change has no positive id");
  const std::string estado = Text(notification, "estado");
  if (estado.empty() || estado.size() > 32) {
    return absl::InvalidArgumentError("STP state change has no estado");
  }
  WebhookEvent event;
  event.kind = WebhookEvent::Kind::kPayoutStatus;
  event.provider_payout_id = id;
  event.provider_status = estado;
  event.status = MapOrderState(estado);
  event.event_id = absl::StrCat(id, ":", absl::AsciiStrToUpper(estado));
  std::string key = Text(notification, "claverastreo");
  if (key.empty()) key = Text(notification, "folioorigen");
  if (IsValidTrackingKey(key)) event.tracking_key = key;
  std::string reason = TextEither(notification, "causadevolucion", "detalle");
  if (reason != "0") event.reason = MaskAccountNumbers(reason);
  event.confirm_by_reading = true;
  return event;
}

absl::StatusOr<WebhookEvent> ParseDeposit(absl::string_view body) {
  ASSIGN_OR_RETURN(object notification, LowerCasedObject(body));
  const boost::json::value* monto = notification.if_contains("monto");
  if (monto == nullptr) return absl::InvalidArgumentError("STP deposit has no monto");
  auto amount = MontoMinor(*monto);
  if (!amount.ok() || *amount <= 0) {
    return absl::InvalidArgumentError("STP deposit has no exact positive monto");
  }
  const std::string receiving = Text(notification, "cuentabeneficiario");
  if (!IsDigits(receiving) || receiving.size() > 20) {
    return absl::InvalidArgumentError("STP deposit has no receiving account number");
  }
  std::string id = PositiveId(notification, "id");
  if (id.empty()) id = PositiveId(notification, "clave");
  const std::string tracking = Text(notification, "claverastreo");
  const std::string date = Text(notification, "fechaoperacion");
  WebhookEvent event;
  event.kind = WebhookEvent::Kind::kMoneyIn;
  if (!id.empty()) {
    event.event_id = absl::StrCat("abono:", id);
  } else if (!tracking.empty() && !date.empty()) {
    event.event_id = absl::StrCat("abono:", tracking, ":", date);
  } else {
    return absl::InvalidArgumentError("STP deposit has neither an id nor claveRastreo and date");
  }
  event.provider_payout_id = id;
  if (tracking.size() <= 30) event.tracking_key = tracking;
  event.provider_status = "R";  // recibida
  event.amount_minor = *amount;
  event.currency = "MXN";
  event.payer_name = Text(notification, "nombreordenante");
  const std::string payer = Text(notification, "cuentaordenante");
  if (IsDigits(payer) && payer.size() <= 20) event.payer_account = payer;
  event.description = Text(notification, "conceptopago");
  event.receiving_account_number = receiving;
  return event;
}

std::string DepositAnswer() { return R"({"mensaje":"confirmar"})"; }

std::string StateChangeAnswer() { return R"({"mensaje":"recibido"})"; }

}  // namespace providers::stp
