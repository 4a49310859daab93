#include "providers/stp/stp_messages.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <utility>

#include <boost/json/serialize.hpp>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "providers/common/json_fields.h"
#include "providers/stp/stp_tracking_key.h"
#include "vocabulary/error_details.h"
#include "vocabulary/money.h"
#include "vocabulary/proto_time.h"
#include "vocabulary/status_macros.h"

namespace providers::stp {
namespace {

using boost::json::object;
using boost::json::value;

constexpr int kMxnExponent = 2;
constexpr double kMaxMonto = 1e13;  // far above any SPEI amount; keeps doubles exact to cents

// Members STP reads as JSON numbers (docs/providers/stp.md#registra); monto is written apart.
bool IsNumericMember(Field field) {
  switch (field) {
    case Field::kTipoPago:
    case Field::kTipoCuentaOrdenante:
    case Field::kTipoCuentaBeneficiario:
    case Field::kReferenciaNumerica:
    case Field::kMedioEntrega:
    case Field::kPrioridad:
      return true;
    default:
      return false;
  }
}

// Debian's abseil has its own string_view; Boost.JSON wants its own.
boost::json::string_view Js(absl::string_view text) { return {text.data(), text.size()}; }

bool AllDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

std::string Truncated(absl::string_view text, size_t limit) {
  return std::string(text.substr(0, limit));
}

// A status with reason `reason`; `field`, when given, becomes a field violation too.
absl::Status StpError(absl::StatusCode code, absl::string_view reason, absl::string_view message,
                      absl::string_view field = "") {
  absl::Status status = field.empty() || code != absl::StatusCode::kInvalidArgument
                            ? absl::Status(code, message)
                            : gateway::InvalidField(field, message);
  return gateway::WithReason(std::move(status), reason);
}

// {"resultado":{...}} of a reply, or UNKNOWN (the request may have taken effect).
absl::StatusOr<object> Resultado(absl::string_view body) {
  auto parsed = ParseJsonObject(body);
  if (!parsed.ok()) {
    return gateway::WithReason(
        absl::UnknownError("STP answered with a body that is not a JSON object"),
        "STP_UNREADABLE_REPLY");
  }
  if (const object* resultado = OptionalObject(*parsed, "resultado")) return *resultado;
  return gateway::WithReason(absl::UnknownError("STP's reply has no \"resultado\" object"),
                             "STP_UNREADABLE_REPLY");
}

// STP's error (id <= 0 with descripcionError) as a status (docs/providers/stp.md#registra).
absl::Status ErrorOf(int64_t id, absl::string_view description) {
  const std::string quoted =
      absl::StrCat("STP answered ", id, ": ", MaskAccountNumbers(description));
  const std::string lower = absl::AsciiStrToLower(description);
  using Code = absl::StatusCode;
  if (id == 0) {
    if (absl::StrContains(lower, "firma")) {
      return StpError(Code::kUnauthenticated, "STP_INVALID_SIGNATURE", quoted);
    }
    if (absl::StrContains(lower, "obligatorio")) {
      return StpError(Code::kInvalidArgument, "STP_MANDATORY_FIELD", quoted);
    }
    // "No se recibió respuesta del servicio" and any other 0: STP could not say.
    return StpError(Code::kUnknown, "STP_NO_SERVICE_RESPONSE", quoted);
  }
  switch (id) {
    case -1:
      return StpError(Code::kAlreadyExists, "STP_TRACKING_KEY_ALREADY_USED", quoted);
    case -7:
      return StpError(Code::kFailedPrecondition, "STP_ACCOUNT_DOES_NOT_EXIST", quoted);
    case -9:
      return StpError(Code::kInvalidArgument, "STP_INVALID_INSTITUTION", quoted,
                      "counterparty.institution_code");
    case -11:
      return StpError(Code::kInvalidArgument, "STP_INVALID_ACCOUNT_TYPE", quoted, "counterparty");
    case -20:
      return StpError(Code::kInvalidArgument, "STP_INVALID_AMOUNT", quoted, "amount");
    case -22:
      return StpError(Code::kInvalidArgument, "STP_CLABE_INSTITUTION_MISMATCH", quoted,
                      "counterparty.clabe");
    case -24:
      return StpError(Code::kInvalidArgument, "STP_SAME_ACCOUNT", quoted, "counterparty");
    case -34:
      return StpError(Code::kInvalidArgument, "STP_INVALID_TRACKING_KEY", quoted);
    case -100:
      return StpError(Code::kNotFound, "STP_ORDER_NOT_FOUND", quoted);
    case -200:
      return StpError(Code::kFailedPrecondition, "STP_PLD_REJECTED", quoted);
    default:
      return StpError(Code::kFailedPrecondition,
                      absl::StrCat("STP_ERROR_", id < 0 ? "NEG" : "", id < 0 ? -id : id), quoted);
  }
}

// The resultado's id: a JSON integer (or digits in a string), or nullopt.
absl::optional<int64_t> IdOf(const object& resultado) { return OptionalInt(resultado, "id"); }

// A JSON number as text for a field: integers in decimal; nullopt for fractions and others.
absl::optional<std::string> IntegerText(const value& member) {
  if (member.is_int64()) return absl::StrCat(member.as_int64());
  if (member.is_uint64()) return absl::StrCat(member.as_uint64());
  return absl::nullopt;
}

// Trailing spaces are STP padding (stpmex-python strips them).
std::string TextOf(const object& order, absl::string_view key) {
  return std::string(absl::StripTrailingAsciiWhitespace(StringOr(order, key)));
}

}  // namespace

absl::StatusOr<int64_t> MontoMinor(const value& monto) {
  if (monto.is_string()) {
    return gateway::DecimalToMinorUnits(std::string(monto.as_string()), kMxnExponent);
  }
  if (monto.is_int64() || monto.is_uint64()) {
    const bool negative = monto.is_int64() && monto.as_int64() < 0;
    const uint64_t pesos =
        monto.is_int64() ? static_cast<uint64_t>(monto.as_int64()) : monto.as_uint64();
    if (negative || pesos >= static_cast<uint64_t>(kMaxMonto)) {
      return absl::InvalidArgumentError("STP monto is out of range");
    }
    return static_cast<int64_t>(pesos) * 100;
  }
  if (!monto.is_double()) return absl::InvalidArgumentError("STP monto is not a number");
  const double pesos = monto.as_double();
  if (!std::isfinite(pesos) || pesos < 0 || pesos >= kMaxMonto) {
    return absl::InvalidArgumentError("STP monto is out of range");
  }
  // The double is only Boost.JSON's carrier: accept it only when it is exactly the double of
  // its own two-decimal text, then take the amount from that text.
  const std::string text = absl::StrFormat("%.2f", pesos);
  if (std::strtod(text.c_str(), nullptr) != pesos) {
    return absl::InvalidArgumentError("STP monto has more than two decimals");
  }
  return gateway::DecimalToMinorUnits(text, kMxnExponent);
}

std::string MaskAccountNumbers(absl::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size() && out.size() < 200) {
    if (!absl::ascii_isdigit(text[i])) {
      const auto byte = static_cast<unsigned char>(text[i]);
      out.push_back(byte < 0x20 || byte == 0x7f ? ' ' : text[i]);
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && absl::ascii_isdigit(text[end])) ++end;
    const absl::string_view digits = text.substr(i, end - i);
    if (digits.size() >= 10) {
      absl::StrAppend(&out, "****", digits.substr(digits.size() - 4));
    } else {
      out.append(digits.data(), digits.size());
    }
    i = end;
  }
  return out.substr(0, 200);
}

