#include "providers/stp/stp_webhook.h"

#include "absl/strings/ascii.h"
#include "providers/common/json_fields.h"
#include "providers/stp/stp_notifications.h"

namespace providers::stp {
namespace {

bool SameSecret(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool HasEstado(const boost::json::object& body) {
  for (const auto& member : body) {
    if (absl::AsciiStrToLower(std::string(member.key())) == "estado") return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<WebhookEvent> VerifyStpNotification(const std::vector<std::string>& secrets,
                                                   absl::string_view presented,
                                                   absl::string_view body) {
  bool known = false;
  for (const std::string& secret : secrets) {
    if (!secret.empty() && SameSecret(secret, presented)) known = true;
  }
  if (!known) return absl::UnauthenticatedError("no valid STP webhook token");
  auto parsed = ParseJsonObject(body);
  if (!parsed.ok()) return absl::InvalidArgumentError("STP notification is not a JSON object");
  absl::StatusOr<WebhookEvent> event =
      HasEstado(*parsed) ? ParseStateChange(body) : ParseDeposit(body);
  if (!event.ok()) return event.status();
  event->provider = payments::v1::PROVIDER_STP;
  if (event->kind == WebhookEvent::Kind::kPayoutStatus) {
    // The adapter's payouts are known by tracking key; a notification naming only STP's order
    // id cannot be matched and is answered as not this gateway's (the resolver's reads cover
    // such payouts).
    if (!event->tracking_key.empty()) event->provider_payout_id = event->tracking_key;
    event->confirm_by_reading = true;
  }
  return event;
}

}  // namespace providers::stp
