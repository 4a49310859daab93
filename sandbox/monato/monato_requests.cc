#include "sandbox/monato/monato_requests.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "sandbox/common/clabe.h"
#include "sandbox/common/http_client.h"
#include "sandbox/common/ids.h"
#include "sandbox/common/json_util.h"
#include "sandbox/common/money.h"
#include "sandbox/common/text.h"

namespace sandbox {
namespace {

constexpr size_t kMaxHolderName = 40;
constexpr size_t kDescriptionLimit = 40;  // "must have less than 40 characters length"

bool Fail(MonatoError* error, MonatoError value) {
  *error = std::move(value);
  return false;
}

bool ParseBody(absl::string_view body, boost::json::object* object, MonatoError* error) {
  absl::optional<boost::json::object> parsed = ParseJsonObject(body);
  if (!parsed)
    return Fail(error, DataError("INVALID_BODY", "ServerRequest body must be a JSON object."));
  *object = std::move(*parsed);
  return true;
}

// A string member; absent is "" unless `required`.
bool ReadString(const boost::json::object& object, const char* key, bool required, std::string* out,
                MonatoError* error) {
  const boost::json::value* value = JsonMember(object, key);
  if (value == nullptr || value->is_null()) {
    if (!required) return true;
    return Fail(error, DataError("MISSING_FIELD", absl::StrCat(key, " is required.")));
  }
  if (!value->is_string()) {
    return Fail(error, DataError("INVALID_FIELD", absl::StrCat(key, " must be a string.")));
  }
  *out = std::string(value->as_string());
  if (required && out->empty()) {
    return Fail(error, DataError("MISSING_FIELD", absl::StrCat(key, " is required.")));
  }
  return true;
}

bool ReadUuid(const boost::json::object& object, const char* key, bool required, std::string* out,
              MonatoError* error) {
  if (!ReadString(object, key, required, out, error)) return false;
  if (!out->empty() && !IsUuid(*out)) {
    return Fail(error, DataError("INVALID_UUID", absl::StrCat(key, " must be a valid UUID.")));
  }
  return true;
}

bool ReadAmount(const boost::json::object& object, int64_t* cents, MonatoError* error) {
  const boost::json::value* value = JsonMember(object, "amount");
  // A JSON number (1.95) is rejected too: Monato wants the decimal string.
  const absl::optional<int64_t> parsed = value != nullptr && value->is_string()
                                             ? ParseTwoDecimalAmount(AsView(value->as_string()))
                                             : absl::nullopt;
  if (!parsed || *parsed <= 0) {
    return Fail(error, DataError("INVALID_AMOUNT", "Transaction Amount must be higher than 0."));
  }
  *cents = *parsed;
  return true;
}

bool ValidHolderName(const std::string& name) {
  return !name.empty() && Utf8Length(name) <= kMaxHolderName;
}

bool ValidRfc(const std::string& rfc) {
  if (rfc == "ND") return true;
  // 12 (company) or 13 (person) characters; letters may include Ñ and &.
  const size_t length = Utf8Length(rfc);
  if (length != 12 && length != 13) return false;
  for (unsigned char c : rfc) {
    if (!absl::ascii_isalnum(c) && c != '&' && c < 0x80) return false;
  }
  return true;
}

}  // namespace

bool ParseMoneyOut(absl::string_view body, MoneyOutRequest* out, MonatoError* error) {
  boost::json::object object;
  if (!ParseBody(body, &object, error) ||
      !ReadUuid(object, "client_id", true, &out->client_id, error) ||
      !ReadUuid(object, "source_instrument_id", true, &out->source_instrument_id, error) ||
      !ReadUuid(object, "destination_instrument_id", true, &out->destination_instrument_id,
                error)) {
    return false;
  }
  const boost::json::object* request = JsonObject(object, "transaction_request");
  if (request == nullptr) {
    return Fail(error, DataError("MISSING_FIELD", "transaction_request is required."));
  }
  if (!ReadAmount(*request, &out->amount_cents, error) ||
      !ReadString(*request, "currency", true, &out->currency, error) ||
      !ReadString(*request, "description", false, &out->description, error) ||
      !ReadString(*request, "external_reference", false, &out->external_reference, error)) {
    return false;
  }
  if (out->currency != "MXN") {
    return Fail(error, DataError("INVALID_CURRENCY", "Transaction currency unsupported."));
  }
  if (Utf8Length(out->description) >= kDescriptionLimit) {
    return Fail(error, DataError("INVALID_DESCRIPTION",
                                 "Description must have less than 40 characters length."));
  }
  if (!out->external_reference.empty() &&
      (!IsAllDigits(out->external_reference) || out->external_reference.size() > 7)) {
    return Fail(error, DataError("INVALID_EXTERNAL_REFERENCE",
                                 "External reference should be numeric and have a maximum "
                                 "length of 7 digits."));
  }
  return true;
}

bool ParseInstrument(absl::string_view body, InstrumentRequest* out, MonatoError* error) {
  boost::json::object object;
  if (!ParseBody(body, &object, error) ||
      !ReadUuid(object, "client_id", true, &out->client_id, error) ||
      !ReadUuid(object, "customer_id", false, &out->customer_id, error) ||
      !ReadUuid(object, "source_bank_id", false, &out->source_bank_id, error) ||
      !ReadString(object, "type", true, &out->type, error) ||
      !ReadString(object, "rfc", true, &out->rfc, error) ||
      !ReadString(object, "alias", false, &out->alias, error)) {
    return false;
  }
  if (out->type != "RECEIVER" && out->type != "SENDER") {
    return Fail(error, DataError("INVALID_TYPE", "type must be RECEIVER or SENDER."));
  }
  if (!ValidRfc(out->rfc)) {
    return Fail(error, DataError("INVALID_RFC", "rfc must be ND or a 12-13 character RFC."));
  }
  const boost::json::object* card = JsonObject(object, "debit_card");
  const boost::json::object* clabe = JsonObject(object, "virtual_clabe");
  if ((card == nullptr) == (clabe == nullptr)) {
    return Fail(error, DataError("INVALID_INSTRUMENT",
                                 "Exactly one of debit_card or virtual_clabe is required."));
  }
  const boost::json::object& detail = card != nullptr ? *card : *clabe;
  if (!ReadUuid(detail, "destination_bank_id", true, &out->destination_bank_id, error) ||
      !ReadString(detail, "holder_name", true, &out->holder_name, error)) {
    return false;
  }
  if (!ValidHolderName(out->holder_name)) {
    return Fail(error,
                DataError("INVALID_HOLDER_NAME", "holder_name must have at most 40 characters."));
  }
  if (card != nullptr) {
    out->kind = InstrumentKind::kDebitCard;
    if (out->type != "RECEIVER") {
      return Fail(error, DataError("INVALID_TYPE", "Debit card instruments must be RECEIVER."));
    }
    if (!ReadString(detail, "card_number", true, &out->card_number, error)) return false;
    if (!IsAllDigits(out->card_number) ||
        (out->card_number.size() != 15 && out->card_number.size() != 16)) {
      return Fail(error,
                  DataError("INVALID_CARD_NUMBER", "card_number must have 15 or 16 digits."));
    }
    return true;
  }
  out->kind = InstrumentKind::kClabe;
  if (!ReadString(detail, "clabe_number", true, &out->clabe, error) ||
      !ReadString(detail, "account_number", false, &out->account_number, error)) {
    return false;
  }
  if (!IsValidClabe(out->clabe)) {
    return Fail(error, DataError("INVALID_CLABE",
                                 "clabe_number must be 18 digits with a valid check digit."));
  }
  if (!out->account_number.empty() && !IsAllDigits(out->account_number)) {
    return Fail(error, DataError("INVALID_ACCOUNT_NUMBER", "account_number must be numeric."));
  }
  return true;
}

bool ParsePrivateAccount(absl::string_view body, PrivateAccountRequest* out, MonatoError* error) {
  boost::json::object object;
  return ParseBody(body, &object, error) &&
         ReadUuid(object, "bank_id", true, &out->bank_id, error) &&
         ReadUuid(object, "owner_id", true, &out->owner_id, error) &&
         ReadUuid(object, "client_bank_adapter_id", true, &out->client_bank_adapter_id, error) &&
         ReadUuid(object, "client_id", true, &out->client_id, error) &&
         ReadUuid(object, "account_id", true, &out->account_id, error);
}

bool ParseRefund(absl::string_view body, RefundRequest* out, MonatoError* error) {
  boost::json::object object;
  if (!ParseBody(body, &object, error) || !ReadAmount(object, &out->amount_cents, error) ||
      !ReadString(object, "description", false, &out->description, error)) {
    return false;
  }
  if (Utf8Length(out->description) >= kDescriptionLimit) {
    return Fail(error, DataError("INVALID_DESCRIPTION",
                                 "Description must have less than 40 characters length."));
  }
  return true;
}

bool ParseWebhookRegistration(absl::string_view body, WebhookRequest* out, MonatoError* error) {
  boost::json::object object;
  if (!ParseBody(body, &object, error) ||
      !ReadUuid(object, "client_id", true, &out->client_id, error) ||
      !ReadString(object, "url", true, &out->url, error) ||
      !ReadString(object, "token", true, &out->token, error) ||
      !ReadString(object, "webhook_type", true, &out->webhook_type, error) ||
      !ReadString(object, "auth_type", false, &out->auth_type, error)) {
    return false;
  }
  if (!ParseUrl(out->url)) {
    return Fail(error, DataError("INVALID_URL", "url must be an http(s) URL."));
  }
  if (out->webhook_type != "MONEY_IN" && out->webhook_type != "STATUS_UPDATE" &&
      out->webhook_type != "CEP") {
    return Fail(error, DataError("INVALID_WEBHOOK_TYPE",
                                 "webhook_type must be MONEY_IN, STATUS_UPDATE or CEP."));
  }
  if (out->auth_type.empty()) out->auth_type = "AUTH";
  return true;
}

}  // namespace sandbox
