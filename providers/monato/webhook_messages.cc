#include "providers/monato/webhook_messages.h"

#include <openssl/crypto.h>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "providers/common/json_fields.h"
#include "providers/monato/monato_messages.h"
#include "vocabulary/money.h"

namespace providers::monato {

absl::Status VerifyMonatoBearer(const std::vector<std::string>& tokens,
                                absl::string_view authorization) {
  absl::string_view presented = authorization;
  if (!absl::ConsumePrefix(&presented, "Bearer ") || presented.empty()) {
    return absl::UnauthenticatedError("missing bearer token");
  }
  bool match = false;
  for (const std::string& token : tokens) {
    // Every configured token is compared, so timing says nothing about which one matched.
    match = (token.size() == presented.size() &&
             CRYPTO_memcmp(token.data(), presented.data(), token.size()) == 0) ||
            match;
  }
  return match ? absl::OkStatus() : absl::UnauthenticatedError("wrong bearer token");
}

absl::StatusOr<WebhookEvent> ParseMonatoWebhook(absl::string_view body) {
  auto envelope = ParseJsonObject(body);
  if (!envelope.ok()) return absl::InvalidArgumentError("Monato webhook is not a JSON object");
  WebhookEvent event;
  event.provider = payments::v1::PROVIDER_MONATO;
  event.event_id = StringOr(*envelope, "id_msg");
  const std::string name = StringOr(*envelope, "msg_name");
  const boost::json::object* payload = OptionalObject(*envelope, "body");
  if (event.event_id.empty() || name.empty() || payload == nullptr) {
    return absl::InvalidArgumentError("Monato webhook needs id_msg, msg_name and body");
  }
  event.provider_payout_id = StringOr(*payload, "id");
  event.tracking_key = StringOr(*payload, "tracking_key");
  if (name == "STATUS_UPDATE") {
    if (event.provider_payout_id.empty() && event.tracking_key.empty()) {
      return absl::InvalidArgumentError("STATUS_UPDATE names no transaction");
    }
    event.kind = WebhookEvent::Kind::kPayoutStatus;
    event.provider_status = StringOr(*payload, "status");
    event.status = MapTransactionStatus(event.provider_status);
    event.reason = StringOr(*payload, "reason");
    event.confirm_by_reading = true;
  } else if (name == "MONEY_IN") {
    if (event.provider_payout_id.empty()) {
      return absl::InvalidArgumentError("MONEY_IN names no transaction id");
    }
    event.kind = WebhookEvent::Kind::kMoneyIn;
    // Unsigned, like STATUS_UPDATE: read back (amount, currency, direction) before recording.
    event.confirm_by_reading = true;
    auto amount = DecimalAmountField(*payload, "amount", 2);
    if (!amount.ok()) return absl::InvalidArgumentError(amount.status().message());
    if (*amount <= 0) return absl::InvalidArgumentError("MONEY_IN amount must be positive");
    event.amount_minor = *amount;
    event.payer_name = StringOr(*payload, "payer_name");
    event.payer_account = StringOr(*payload, "payer_account");
    event.description = StringOr(*payload, "payment_concept");
    // MONEY_IN names the receiving account only by its CLABE (no account or instrument id).
    event.receiving_account_number = StringOr(*payload, "beneficiary_account");
    event.provider_status = "LIQUIDATED";  // Monato reports received money once it settled
  }
  return event;
}

}  // namespace providers::monato
