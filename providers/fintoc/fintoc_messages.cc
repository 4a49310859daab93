#include "providers/fintoc/fintoc_messages.h"

#include <algorithm>
#include <map>

#include <boost/json/serialize.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "providers/common/json_fields.h"
#include "vocabulary/error_details.h"
#include "vocabulary/proto_time.h"
#include "vocabulary/resource_id.h"
#include "vocabulary/status_macros.h"

namespace providers::fintoc {
namespace {

using boost::json::object;

std::string GatewayId(absl::string_view kind, absl::string_view native_id) {
  return gateway::ResourceId{payments::v1::PROVIDER_FINTOC, std::string(kind),
                             std::string(native_id)}
      .ToString();
}

boost::json::string_view Json(absl::string_view text) {
  return boost::json::string_view(text.data(), text.size());
}

// Protobuf maps iterate in no fixed order; the body must be the same bytes every time.
object SortedMetadata(const google::protobuf::Map<std::string, std::string>& metadata) {
  const std::map<std::string, std::string> sorted(metadata.begin(), metadata.end());
  object out;
  for (const auto& [key, value] : sorted) out[key] = value;
  return out;
}

void SetTimestamp(absl::string_view text, google::protobuf::Timestamp* out) {
  absl::Time when;
  std::string error;
  if (!text.empty() && absl::ParseTime(absl::RFC3339_full, text, &when, &error)) {
    *out = gateway::TimestampOf(when);
  }
}

bool AllDigits(absl::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return absl::ascii_isdigit(c); });
}

// The other side of a transfer, as far as the reply tells it.
void ParseCounterparty(const object& counterparty, payments::v1::Counterparty* out) {
  const std::string number = StringOr(counterparty, "account_number");
  if (number.size() == 18) {
    out->set_clabe(number);
  } else if (!number.empty()) {
    out->set_debit_card(number);
  }
  if (const object* institution = OptionalObject(counterparty, "institution")) {
    // Recorded replies carry the Banxico code ("90735"); doc examples "mx_banco_bbva".
    const std::string id = StringOr(*institution, "id");
    if (id.size() == 5 && AllDigits(id)) out->set_institution_code(id);
  }
  out->set_holder_name(StringOr(counterparty, "holder_name"));
  out->set_rfc(StringOr(counterparty, "holder_id"));
}

}  // namespace

std::string TransferBody(const PayoutOrder& order, absl::string_view source_account_id) {
  const auto& request = order.request;
  object counterparty;
  if (request.counterparty().has_debit_card()) {
    counterparty["account_number"] = request.counterparty().debit_card();
    counterparty["institution_id"] = request.counterparty().institution_code();
    counterparty["account_type"] = "debit_card";
  } else {
    counterparty["account_number"] = request.counterparty().clabe();
  }
  object body;
  body["amount"] = request.amount().amount_minor();
  body["currency"] = absl::AsciiStrToUpper(request.amount().currency());
  body["account_id"] = Json(source_account_id);
  if (!request.description().empty()) body["comment"] = request.description();
  if (request.numeric_reference() > 0) {
    body["reference_id"] = absl::StrCat(request.numeric_reference());
  }
  body["counterparty"] = std::move(counterparty);
  if (!request.metadata().empty()) body["metadata"] = SortedMetadata(request.metadata());
  return boost::json::serialize(body);
}

std::string ReturnBody(absl::string_view transfer_id) {
  return boost::json::serialize(object{{"transfer_id", Json(transfer_id)}});
}

std::string AccountNumberBody(absl::string_view account_id, absl::string_view description,
                              const google::protobuf::Map<std::string, std::string>& metadata) {
  object body;
  body["account_id"] = Json(account_id);
  if (!description.empty()) body["description"] = Json(description);
  body["metadata"] = SortedMetadata(metadata);
  return boost::json::serialize(body);
}

payments::v1::PayoutStatus MapTransferStatus(absl::string_view fintoc_status) {
  const std::string status = absl::AsciiStrToLower(fintoc_status);
  if (status == "pending" || status == "return_pending") {
    return payments::v1::PAYOUT_STATUS_PENDING;
  }
  if (status == "succeeded") return payments::v1::PAYOUT_STATUS_SUCCEEDED;
  if (status == "failed") return payments::v1::PAYOUT_STATUS_FAILED;
  if (status == "rejected") return payments::v1::PAYOUT_STATUS_REJECTED;
  if (status == "returned") return payments::v1::PAYOUT_STATUS_RETURNED;
  return payments::v1::PAYOUT_STATUS_UNKNOWN;
}

