#include "providers/monato/monato_messages.h"

#include <boost/json/serialize.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "providers/common/json_fields.h"
#include "providers/monato/monato_time.h"
#include "vocabulary/money.h"
#include "vocabulary/proto_time.h"
#include "vocabulary/resource_id.h"
#include "vocabulary/status_macros.h"

namespace providers::monato {
namespace {

using boost::json::object;

constexpr int kMxnExponent = 2;

void SetTimestamp(absl::string_view text, google::protobuf::Timestamp* out) {
  if (auto when = ParseMonatoTime(text)) {
    *out = gateway::TimestampOf(*when);
  }
}

std::string ShortText(absl::string_view text) { return std::string(text.substr(0, 200)); }

}  // namespace

std::string MoneyOutBody(absl::string_view client_id, absl::string_view source_instrument_id,
                         absl::string_view destination_instrument_id, const PayoutOrder& order) {
  const auto& request = order.request;
  object transaction{
      {"external_reference", absl::StrCat(request.numeric_reference())},
      {"description", request.description()},
      {"amount", gateway::MinorUnitsToDecimal(request.amount().amount_minor(), kMxnExponent)},
      {"currency", request.amount().currency()}};
  object body{
      {"client_id", boost::json::string_view(client_id.data(), client_id.size())},
      {"source_instrument_id",
       boost::json::string_view(source_instrument_id.data(), source_instrument_id.size())},
      {"destination_instrument_id", boost::json::string_view(destination_instrument_id.data(),
                                                             destination_instrument_id.size())},
      {"transaction_request", std::move(transaction)}};
  return boost::json::serialize(body);
}

std::string InstrumentBody(absl::string_view client_id, absl::string_view source_bank_id,
                           absl::string_view destination_bank_id,
                           const payments::v1::Counterparty& counterparty,
                           absl::string_view alias) {
  object body{{"source_bank_id", std::string(source_bank_id)},
              {"client_id", std::string(client_id)},
              {"type", "RECEIVER"},
              {"rfc", counterparty.rfc().empty() ? "ND" : counterparty.rfc()},
              {"alias", std::string(alias)}};
  if (counterparty.has_debit_card()) {
    body["debit_card"] = object{{"destination_bank_id", std::string(destination_bank_id)},
                                {"card_number", counterparty.debit_card()},
                                {"holder_name", counterparty.holder_name()}};
  } else {
    // Account number: the 11 digits + check digit after bank code and plaza (clipped, so a
    // CLABE that skipped validation gives a body Monato refuses, not an exception).
    body["virtual_clabe"] =
        object{{"destination_bank_id", std::string(destination_bank_id)},
               {"account_number", std::string(absl::ClippedSubstr(counterparty.clabe(), 6))},
               {"clabe_number", counterparty.clabe()},
               {"holder_name", counterparty.holder_name()}};
  }
  return boost::json::serialize(body);
}

std::string RefundBody(int64_t amount_minor, absl::string_view description) {
  return boost::json::serialize(
      object{{"amount", gateway::MinorUnitsToDecimal(amount_minor, kMxnExponent)},
             {"description", std::string(description)}});
}

payments::v1::PayoutStatus MapTransactionStatus(absl::string_view monato_status) {
  const std::string status = absl::AsciiStrToUpper(monato_status);
  if (status == "INITIALIZED" || status == "PENDING" || status == "DELAYED" ||
      status == "IN_PROGRESS") {
    return payments::v1::PAYOUT_STATUS_PENDING;
  }
  if (status == "LIQUIDATED" || status == "COMPLETED") return payments::v1::PAYOUT_STATUS_SUCCEEDED;
  if (status == "REJECTED") return payments::v1::PAYOUT_STATUS_REJECTED;
  if (status == "REFUNDED") return payments::v1::PAYOUT_STATUS_RETURNED;
  if (status == "FAILED" || status == "CANCELLED" || status == "CANCELED") {
    return payments::v1::PAYOUT_STATUS_FAILED;
  }
  return payments::v1::PAYOUT_STATUS_UNKNOWN;
}

absl::StatusOr<payments::v1::Payout> ParseTransaction(const object& transaction) {
  auto id = OptionalString(transaction, "id");
  if (!id) return absl::InvalidArgumentError("Monato transaction has no id");
  auto status = OptionalString(transaction, "transactionStatus");
  if (!status) status = OptionalString(transaction, "status");
  if (!status) return absl::InvalidArgumentError("Monato transaction has no status");
  ASSIGN_OR_RETURN(auto amount, DecimalAmountField(transaction, "amount", kMxnExponent));

  payments::v1::Payout payout;
  payout.set_id(
      gateway::ResourceId{payments::v1::PROVIDER_MONATO, std::string(gateway::kind::kPayout), *id}
          .ToString());
  payout.set_provider(payments::v1::PROVIDER_MONATO);
  payout.set_provider_payout_id(*id);
  payout.set_provider_status(*status);
  payout.set_status(MapTransactionStatus(*status));
  payout.mutable_amount()->set_amount_minor(amount);
  payout.mutable_amount()->set_currency(StringOr(transaction, "currency", "MXN"));
  payout.set_description(StringOr(transaction, "description"));
  uint32_t reference = 0;
  if (absl::SimpleAtoi(StringOr(transaction, "externalReference"), &reference)) {
    payout.set_numeric_reference(reference);
  }
  payout.set_tracking_key(StringOr(transaction, "trackingId"));
  payout.set_status_reason(StringOr(transaction, "reason"));
  if (const object* audit = OptionalObject(transaction, "audit")) {
    SetTimestamp(StringOr(*audit, "createdAt"), payout.mutable_create_time());
    SetTimestamp(StringOr(*audit, "updatedAt"), payout.mutable_update_time());
  }
  return payout;
}

absl::StatusOr<payments::v1::Refund> ParseRefund(const object& transaction,
                                                 const std::string& original_transaction_id) {
  ASSIGN_OR_RETURN(auto payout, ParseTransaction(transaction));
  payments::v1::Refund refund;
  refund.set_id(gateway::ResourceId{payments::v1::PROVIDER_MONATO,
                                    std::string(gateway::kind::kRefund),
                                    payout.provider_payout_id()}
                    .ToString());
  refund.set_provider(payments::v1::PROVIDER_MONATO);
  refund.set_transaction_id(original_transaction_id);
  *refund.mutable_amount() = payout.amount();
  refund.set_status(payout.status());
  refund.set_provider_status(payout.provider_status());
  refund.set_tracking_key(payout.tracking_key());
  *refund.mutable_create_time() = payout.create_time();
  return refund;
}

absl::StatusOr<payments::v1::Account> ParseAccount(const object& account) {
  auto id = OptionalString(account, "id");
  if (!id) return absl::InvalidArgumentError("Monato account has no id");
  payments::v1::Account out;
  out.set_id(
      gateway::ResourceId{payments::v1::PROVIDER_MONATO, std::string(gateway::kind::kAccount), *id}
          .ToString());
  out.set_provider(payments::v1::PROVIDER_MONATO);
  const std::string type = StringOr(account, "accountType");
  out.set_kind(type == "PRIVATE_ACCOUNT" ? payments::v1::ACCOUNT_KIND_PRIVATE
                                         : payments::v1::ACCOUNT_KIND_MAIN);
  out.set_clabe(StringOr(account, "clabeNumber"));
  out.set_account_number(StringOr(account, "accountNumber"));
  out.set_status(StringOr(account, "accountStatus"));
  out.set_description(StringOr(account, "alias"));
  if (OptionalString(account, "availableBalance")) {
    ASSIGN_OR_RETURN(auto balance, DecimalAmountField(account, "availableBalance", kMxnExponent));
    out.mutable_available_balance()->set_amount_minor(balance);
  }
  out.mutable_available_balance()->set_currency("MXN");
  return out;
}

absl::StatusOr<MonatoBank> ParseBank(const object& bank) {
  MonatoBank out;
  out.id = StringOr(bank, "id", StringOr(bank, "bank_id"));
  if (out.id.empty()) return absl::InvalidArgumentError("Monato bank has no id");
  out.name = StringOr(bank, "name");
  for (const char* key : {"banxico_code", "code", "bank_code", "spei_code"}) {
    std::string code = StringOr(bank, key);
    if (code.size() == 5 || code == "2001") {
      out.banxico_code = code;
      break;
    }
  }
  return out;
}

absl::StatusOr<MonatoInstrument> ParseInstrument(const object& instrument) {
  MonatoInstrument out;
  out.id = StringOr(instrument, "id");
  if (out.id.empty()) return absl::InvalidArgumentError("Monato instrument has no id");
  if (const object* detail = OptionalObject(instrument, "instrumentDetail")) {
    out.account_number = StringOr(*detail, "clabeNumber", StringOr(*detail, "cardNumber"));
    out.holder_name = StringOr(*detail, "holderName");
  }
  return out;
}

bool MonatoPage::HasNext() const {
  if (total_items >= 0 && per_page > 0) return page * per_page < total_items;
  return per_page > 0 && static_cast<int64_t>(items.size()) >= per_page;
}

absl::StatusOr<MonatoPage> ParsePage(absl::string_view body, absl::string_view items_key) {
  auto envelope = ParseJsonObject(body);
  if (!envelope.ok()) return absl::DataLossError("Monato list reply is not a JSON object");
  MonatoPage page;
  const boost::json::value* items =
      envelope->if_contains(boost::json::string_view(items_key.data(), items_key.size()));
  if (items == nullptr || !items->is_array()) {
    return absl::DataLossError(absl::StrCat("Monato list reply has no \"", items_key, "\" array"));
  }
  for (const auto& item : items->as_array()) {
    if (item.is_object()) page.items.push_back(item.as_object());
  }
  page.page =
      OptionalInt(*envelope, "currentPage").value_or(OptionalInt(*envelope, "page").value_or(1));
  page.per_page =
      OptionalInt(*envelope, "perPage").value_or(OptionalInt(*envelope, "page_size").value_or(0));
  // Three spellings of the same total across endpoints (docs/providers/monato.md#pagination).
  page.total_items =
      OptionalInt(*envelope, "totalItems")
          .value_or(OptionalInt(*envelope, "totalItem")
                        .value_or(OptionalInt(*envelope, "total_banks").value_or(-1)));
  // Counters beyond any real listing are an unreadable reply, not a page to follow; the bounds
  // also keep page * per_page (HasNext) and page + 1 (the next-page token) inside int64.
  constexpr int64_t kMaxPage = 1000000;
  constexpr int64_t kMaxPerPage = 100000;
  if (page.page < 1 || page.page > kMaxPage || page.per_page < 0 || page.per_page > kMaxPerPage ||
      page.total_items < -1) {
    return absl::DataLossError("Monato list reply has page counters outside any real listing");
  }
  return page;
}

absl::Status ErrorFromReply(int http_status, absl::string_view body) {
  std::string message;
  std::string classes;  // every textual code we can find, to search for known ones
  auto error = ParseJsonObject(body);
  if (error.ok()) {
    message = StringOr(*error, "message");
    absl::StrAppend(&classes, " ", StringOr(*error, "code"), " ", StringOr(*error, "error"));
    if (const auto* details = error->if_contains("details");
        details != nullptr && details->is_array() && !details->as_array().empty() &&
        details->as_array()[0].is_object()) {
      const object& first = details->as_array()[0].as_object();
      absl::StrAppend(&classes, " ", StringOr(first, "reason"));
      if (const object* metadata = OptionalObject(first, "metadata")) {
        absl::StrAppend(&classes, " ", StringOr(*metadata, "error_code"));
        if (message.empty()) message = StringOr(*metadata, "error_detail");
      }
    }
    absl::StrAppend(&classes, " ", message);
  } else {
    message = body.empty() ? "empty body" : "a body that is not JSON";
  }
  const std::string text =
      absl::StrCat("Monato answered HTTP ", http_status, ": ", ShortText(message));
  if (absl::StrContains(classes, "operation_in_progress")) {
    return absl::AbortedError(
        absl::StrCat(text, " (the same payout is still being processed; retry later)"));
  }
  // Monato's own error class outranks the HTTP status: it answers some state problems
  // (insufficient funds) with 400 and a FAILED_PRECONDITION class.
  if (absl::StrContains(classes, "FAILED_PRECONDITION")) {
    return absl::FailedPreconditionError(text);
  }
  if (http_status == 400 || absl::StrContains(classes, "DATA_ERROR")) {
    return absl::InvalidArgumentError(text);
  }
  switch (http_status) {
    case 401:
      return absl::UnauthenticatedError(text);
    case 403:
      return absl::PermissionDeniedError(text);
    case 404:
      return absl::NotFoundError(text);
    case 409:
    case 422:
      return absl::FailedPreconditionError(text);
    case 429:
      return absl::ResourceExhaustedError(text);
    default:
      break;
  }
  if (http_status >= 500) return absl::UnavailableError(text);
  return absl::UnknownError(text);
}

absl::Status MissingEndpoint(absl::string_view endpoint, int http_status) {
  return absl::FailedPreconditionError(
      absl::StrCat("Monato does not serve ", endpoint, " (HTTP ", http_status,
                   "), which the gateway relies on; see docs/providers/monato.md"));
}

}  // namespace providers::monato