absl::StatusOr<OrderFields> RegistraFields(const PayoutOrder& order, const OrderSettings& settings,
                                           absl::string_view tracking_key) {
  const auto& request = order.request;
  const auto& counterparty = request.counterparty();
  if (settings.empresa.empty()) {
    return absl::FailedPreconditionError("no STP empresa is configured");
  }
  if (!IsValidTrackingKey(tracking_key)) {
    return absl::InvalidArgumentError("the STP tracking key is not 1-30 letters and digits");
  }
  if (request.amount().currency() != "MXN") {
    return gateway::InvalidField("amount.currency", "STP sends MXN only");
  }
  if (request.amount().amount_minor() <= 0) {
    return gateway::InvalidField("amount.amount_minor", "must be positive");
  }
  if (!AllDigits(order.source_account_native_id)) {
    return gateway::InvalidField("source_account_id", "the STP source account must be a CLABE");
  }
  const std::string& institution = counterparty.institution_code();
  if (institution.size() != 5 || !AllDigits(institution)) {
    return gateway::InvalidField("counterparty.institution_code",
                                 "STP needs a 5-digit Banxico code");
  }
  const uint32_t reference = request.numeric_reference();
  if (reference == 0 || reference > kMaxNumericReference) {
    return gateway::InvalidField("numeric_reference", "STP needs 1 to 9999999");
  }
  std::string account;
  std::string account_type;
  switch (counterparty.destination_case()) {
    case payments::v1::Counterparty::kClabe:
      account = counterparty.clabe();
      account_type = "40";
      break;
    case payments::v1::Counterparty::kDebitCard:
      account = counterparty.debit_card();
      account_type = "3";
      break;
    default:
      return gateway::InvalidField("counterparty", "STP needs a CLABE or a debit card");
  }
  if (!AllDigits(account)) {
    return gateway::InvalidField("counterparty", "the destination account must be digits");
  }

  OrderFields fields;
  fields.Set(Field::kInstitucionContraparte, institution);
  fields.Set(Field::kEmpresa, settings.empresa);
  fields.Set(Field::kClaveRastreo, std::string(tracking_key));
  fields.Set(Field::kInstitucionOperante, settings.institucion_operante);
  fields.Set(Field::kMonto,
             gateway::MinorUnitsToDecimal(request.amount().amount_minor(), kMxnExponent));
  fields.Set(Field::kTipoPago, "1");
  fields.Set(Field::kTipoCuentaOrdenante, "40");
  fields.Set(Field::kNombreOrdenante, Truncated(settings.nombre_ordenante, kMaxTextLength));
  fields.Set(Field::kCuentaOrdenante, order.source_account_native_id);
  fields.Set(Field::kRfcCurpOrdenante, Truncated(settings.rfc_curp_ordenante, kMaxRfcCurpLength));
  fields.Set(Field::kTipoCuentaBeneficiario, account_type);
  fields.Set(Field::kNombreBeneficiario, Truncated(counterparty.holder_name(), kMaxTextLength));
  fields.Set(Field::kCuentaBeneficiario, account);
  fields.Set(Field::kRfcCurpBeneficiario,
             counterparty.rfc().empty() ? "ND" : Truncated(counterparty.rfc(), kMaxRfcCurpLength));
  fields.Set(Field::kConceptoPago, Truncated(request.description(), kMaxTextLength));
  fields.Set(Field::kReferenciaNumerica, absl::StrCat(reference));
  fields.Set(Field::kTopologia, "T");
  fields.Set(Field::kMedioEntrega, "3");
  fields.Set(Field::kPrioridad, "0");
  // The cadena must be buildable: a '|' or control character would shift the signed fields.
  RETURN_IF_ERROR(OriginalString(fields).status());
  return fields;
}