absl::StatusOr<payments::v1::Payout> ParseTransfer(const object& transfer) {
  auto id = OptionalString(transfer, "id");
  if (!id) return absl::InvalidArgumentError("Fintoc transfer has no id");
  auto status = OptionalString(transfer, "status");
  if (!status) return absl::InvalidArgumentError("Fintoc transfer has no status");
  ASSIGN_OR_RETURN(auto amount, MinorUnitsField(transfer, "amount"));

  payments::v1::Payout payout;
  payout.set_id(GatewayId(gateway::kind::kPayout, *id));
  payout.set_provider(payments::v1::PROVIDER_FINTOC);
  payout.set_provider_payout_id(*id);
  payout.set_provider_status(*status);
  payout.set_status(MapTransferStatus(*status));
  payout.mutable_amount()->set_amount_minor(amount);
  payout.mutable_amount()->set_currency(absl::AsciiStrToUpper(StringOr(transfer, "currency")));
  payout.set_description(StringOr(transfer, "comment"));
  uint32_t reference = 0;
  if (absl::SimpleAtoi(StringOr(transfer, "reference_id"), &reference)) {
    payout.set_numeric_reference(reference);
  }
  payout.set_tracking_key(StringOr(transfer, "tracking_key"));
  payout.set_status_reason(StringOr(transfer, "return_reason"));
  if (const object* counterparty = OptionalObject(transfer, "counterparty")) {
    ParseCounterparty(*counterparty, payout.mutable_counterparty());
  }
  // For an outbound transfer, account_number is the sending account's root account number.
  if (StringOr(transfer, "direction", "outbound") == "outbound") {
    if (const object* sender = OptionalObject(transfer, "account_number")) {
      if (auto account = OptionalString(*sender, "account_id")) {
        payout.set_source_account_id(GatewayId(gateway::kind::kAccount, *account));
      }
    }
  }
  if (const object* metadata = OptionalObject(transfer, "metadata")) {
    for (const auto& [key, value] : *metadata) {
      if (value.is_string()) {
        (*payout.mutable_metadata())[std::string(key)] = std::string(value.as_string());
      }
    }
  }
  SetTimestamp(StringOr(transfer, "transaction_date"), payout.mutable_create_time());
  return payout;
}

