#include "sandbox/stp/stp_orders.h"

#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "sandbox/common/clabe.h"
#include "sandbox/common/json_util.h"
#include "sandbox/common/money.h"
#include "sandbox/common/spei_banks.h"
#include "sandbox/common/text.h"
#include "sandbox/stp/stp_cadena.h"

namespace sandbox {
namespace {

StpError Error(int id, std::string description) { return StpError{id, std::move(description)}; }

StpError Mandatory(const std::string& name) {
  return Error(0, absl::StrCat("El campo ", StpFieldLabel(name), " es obligatorio"));
}

StpError Invalid(const std::string& name) {
  return Error(0, absl::StrCat("El campo ", StpFieldLabel(name), " es invalido"));
}

StpError TooLong(const std::string& name, size_t max) {
  return Error(
      0, absl::StrCat("El campo ", StpFieldLabel(name), " excede la longitud maxima de ", max));
}

bool Present(const boost::json::object& body, const char* name) {
  const boost::json::value* value = body.if_contains(name);
  if (value == nullptr || value->is_null()) return false;
  return !value->is_string() || !absl::StripAsciiWhitespace(AsView(value->as_string())).empty();
}

// Text field: a JSON string of at most `max` characters ("" when absent and optional).
bool Text(const boost::json::object& body, const char* name, size_t max, std::string* out,
          StpError* error) {
  const boost::json::value* value = body.if_contains(name);
  if (value == nullptr || value->is_null()) return true;
  if (!value->is_string()) {
    *error = Invalid(name);
    return false;
  }
  *out = std::string(value->as_string());
  // STP takes printable ASCII only; clients fold accents first (docs/providers/stp.md#registra).
  for (char c : *out) {
    if (c < 0x20 || c > 0x7e) {
      *error = Invalid(name);
      return false;
    }
  }
  if (Utf8Length(*out) > max) {
    *error = TooLong(name, max);
    return false;
  }
  return true;
}

// Integer field: a JSON integer or a string of digits (clients send both).
bool Integer(const boost::json::object& body, const char* name, int64_t* out, StpError* error) {
  const boost::json::value* value = body.if_contains(name);
  if (value == nullptr || value->is_null()) return true;
  if (value->is_int64()) {
    *out = value->as_int64();
    return true;
  }
  if (value->is_string() && IsAllDigits(AsView(value->as_string())) &&
      absl::SimpleAtoi(AsView(value->as_string()), out)) {
    return true;
  }
  *error = Invalid(name);
  return false;
}

bool IsAlphanumeric(const std::string& text) {
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return !text.empty();
}

bool VerifyFirma(const boost::json::object& body, const StpConfig& config,
                 const StpSignatureVerifier& verifier, StpError* error) {
  const boost::json::string* firma = JsonString(body, "firma");
  const boost::json::string* empresa = JsonString(body, "empresa");
  absl::StatusOr<std::string> cadena = StpCadenaOriginal(body);
  // A company the sandbox does not serve has no registered key: its firma cannot verify.
  if (firma == nullptr || empresa == nullptr || *empresa != config.empresa || !cadena.ok() ||
      !verifier.Verify(*cadena, std::string(*firma))) {
    *error = Error(0, "Error validando la firma");
    return false;
  }
  return true;
}

// fechaOperacion: absent, or YYYYMMDD as a string or a number.
bool Fecha(const boost::json::object& body, std::string* out, StpError* error) {
  const boost::json::value* fecha = body.if_contains("fechaOperacion");
  if (fecha == nullptr || fecha->is_null()) return true;
  const std::string text = fecha->is_string()
                               ? std::string(fecha->as_string())
                               : (fecha->is_int64() ? absl::StrCat(fecha->as_int64()) : "");
  if (text.size() != 8 || !IsAllDigits(text)) {
    *error = Invalid("fechaOperacion");
    return false;
  }
  *out = text;
  return true;
}

bool ValidInstitution(int64_t code) {
  return code > 0 && FindSpeiBankByCode(absl::StrCat(code)) != nullptr;
}

}  // namespace

std::string StpFieldLabel(const std::string& name) {
  std::string label = "<";
  for (char c : name) {
    if (std::isupper(static_cast<unsigned char>(c)) ||
        std::isdigit(static_cast<unsigned char>(c))) {
      if (label.size() > 1 && label.back() != ' ') label += ' ';
    }
    label += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return label + ">";
}

bool ParseStpOrder(const boost::json::object& body, const StpConfig& config,
                   const StpSignatureVerifier& verifier, StpOrderRequest* order, StpError* error) {
  for (const char* name : {"claveRastreo", "conceptoPago", "cuentaBeneficiario", "cuentaOrdenante",
                           "empresa", "institucionContraparte", "institucionOperante", "monto",
                           "nombreBeneficiario", "referenciaNumerica", "rfcCurpBeneficiario",
                           "tipoCuentaBeneficiario", "tipoPago", "firma"}) {
    if (!Present(body, name)) {
      *error = Mandatory(name);
      return false;
    }
  }
  if (!VerifyFirma(body, config, verifier, error)) return false;

  int64_t contraparte = 0, operante = 0, tipo_beneficiario = 0, tipo_ordenante = 40, tipo_pago = 0,
          prioridad = 1, medio_entrega = 3;
  if (!Text(body, "empresa", kStpMaxEmpresa, &order->empresa, error) ||
      !Text(body, "claveRastreo", kStpMaxClaveRastreo, &order->clave_rastreo, error) ||
      !Text(body, "folioOrigen", kStpMaxFolioOrigen, &order->folio_origen, error) ||
      !Text(body, "conceptoPago", kStpMaxConcepto, &order->concepto_pago, error) ||
      !Text(body, "nombreBeneficiario", kStpMaxNombre, &order->nombre_beneficiario, error) ||
      !Text(body, "rfcCurpBeneficiario", kStpMaxRfcCurp, &order->rfc_curp_beneficiario, error) ||
      !Text(body, "nombreOrdenante", kStpMaxNombre, &order->nombre_ordenante, error) ||
      !Text(body, "rfcCurpOrdenante", kStpMaxRfcCurp, &order->rfc_curp_ordenante, error) ||
      !Text(body, "cuentaBeneficiario", 18, &order->cuenta_beneficiario, error) ||
      !Text(body, "cuentaOrdenante", 18, &order->cuenta_ordenante, error) ||
      !Text(body, "topologia", 1, &order->topologia, error) ||
      !Integer(body, "institucionContraparte", &contraparte, error) ||
      !Integer(body, "institucionOperante", &operante, error) ||
      !Integer(body, "tipoCuentaBeneficiario", &tipo_beneficiario, error) ||
      !Integer(body, "tipoCuentaOrdenante", &tipo_ordenante, error) ||
      !Integer(body, "tipoPago", &tipo_pago, error) ||
      !Integer(body, "prioridad", &prioridad, error) ||
      !Integer(body, "medioEntrega", &medio_entrega, error) ||
      !Integer(body, "referenciaNumerica", &order->referencia_numerica, error)) {
    return false;
  }
  if (!IsAlphanumeric(order->clave_rastreo)) {
    *error = Error(-34, absl::StrCat("Clave rastreo invalida : ", order->clave_rastreo));
    return false;
  }
  if (order->referencia_numerica < 1 || order->referencia_numerica > kStpMaxReferenciaNumerica) {
    *error = Invalid("referenciaNumerica");
    return false;
  }
  if (operante != kStpBankCode) {
    *error = Error(-9, absl::StrCat("La Institucion ", operante, " no es valida"));
    return false;
  }
  if (!ValidInstitution(contraparte)) {
    *error = Error(-9, absl::StrCat("La Institucion ", contraparte, " no es valida"));
    return false;
  }
  // The company's own account, and a CLABE (tipo 40).
  if (tipo_ordenante != 40) {
    *error = Error(-11, absl::StrCat("El tipo de cuenta ", tipo_ordenante, " es invalido"));
    return false;
  }
  if (order->cuenta_ordenante != config.cuenta_ordenante) {
    *error = Error(-7, absl::StrCat("La cuenta {", order->cuenta_ordenante, "} no existe "));
    return false;
  }
  const std::string& cuenta = order->cuenta_beneficiario;
  bool cuenta_ok = false;
  switch (tipo_beneficiario) {
    case 40:  // CLABE: check digit, and its bank is the counterparty institution
      if (!IsValidClabe(cuenta)) {
        *error = Invalid("cuentaBeneficiario");
        return false;
      }
      if (cuenta.substr(0, 3) != absl::StrCat(contraparte).substr(2)) {
        *error = Error(
            -22, absl::StrCat("La cuenta CLABE {", cuenta,
                              "} no coincide para la institucion operante {", contraparte, "}"));
        return false;
      }
      cuenta_ok = true;
      break;
    case 3:  // debit card
      cuenta_ok = IsAllDigits(cuenta) && (cuenta.size() == 15 || cuenta.size() == 16);
      break;
    case 10:  // mobile phone
      cuenta_ok = IsAllDigits(cuenta) && cuenta.size() == 10;
      break;
    default:
      *error = Error(-11, absl::StrCat("El tipo de cuenta ", tipo_beneficiario, " es invalido"));
      return false;
  }
  if (!cuenta_ok) {
    *error = Invalid("cuentaBeneficiario");
    return false;
  }
  if (cuenta == order->cuenta_ordenante) {
    *error = Error(-24, absl::StrCat("Cuenta {", cuenta, "} - {MISMA_CUENTA}"));
    return false;
  }
  absl::StatusOr<int64_t> amount = StpAmountCentavos(body.at("monto"));
  if (!amount.ok() || *amount <= 0) {
    const boost::json::value& monto = body.at("monto");
    *error = Error(-20, absl::StrCat("El monto {",
                                     monto.is_string()   ? std::string(monto.as_string())
                                     : monto.is_double() ? StpNumberText(monto.as_double())
                                                         : boost::json::serialize(monto),
                                     "} no es válido"));
    return false;
  }
  if (tipo_pago != 1) {  // tercero a tercero: the only payment type the sandbox models
    *error = Invalid("tipoPago");
    return false;
  }
  if (prioridad != 0 && prioridad != 1) {
    *error = Invalid("prioridad");
    return false;
  }
  order->amount = *amount;
  order->institucion_contraparte = static_cast<int>(contraparte);
  order->institucion_operante = static_cast<int>(operante);
  order->tipo_cuenta_beneficiario = static_cast<int>(tipo_beneficiario);
  order->tipo_cuenta_ordenante = static_cast<int>(tipo_ordenante);
  order->tipo_pago = static_cast<int>(tipo_pago);
  order->prioridad = static_cast<int>(prioridad);
  order->medio_entrega = static_cast<int>(medio_entrega);
  return true;
}

bool ParseStpTrackingQuery(const boost::json::object& body, const StpConfig& config,
                           const StpSignatureVerifier& verifier, StpTrackingQuery* query,
                           StpError* error) {
  for (const char* name : {"empresa", "claveRastreo", "institucionOperante", "firma"}) {
    if (!Present(body, name)) {
      *error = Mandatory(name);
      return false;
    }
  }
  // Only these four fields may take part in the query's cadena (stpmex-python
  // Resource._firma_consulta): anything else would sign a different text.
  boost::json::object signed_part;
  for (const char* name : {"empresa", "fechaOperacion", "claveRastreo", "institucionOperante"}) {
    if (const boost::json::value* value = body.if_contains(name)) signed_part[name] = *value;
  }
  if (const boost::json::value* firma = body.if_contains("firma")) signed_part["firma"] = *firma;
  if (!VerifyFirma(signed_part, config, verifier, error)) return false;
  int64_t operante = 0;
  if (!Text(body, "empresa", kStpMaxEmpresa, &query->empresa, error) ||
      !Text(body, "claveRastreo", kStpMaxClaveRastreo, &query->clave_rastreo, error) ||
      !Integer(body, "institucionOperante", &operante, error)) {
    return false;
  }
  if (operante != kStpBankCode) {
    *error = Error(-9, absl::StrCat("La Institucion ", operante, " no es valida"));
    return false;
  }
  return Fecha(body, &query->fecha_operacion, error);
}

bool ParseStpDateQuery(const boost::json::object& body, const StpConfig& config,
                       const StpSignatureVerifier& verifier, StpDateQuery* query, StpError* error) {
  for (const char* name : {"empresa", "estado", "firma"}) {
    if (!Present(body, name)) {
      *error = Mandatory(name);
      return false;
    }
  }
  // Signed: empresa and fechaOperacion only (stpmex-python Resource._firma_consulta).
  boost::json::object signed_part;
  for (const char* name : {"empresa", "fechaOperacion", "firma"}) {
    if (const boost::json::value* value = body.if_contains(name)) signed_part[name] = *value;
  }
  if (!VerifyFirma(signed_part, config, verifier, error)) return false;
  if (!Text(body, "empresa", kStpMaxEmpresa, &query->empresa, error) ||
      !Text(body, "estado", 1, &query->estado, error)) {
    return false;
  }
  if (query->estado != "E" && query->estado != "R") {
    *error = Invalid("estado");
    return false;
  }
  return Fecha(body, &query->fecha_operacion, error);
}

}  // namespace sandbox