std::string RegistraBody(const OrderFields& fields, absl::string_view firma) {
  object body;
  for (size_t i = 0; i < kFieldCount; ++i) {
    const auto field = static_cast<Field>(i);
    const std::string& text = fields.values()[i];
    if (text.empty() || field == Field::kMonto) continue;
    int64_t number = 0;
    if (IsNumericMember(field) && absl::SimpleAtoi(text, &number)) {
      body[Js(FieldNames()[i])] = number;
    } else {
      body[Js(FieldNames()[i])] = text;
    }
  }
  body["firma"] = Js(firma);
  // Boost.JSON would print a double as 1.2e0; monto goes in as its exact decimal text.
  const std::string& monto = fields.Get(Field::kMonto);
  std::string rest = boost::json::serialize(body);  // "{...}", never empty: firma is in it
  if (monto.empty()) return rest;
  return absl::StrCat("{\"monto\":", monto, ",", rest.substr(1));
}

std::string StatusQueryBody(absl::string_view empresa, absl::string_view tracking_key,
                            absl::string_view institucion_operante,
                            absl::string_view fecha_operacion, absl::string_view firma) {
  object body;
  body["empresa"] = Js(empresa);
  body["claveRastreo"] = Js(tracking_key);
  int64_t institution = 0;
  if (absl::SimpleAtoi(institucion_operante, &institution)) {
    body["institucionOperante"] = institution;
  } else {
    body["institucionOperante"] = Js(institucion_operante);
  }
  if (!fecha_operacion.empty()) body["fechaOperacion"] = Js(fecha_operacion);
  body["firma"] = Js(firma);
  return boost::json::serialize(body);
}