absl::Status CheckReturnable(const object& transfer, const payments::v1::Money& requested) {
  if (StringOr(transfer, "direction") != "inbound") {
    return gateway::InvalidField("transaction_id",
                                 "is not a received (inbound) Fintoc transfer; only received "
                                 "transfers can be returned");
  }
  auto amount = MinorUnitsField(transfer, "amount");
  if (!amount.ok()) {
    return absl::UnavailableError("Fintoc's transfer has no exact integer amount");
  }
  const std::string currency = absl::AsciiStrToUpper(StringOr(transfer, "currency"));
  if (!currency.empty() && currency != requested.currency()) {
    return gateway::InvalidField("amount.currency",
                                 absl::StrCat("must be the received currency, ", currency));
  }
  if (*amount != requested.amount_minor()) {
    return gateway::InvalidField("amount.amount_minor",
                                 absl::StrCat("must equal the received amount, ", *amount,
                                              " (Fintoc returns only whole transfers)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<payments::v1::Refund> ParseReturn(const object& transfer,
                                                 const std::string& transaction_id) {
  ASSIGN_OR_RETURN(auto parsed, ParseTransfer(transfer));
  payments::v1::Refund refund;
  // A Fintoc return is an operation on the received transfer, not a transfer of its own.
  refund.set_id(GatewayId(gateway::kind::kRefund, parsed.provider_payout_id()));
  refund.set_provider(payments::v1::PROVIDER_FINTOC);
  refund.set_transaction_id(transaction_id);
  *refund.mutable_amount() = parsed.amount();
  refund.set_provider_status(parsed.provider_status());
  const std::string status = absl::AsciiStrToLower(parsed.provider_status());
  if (status == "return_pending") {
    refund.set_status(payments::v1::PAYOUT_STATUS_PENDING);
  } else if (status == "returned") {
    refund.set_status(payments::v1::PAYOUT_STATUS_SUCCEEDED);  // the money went back
  } else {
    refund.set_status(payments::v1::PAYOUT_STATUS_UNKNOWN);
  }
  // tracking_key is left empty: the reply's is the received transfer's, not the return's.
  *refund.mutable_create_time() = parsed.create_time();
  return refund;
}

absl::StatusOr<payments::v1::Account> ParseAccount(const object& account) {
  auto id = OptionalString(account, "id");
  if (!id) return absl::InvalidArgumentError("Fintoc account has no id");
  payments::v1::Account out;
  out.set_id(GatewayId(gateway::kind::kAccount, *id));
  out.set_provider(payments::v1::PROVIDER_FINTOC);
  out.set_kind(payments::v1::ACCOUNT_KIND_MAIN);
  out.set_clabe(StringOr(account, "root_account_number"));
  out.set_status(StringOr(account, "status"));
  out.set_description(StringOr(account, "description"));
  if (account.contains("available_balance")) {
    ASSIGN_OR_RETURN(auto balance, MinorUnitsField(account, "available_balance"));
    out.mutable_available_balance()->set_amount_minor(balance);
  }
  out.mutable_available_balance()->set_currency(
      absl::AsciiStrToUpper(StringOr(account, "currency", "MXN")));
  return out;
}

absl::StatusOr<payments::v1::Account> ParseAccountNumber(const object& account_number) {
  auto id = OptionalString(account_number, "id");
  if (!id) return absl::InvalidArgumentError("Fintoc account number has no id");
  payments::v1::Account out;
  out.set_id(GatewayId(gateway::kind::kAccount, *id));
  out.set_provider(payments::v1::PROVIDER_FINTOC);
  out.set_kind(payments::v1::ACCOUNT_KIND_ACCOUNT_NUMBER);
  out.set_clabe(StringOr(account_number, "number"));
  out.set_status(StringOr(account_number, "status"));
  out.set_description(StringOr(account_number, "description"));
  if (auto parent = OptionalString(account_number, "account_id")) {
    out.set_parent_account_id(GatewayId(gateway::kind::kAccount, *parent));
  }
  // An account number holds no balance of its own (Mexico only: MXN).
  out.mutable_available_balance()->set_currency("MXN");
  return out;
}

absl::StatusOr<std::vector<object>> ParseList(absl::string_view body) {
  auto value = ParseJson(body);
  if (!value.ok()) return absl::InvalidArgumentError("Fintoc list reply is not JSON");
  if (!value->is_array()) return absl::InvalidArgumentError("Fintoc list reply is not an array");
  std::vector<object> items;
  for (const auto& item : value->as_array()) {
    if (!item.is_object()) {
      return absl::InvalidArgumentError("Fintoc list reply has an item that is not an object");
    }
    items.push_back(item.as_object());
  }
  return items;
}

std::string ParseLinkNext(absl::string_view link_header) {
  absl::string_view rest = absl::StripAsciiWhitespace(link_header);
  while (!rest.empty()) {
    // One link-value: "<url>" then ";"-separated parameters, up to a ',' outside the <...>.
    rest = absl::StripLeadingAsciiWhitespace(rest);
    if (!absl::ConsumePrefix(&rest, "<")) {
      const size_t comma = rest.find(',');
      if (comma == absl::string_view::npos) break;
      rest.remove_prefix(comma + 1);
      continue;
    }
    size_t url_end = rest.find('>');
    size_t params_start = url_end + 1;
    if (url_end == absl::string_view::npos) {
      // A link missing its '>' (as in one Fintoc doc example): the URL ends at the ';'.
      url_end = rest.find(';');
      if (url_end == absl::string_view::npos) break;
      params_start = url_end;
    }
    const absl::string_view url = absl::StripAsciiWhitespace(rest.substr(0, url_end));
    rest.remove_prefix(params_start);
    const size_t comma = rest.find(',');
    absl::string_view params = rest.substr(0, comma);
    rest = comma == absl::string_view::npos ? absl::string_view() : rest.substr(comma + 1);

    while (!params.empty()) {
      const size_t semicolon = params.find(';');
      absl::string_view param = absl::StripAsciiWhitespace(params.substr(0, semicolon));
      params =
          semicolon == absl::string_view::npos ? absl::string_view() : params.substr(semicolon + 1);
      const size_t equals = param.find('=');
      if (equals == absl::string_view::npos) continue;
      if (!absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(param.substr(0, equals)), "rel")) {
        continue;
      }
      absl::string_view value = absl::StripAsciiWhitespace(param.substr(equals + 1));
      absl::ConsumePrefix(&value, "\"");
      absl::ConsumeSuffix(&value, "\"");
      // rel may hold several space-separated relation types.
      for (absl::string_view relation : absl::StrSplit(value, ' ', absl::SkipEmpty())) {
        if (absl::EqualsIgnoreCase(relation, "next") && !url.empty()) return std::string(url);
      }
    }
  }
  return "";
}

}  // namespace providers::fintoc
