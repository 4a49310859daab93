#include "sandbox/fintoc/fintoc_requests.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "sandbox/common/clabe.h"
#include "sandbox/common/json_util.h"
#include "sandbox/common/spei_banks.h"
#include "sandbox/common/text.h"

namespace sandbox {
namespace {

constexpr size_t kMaxComment = 40;

bool Fail(FintocError* error, FintocError value) {
  *error = std::move(value);
  return false;
}

bool ParseBody(absl::string_view body, boost::json::object* object, FintocError* error) {
  absl::optional<boost::json::object> parsed = ParseJsonObject(body);
  if (!parsed)
    return Fail(error, InvalidRequest("invalid_json", "The body must be a JSON object."));
  *object = std::move(*parsed);
  return true;
}

// A string member. Absent or null: "" (an error when `required`).
bool ReadString(const boost::json::object& object, const char* key, const char* param,
                bool required, std::string* out, bool* present, FintocError* error) {
  const boost::json::value* value = JsonMember(object, key);
  if (value == nullptr || value->is_null()) {
    if (present != nullptr) *present = false;
    if (!required) return true;
    return Fail(error, InvalidRequest("missing_parameter",
                                      absl::StrCat("Missing required param: ", param, "."), param));
  }
  if (!value->is_string()) {
    return Fail(error, InvalidRequest("invalid_parameter",
                                      absl::StrCat(param, " must be a string."), param));
  }
  *out = std::string(value->as_string());
  if (present != nullptr) *present = true;
  return true;
}

bool ReadAmount(const boost::json::object& object, int64_t* amount, FintocError* error) {
  const boost::json::value* value = JsonMember(object, "amount");
  if (value == nullptr || value->is_null()) {
    return Fail(error,
                InvalidRequest("missing_parameter", "Missing required param: amount.", "amount"));
  }
  // Integer minor units only: 590.13 or "59013" are not amounts.
  if (!value->is_int64() || value->as_int64() < 1) {
    return Fail(error, InvalidRequest("invalid_amount",
                                      "amount must be an integer in the currency's minor unit, "
                                      "at least 1.",
                                      "amount"));
  }
  *amount = value->as_int64();
  return true;
}

bool ReadCurrency(const boost::json::object& object, bool required, std::string* currency,
                  FintocError* error) {
  if (!ReadString(object, "currency", "currency", required, currency, nullptr, error)) return false;
  if (currency->empty() && !required) return true;
  *currency = absl::AsciiStrToUpper(*currency);
  if (*currency != "MXN" && *currency != "CLP") {
    return Fail(error,
                InvalidRequest("invalid_currency", "currency must be MXN or CLP.", "currency"));
  }
  return true;
}

bool ReadMetadata(const boost::json::object& object, boost::json::object* metadata,
                  FintocError* error) {
  const boost::json::value* value = JsonMember(object, "metadata");
  if (value == nullptr || value->is_null()) return true;
  if (!value->is_object()) {
    return Fail(error,
                InvalidRequest("invalid_metadata", "metadata must be an object.", "metadata"));
  }
  *metadata = value->as_object();
  return true;
}

bool ReadCounterparty(const boost::json::object& object, FintocCounterparty* out,
                      FintocError* error) {
  const boost::json::object* counterparty = JsonObject(object, "counterparty");
  if (counterparty == nullptr) {
    return Fail(error, InvalidRequest("missing_parameter", "Missing required param: counterparty.",
                                      "counterparty"));
  }
  std::string account_type;
  if (!ReadString(*counterparty, "account_number", "counterparty.account_number", true,
                  &out->account_number, nullptr, error) ||
      !ReadString(*counterparty, "account_type", "counterparty.account_type", false, &account_type,
                  nullptr, error) ||
      !ReadString(*counterparty, "institution_id", "counterparty.institution_id", false,
                  &out->institution_id, nullptr, error) ||
      !ReadString(*counterparty, "holder_id", "counterparty.holder_id", false, &out->holder_id,
                  nullptr, error) ||
      !ReadString(*counterparty, "holder_name", "counterparty.holder_name", false,
                  &out->holder_name, nullptr, error)) {
    return false;
  }
  out->account_type = account_type.empty() ? "clabe" : account_type;
  if (out->account_type == "clabe") {
    // The institution comes from the CLABE (the recorded call sent "40012" for a 735 CLABE
    // and got institution 90735 back).
    const SpeiBank* bank = IsValidClabe(out->account_number)
                               ? FindSpeiBankByClabePrefix(out->account_number.substr(0, 3))
                               : nullptr;
    if (bank == nullptr) {
      return Fail(error, InvalidRequest("invalid_account_number",
                                        "counterparty.account_number is not a valid CLABE.",
                                        "counterparty.account_number"));
    }
    out->institution_id = bank->banxico_code;
    out->institution_name = bank->name;
    return true;
  }
  const size_t digits = out->account_type == "debit_card" ? 16 : 10;
  if (out->account_type != "debit_card" && out->account_type != "mobile_phone") {
    return Fail(error, InvalidRequest("invalid_account_type",
                                      "counterparty.account_type must be clabe, debit_card or "
                                      "mobile_phone.",
                                      "counterparty.account_type"));
  }
  if (!IsAllDigits(out->account_number) || out->account_number.size() != digits) {
    return Fail(error, InvalidRequest("invalid_account_number",
                                      absl::StrCat("counterparty.account_number must have ", digits,
                                                   " digits."),
                                      "counterparty.account_number"));
  }
  const SpeiBank* bank = FindSpeiBankByCode(out->institution_id);
  if (bank == nullptr) {
    return Fail(error, InvalidRequest("invalid_institution_id",
                                      "counterparty.institution_id must be a SPEI participant.",
                                      "counterparty.institution_id"));
  }
  out->institution_name = bank->name;
  return true;
}

}  // namespace

bool ParseTransfer(absl::string_view body, TransferRequest* out, FintocError* error) {
  boost::json::object object;
  if (!ParseBody(body, &object, error) ||
      !ReadString(object, "account_id", "account_id", true, &out->account_id, nullptr, error) ||
      !ReadAmount(object, &out->amount, error) ||
      !ReadCurrency(object, true, &out->currency, error) ||
      !ReadCounterparty(object, &out->counterparty, error) ||
      !ReadString(object, "comment", "comment", false, &out->comment, &out->has_comment, error) ||
      !ReadString(object, "reference_id", "reference_id", false, &out->reference_id,
                  &out->has_reference_id, error) ||
      !ReadMetadata(object, &out->metadata, error)) {
    return false;
  }
  if (Utf8Length(out->comment) > kMaxComment) {
    return Fail(error, InvalidRequest("invalid_comment_size",
                                      "comment must have at most 40 characters.", "comment"));
  }
  if (out->has_reference_id) {
    const std::string& reference = out->reference_id;
    if (reference.empty() || reference.size() > 7) {
      return Fail(error, InvalidRequest("invalid_reference_id_size",
                                        "reference_id must have 1 to 7 digits.", "reference_id"));
    }
    if (!IsAllDigits(reference) || reference[0] == '0') {
      return Fail(error, InvalidRequest("invalid_reference_id",
                                        "reference_id must be digits without a leading zero.",
                                        "reference_id"));
    }
  }
  return true;
}

bool ParseReturn(absl::string_view body, std::string* transfer_id, FintocError* error) {
  boost::json::object object;
  return ParseBody(body, &object, error) &&
         ReadString(object, "transfer_id", "transfer_id", true, transfer_id, nullptr, error);
}

bool ParseReceive(absl::string_view body, bool account_number_required, ReceiveRequest* out,
                  FintocError* error) {
  boost::json::object object;
  return ParseBody(body, &object, error) &&
         ReadString(object, "account_number_id", "account_number_id", account_number_required,
                    &out->account_number_id, nullptr, error) &&
         ReadAmount(object, &out->amount, error) &&
         ReadCurrency(object, account_number_required, &out->currency, error);
}

bool ParseAccountNumber(absl::string_view body, AccountNumberRequest* out, FintocError* error) {
  boost::json::object object;
  return ParseBody(body, &object, error) &&
         ReadString(object, "account_id", "account_id", true, &out->account_id, nullptr, error) &&
         ReadString(object, "description", "description", false, &out->description, nullptr,
                    error) &&
         ReadMetadata(object, &out->metadata, error);
}

bool ParseAccount(absl::string_view body, AccountRequest* out, FintocError* error) {
  boost::json::object object;
  return ParseBody(body, &object, error) &&
         ReadString(object, "entity_id", "entity_id", true, &out->entity_id, nullptr, error) &&
         ReadString(object, "description", "description", false, &out->description, nullptr, error);
}

}  // namespace sandbox