absl::StatusOr<OrderFields> OrderFieldsFromBody(const object& body) {
  OrderFields fields;
  for (size_t i = 0; i < kFieldCount; ++i) {
    const auto field = static_cast<Field>(i);
    const value* member = body.if_contains(Js(FieldNames()[i]));
    if (member == nullptr || member->is_null()) continue;
    if (member->is_string()) {
      fields.Set(field, std::string(member->as_string()));
    } else if (field == Field::kMonto) {
      ASSIGN_OR_RETURN(int64_t minor, MontoMinor(*member));
      fields.Set(field, gateway::MinorUnitsToDecimal(minor, kMxnExponent));
    } else if (auto text = IntegerText(*member)) {
      fields.Set(field, *text);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("STP member ", FieldNames()[i], " is neither a string nor an integer"));
    }
  }
  return fields;
}

absl::StatusOr<RegistraOutcome> ParseRegistraReply(absl::string_view body) {
  ASSIGN_OR_RETURN(object resultado, Resultado(body));
  const absl::optional<int64_t> id = IdOf(resultado);
  if (!id) {
    return gateway::WithReason(absl::UnknownError("STP's registra reply has no integer id"),
                               "STP_UNREADABLE_REPLY");
  }
  RegistraOutcome outcome;
  if (*id > 0) {
    outcome.order_id = absl::StrCat(*id);
    return outcome;
  }
  const std::string description = StringOr(resultado, "descripcionError");
  if (*id == -1 && absl::StrContains(absl::AsciiStrToLower(description), "rastreo")) {
    outcome.kind = RegistraOutcome::Kind::kAlreadyRegistered;
    return outcome;
  }
  if (*id == -200) {
    outcome.kind = RegistraOutcome::Kind::kRejected;
    outcome.reason = absl::StrCat("-200 ", MaskAccountNumbers(description));
    return outcome;
  }
  return ErrorOf(*id, description);
}

payments::v1::PayoutStatus MapOrderState(absl::string_view estado) {
  using payments::v1::PayoutStatus;
  static const auto* const kStates = new std::map<std::string, PayoutStatus>{
      // Short codes of query replies (stpmex-python types.Estado).
      {"LQ", payments::v1::PAYOUT_STATUS_SUCCEEDED},
      {"TLQ", payments::v1::PAYOUT_STATUS_SUCCEEDED},
      {"D", payments::v1::PAYOUT_STATUS_RETURNED},
      {"RE", payments::v1::PAYOUT_STATUS_RETURNED},
      {"CN", payments::v1::PAYOUT_STATUS_FAILED},
      {"CL", payments::v1::PAYOUT_STATUS_FAILED},
      {"CA", payments::v1::PAYOUT_STATUS_FAILED},
      {"TCL", payments::v1::PAYOUT_STATUS_FAILED},
      {"CR", payments::v1::PAYOUT_STATUS_REJECTED},
      {"RL", payments::v1::PAYOUT_STATUS_REJECTED},
      {"RA", payments::v1::PAYOUT_STATUS_REJECTED},
      {"RB", payments::v1::PAYOUT_STATUS_REJECTED},
      {"EL", payments::v1::PAYOUT_STATUS_REJECTED},
      {"C", payments::v1::PAYOUT_STATUS_PENDING},
      {"PL", payments::v1::PAYOUT_STATUS_PENDING},
      {"L", payments::v1::PAYOUT_STATUS_PENDING},
      {"PA", payments::v1::PAYOUT_STATUS_PENDING},
      {"A", payments::v1::PAYOUT_STATUS_PENDING},
      {"E", payments::v1::PAYOUT_STATUS_PENDING},
      {"EA", payments::v1::PAYOUT_STATUS_PENDING},
      {"XC", payments::v1::PAYOUT_STATUS_PENDING},
      {"XD", payments::v1::PAYOUT_STATUS_PENDING},
      {"XR", payments::v1::PAYOUT_STATUS_PENDING},
      {"CXO", payments::v1::PAYOUT_STATUS_PENDING},
      {"CCE", payments::v1::PAYOUT_STATUS_PENDING},
      {"CCO", payments::v1::PAYOUT_STATUS_PENDING},
      {"CCR", payments::v1::PAYOUT_STATUS_PENDING},
      {"TL", payments::v1::PAYOUT_STATUS_PENDING},
      {"TC", payments::v1::PAYOUT_STATUS_PENDING},
      {"TA", payments::v1::PAYOUT_STATUS_PENDING},
      // Words of state-change notifications (speid; STP's newer form, unconfirmed).
      {"LIQUIDACION", payments::v1::PAYOUT_STATUS_SUCCEEDED},
      {"LIQUIDADA", payments::v1::PAYOUT_STATUS_SUCCEEDED},
      {"EXITOSA", payments::v1::PAYOUT_STATUS_SUCCEEDED},
      {"DEVOLUCION", payments::v1::PAYOUT_STATUS_RETURNED},
      {"DEVUELTA", payments::v1::PAYOUT_STATUS_RETURNED},
      {"CANCELACION", payments::v1::PAYOUT_STATUS_FAILED},
      {"CANCELADA", payments::v1::PAYOUT_STATUS_FAILED},
  };
  const auto it =
      kStates->find(absl::AsciiStrToUpper(absl::StripAsciiWhitespace(estado.substr(0, 32))));
  return it == kStates->end() ? payments::v1::PAYOUT_STATUS_UNKNOWN : it->second;
}

