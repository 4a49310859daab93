// Fintoc's error replies (docs/providers/fintoc.md#errors) into precise statuses. Fintoc's own SDKs
// branch on error.code (Ruby) or error.type (Python), never on the message, and so does this.
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "providers/common/json_fields.h"
#include "providers/fintoc/fintoc_messages.h"
#include "vocabulary/error_details.h"

namespace providers::fintoc {
namespace {

using boost::json::object;

constexpr size_t kMaxMessage = 200;

struct FintocError {
  std::string type;
  std::string code;
  std::string message;
  std::string param;
};

// Fintoc's secret keys must never travel on in a message, even if an error echoes one.
std::string RedactSecretKeys(absl::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i, 8) == "sk_live_" || text.substr(i, 8) == "sk_test_") {
      out.append("sk_***");
      i += 8;
      while (i < text.size() &&
             (absl::ascii_isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_')) {
        ++i;
      }
      continue;
    }
    out.push_back(text[i++]);
  }
  return out;
}

std::string Short(absl::string_view text) { return RedactSecretKeys(text.substr(0, kMaxMessage)); }

// "jws_nonce_already_used" -> "FINTOC_JWS_NONCE_ALREADY_USED"; only [A-Z0-9_] survive.
std::string Reason(absl::string_view code, int http_status) {
  std::string reason = "FINTOC_";
  if (code.empty()) return absl::StrCat(reason, "HTTP_", http_status);
  for (char c : code.substr(0, 64)) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_') {
      reason.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
    }
  }
  return reason;
}

// The request field a 400 is about: by Fintoc's param, else by its code. "" when unknown.
std::string GatewayField(absl::string_view param, absl::string_view code) {
  static const auto* const kByParam = new std::map<std::string, std::string, std::less<>>{
      {"amount", "amount.amount_minor"},
      {"currency", "amount.currency"},
      {"comment", "description"},
      {"description", "description"},
      {"reference_id", "numeric_reference"},
      {"metadata", "metadata"},
      {"account_id", "source_account_id"},
      {"transfer_id", "transaction_id"},
      {"counterparty", "counterparty"},
      {"counterparty.account_number", "counterparty"},
      {"counterparty[account_number]", "counterparty"},
      {"counterparty.institution_id", "counterparty.institution_code"},
      {"counterparty[institution_id]", "counterparty.institution_code"},
  };
  static const auto* const kByCode = new std::map<std::string, std::string, std::less<>>{
      {"invalid_amount", "amount.amount_minor"},
      {"invalid_currency", "amount.currency"},
      {"currency_mismatch", "amount.currency"},
      {"invalid_comment_size", "description"},
      {"invalid_reference_id_size", "numeric_reference"},
      {"invalid_account_number", "counterparty"},
      {"invalid_clabe", "counterparty"},
      {"invalid_institution_id", "counterparty.institution_code"},
  };
  if (auto it = kByParam->find(param); it != kByParam->end()) return it->second;
  if (absl::StartsWith(param, "metadata")) return "metadata";
  if (auto it = kByCode->find(code); it != kByCode->end()) return it->second;
  return "";
}

// What a JWS refusal most likely means, for whoever reads the error.
absl::string_view JwsHint(absl::string_view code) {
  if (code == "jws_nonce_already_used") return "; a signature was sent twice";
  if (absl::StrContains(code, "timestamp") || code == "invalid_jws_ts") {
    return "; the signature's ts was refused: check this host's clock (NTP)";
  }
  if (absl::StrContains(code, "jws")) {
    return "; the request signature was refused: check the JWS public key registered with "
           "Fintoc";
  }
  return "";
}

absl::StatusCode CodeFor(int http_status, absl::string_view code) {
  if (code == "rate_limit_exceeded") return absl::StatusCode::kResourceExhausted;
  if (code == "insufficient_balance") return absl::StatusCode::kFailedPrecondition;
  switch (http_status) {
    case 400:
      return absl::StatusCode::kInvalidArgument;
    case 401:
      return absl::StatusCode::kUnauthenticated;
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 404:
      return absl::StatusCode::kNotFound;
    case 409:
    case 422:
      return absl::StatusCode::kFailedPrecondition;
    case 429:
      return absl::StatusCode::kResourceExhausted;
    default:
      break;
  }
  return http_status >= 500 ? absl::StatusCode::kUnavailable : absl::StatusCode::kUnknown;
}

}  // namespace

absl::Status ErrorFromReply(int http_status, absl::string_view body) {
  FintocError error;
  std::string description;
  if (auto reply = ParseJsonObject(body); reply.ok()) {
    const object* inner = OptionalObject(*reply, "error");
    const object& fields = inner != nullptr ? *inner : *reply;
    error.type = Short(StringOr(fields, "type"));
    error.code = Short(StringOr(fields, "code"));
    error.message = Short(StringOr(fields, "message"));
    error.param = Short(StringOr(fields, "param"));
  } else {
    description = body.empty()
                      ? " with an empty body"
                      : absl::StrCat(" with a body that is not JSON (", body.size(), " bytes)");
  }
  std::string message = absl::StrCat("Fintoc answered HTTP ", http_status);
  if (!error.code.empty()) absl::StrAppend(&message, " ", error.code);
  absl::StrAppend(&message, description);
  if (!error.message.empty()) absl::StrAppend(&message, ": ", error.message);
  if (!error.param.empty()) absl::StrAppend(&message, " (param ", error.param, ")");
  absl::StrAppend(&message, JwsHint(error.code));

  const absl::StatusCode code = CodeFor(http_status, error.code);
  absl::Status status(code, message);
  if (code == absl::StatusCode::kInvalidArgument) {
    if (const std::string field = GatewayField(error.param, error.code); !field.empty()) {
      status = gateway::InvalidField(field, message);
    }
  }
  std::map<std::string, std::string> metadata{{"http_status", absl::StrCat(http_status)}};
  if (!error.type.empty()) metadata["fintoc_type"] = error.type;
  if (!error.code.empty()) metadata["fintoc_code"] = error.code;
  if (!error.param.empty()) metadata["fintoc_param"] = error.param;
  return gateway::WithReason(std::move(status), Reason(error.code, http_status), metadata);
}

}  // namespace providers::fintoc
