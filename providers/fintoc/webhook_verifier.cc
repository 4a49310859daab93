#include "providers/fintoc/webhook_verifier.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "providers/common/json_fields.h"
#include "providers/fintoc/fintoc_messages.h"

namespace providers::fintoc {
namespace {

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string FintocWebhookSignature(absl::string_view secret, int64_t timestamp,
                                   absl::string_view body) {
  const std::string message = absl::StrCat(timestamp, ".", body);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), length));
}

absl::StatusOr<WebhookEvent> VerifyFintocWebhook(const FintocWebhookOptions& options,
                                                 absl::string_view signature_header,
                                                 absl::string_view body, absl::Time now) {
  if (signature_header.empty()) {
    return absl::UnauthenticatedError("missing Fintoc-Signature header");
  }
  int64_t timestamp = -1;
  std::vector<std::string> signatures;
  for (absl::string_view part : absl::StrSplit(signature_header, ',')) {
    const size_t equals = part.find('=');
    if (equals == absl::string_view::npos) continue;
    const absl::string_view key = absl::StripAsciiWhitespace(part.substr(0, equals));
    const absl::string_view value = absl::StripAsciiWhitespace(part.substr(equals + 1));
    if (key == "t" && !absl::SimpleAtoi(value, &timestamp)) timestamp = -1;
    if (key == "v1") signatures.emplace_back(absl::AsciiStrToLower(value));
  }
  if (timestamp < 0 || signatures.empty()) {
    return absl::UnauthenticatedError("malformed Fintoc-Signature header");
  }
  if (absl::AbsDuration(now - absl::FromUnixSeconds(timestamp)) > options.tolerance) {
    return absl::UnauthenticatedError("Fintoc-Signature timestamp outside the tolerance");
  }
  bool verified = false;
  for (const std::string& secret : options.secrets) {
    const std::string expected = FintocWebhookSignature(secret, timestamp, body);
    for (const std::string& signature : signatures) {
      verified = ConstantTimeEquals(expected, signature) || verified;
    }
  }
  if (!verified) return absl::UnauthenticatedError("Fintoc-Signature does not match");

  auto event = ParseJsonObject(body);
  if (!event.ok()) return absl::InvalidArgumentError("Fintoc webhook body is not a JSON object");
  WebhookEvent out;
  out.provider = payments::v1::PROVIDER_FINTOC;
  out.event_id = StringOr(*event, "id");
  if (out.event_id.empty()) return absl::InvalidArgumentError("Fintoc event has no id");
  const boost::json::object* data = OptionalObject(*event, "data");
  const std::string type = StringOr(*event, "type");
  if (data == nullptr || StringOr(*data, "object") != "transfer") return out;  // ignored
  out.provider_payout_id = StringOr(*data, "id");
  out.tracking_key = StringOr(*data, "tracking_key");
  out.provider_status = StringOr(*data, "status");
  out.reason = StringOr(*data, "return_reason");
  if (StringOr(*data, "direction") == "inbound") {
    out.kind = WebhookEvent::Kind::kMoneyIn;
    auto amount = MinorUnitsField(*data, "amount");
    if (!amount.ok()) return absl::InvalidArgumentError(amount.status().message());
    if (*amount <= 0) return absl::InvalidArgumentError("inbound transfer amount must be positive");
    out.amount_minor = *amount;
    out.currency = StringOr(*data, "currency", "MXN");
    out.description = StringOr(*data, "comment");
    if (const boost::json::object* counterparty = OptionalObject(*data, "counterparty")) {
      out.payer_name = StringOr(*counterparty, "holder_name");
      out.payer_account = StringOr(*counterparty, "account_number");
    }
    // The receiving side: the account number the money arrived at belongs to this account.
    if (const boost::json::object* receiver = OptionalObject(*data, "account_number")) {
      out.receiving_account_native_id = StringOr(*receiver, "account_id");
    }
    if (out.receiving_account_native_id.empty()) {
      out.receiving_account_native_id = StringOr(*data, "account_id");
    }
    return out;
  }
  out.kind = WebhookEvent::Kind::kPayoutStatus;
  out.status = MapTransferStatus(out.provider_status);
  return out;
}

}  // namespace providers::fintoc