absl::StatusOr<payments::v1::Payout> ParseOrder(const object& order) {
  const std::string tracking_key = TextOf(order, "claveRastreo");
  if (!IsValidTrackingKey(tracking_key)) {
    return absl::InvalidArgumentError("STP order has no valid claveRastreo");
  }
  const std::string estado = TextOf(order, "estado");
  if (estado.empty() || estado.size() > 32) {
    return absl::InvalidArgumentError("STP order has no estado");
  }
  const value* monto = order.if_contains("monto");
  if (monto == nullptr) return absl::InvalidArgumentError("STP order has no monto");
  ASSIGN_OR_RETURN(int64_t amount, MontoMinor(*monto));

  payments::v1::Payout payout;
  payout.set_provider_payout_id(TextOf(order, "idEF"));
  payout.set_tracking_key(tracking_key);
  payout.set_provider_status(estado);
  payout.set_status(MapOrderState(estado));
  payout.mutable_amount()->set_amount_minor(amount);
  payout.mutable_amount()->set_currency("MXN");
  payout.set_description(Truncated(TextOf(order, "conceptoPago"), 200));
  const absl::optional<int64_t> reference = OptionalInt(order, "referenciaNumerica");
  if (reference && *reference > 0 && *reference <= kMaxNumericReference) {
    payout.set_numeric_reference(static_cast<uint32_t>(*reference));
  }
  const std::string causa = TextOf(order, "causaDevolucion");
  if (payout.status() == payments::v1::PAYOUT_STATUS_RETURNED && causa != "0") {
    payout.set_status_reason(Truncated(causa, 64));
  }
  auto* counterparty = payout.mutable_counterparty();
  const std::string account = TextOf(order, "cuentaBeneficiario");
  if (AllDigits(account) && account.size() <= 20) {
    if (OptionalInt(order, "tipoCuentaBeneficiario").value_or(40) == 3) {
      counterparty->set_debit_card(account);
    } else {
      counterparty->set_clabe(account);
    }
  }
  const std::string institution = TextOf(order, "institucionContraparte");
  if (AllDigits(institution) && institution.size() <= 5) {
    counterparty->set_institution_code(institution);
  }
  counterparty->set_holder_name(Truncated(TextOf(order, "nombreBeneficiario"), 200));
  counterparty->set_rfc(Truncated(TextOf(order, "rfcCurpBeneficiario"), kMaxRfcCurpLength));
  // tsCaptura: milliseconds since the epoch; ignored unless plausible (2000..2200).
  const absl::optional<int64_t> captured = OptionalInt(order, "tsCaptura");
  if (captured && *captured > 946'684'800'000 && *captured < 7'258'118'400'000) {
    *payout.mutable_create_time() = gateway::TimestampOf(absl::FromUnixMillis(*captured));
  }
  return payout;
}

absl::StatusOr<payments::v1::Payout> ParseStatusQueryReply(absl::string_view body) {
  ASSIGN_OR_RETURN(object resultado, Resultado(body));
  const object* order = OptionalObject(resultado, "ordenPago");
  const absl::optional<int64_t> id = IdOf(resultado);
  if (order == nullptr) {
    if (id && *id <= 0) return ErrorOf(*id, StringOr(resultado, "descripcionError"));
    return gateway::WithReason(
        absl::UnknownError("STP's query reply has neither an order nor an error"),
        "STP_UNREADABLE_REPLY");
  }
  return ParseOrder(*order);
}

}  // namespace providers::stp
