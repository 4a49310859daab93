#include "sandbox/stp/stp_cadena.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sandbox/common/json_util.h"
#include "sandbox/common/money.h"
#include "sandbox/common/text.h"

namespace sandbox {
namespace {

constexpr int64_t kMaxCentavos = 100'000'000'000'000;  // 10^15: far above any SPEI order

}  // namespace

const std::vector<std::string>& StpCadenaFields() {
  // STP's signing order, as its registra documentation and cuenca-mx/stpmex-python
  // (stpmex/auth.py ORDEN_FIELDNAMES) list them.
  static const std::vector<std::string>* const kFields = new std::vector<std::string>{
      "institucionContraparte",
      "empresa",
      "fechaOperacion",
      "folioOrigen",
      "claveRastreo",
      "institucionOperante",
      "monto",
      "tipoPago",
      "tipoCuentaOrdenante",
      "nombreOrdenante",
      "cuentaOrdenante",
      "rfcCurpOrdenante",
      "tipoCuentaBeneficiario",
      "nombreBeneficiario",
      "cuentaBeneficiario",
      "rfcCurpBeneficiario",
      "emailBeneficiario",
      "tipoCuentaBeneficiario2",
      "nombreBeneficiario2",
      "cuentaBeneficiario2",
      "rfcCurpBeneficiario2",
      "conceptoPago",
      "conceptoPago2",
      "claveCatUsuario1",
      "claveCatUsuario2",
      "clavePago",
      "referenciaCobranza",
      "referenciaNumerica",
      "tipoOperacion",
      "topologia",
      "usuario",
      "medioEntrega",
      "prioridad",
      "iva",
  };
  return *kFields;
}

std::string StpNumberText(double value) {
  std::string text = absl::StrCat(value);
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  return text;
}

absl::StatusOr<int64_t> StpAmountCentavos(const boost::json::value& value) {
  if (value.is_string()) {
    const std::string text(value.as_string());
    // "12", "12.5" and "12.50" are all amounts; more decimals are not.
    const size_t dot = text.find('.');
    std::string normalized = text;
    if (dot == std::string::npos) {
      normalized += ".00";
    } else if (text.size() - dot == 2) {
      normalized += "0";
    }
    const absl::optional<int64_t> centavos = ParseTwoDecimalAmount(normalized);
    if (!centavos || *centavos >= kMaxCentavos) {
      return absl::InvalidArgumentError(absl::StrCat("bad amount ", text));
    }
    return *centavos;
  }
  if (value.is_int64() || value.is_uint64()) {
    const int64_t whole = value.is_int64() ? value.as_int64() : -1;
    if (whole < 0 || whole >= kMaxCentavos / 100) {
      return absl::InvalidArgumentError("bad amount");
    }
    return whole * 100;
  }
  if (value.is_double()) {
    // JSON numbers arrive as doubles; an amount is exact only when it has at most two
    // decimals, i.e. 100 * value is (within double rounding) a whole number.
    const double scaled = value.as_double() * 100.0;
    if (!std::isfinite(scaled) || scaled < 0 || scaled >= static_cast<double>(kMaxCentavos)) {
      return absl::InvalidArgumentError("bad amount");
    }
    const double rounded = std::nearbyint(scaled);
    if (std::fabs(scaled - rounded) > 1e-6 * std::max(1.0, rounded)) {
      return absl::InvalidArgumentError("an amount has at most two decimals");
    }
    return static_cast<int64_t>(rounded);
  }
  return absl::InvalidArgumentError("an amount is a number");
}

absl::StatusOr<std::string> StpCadenaOriginal(const boost::json::object& order) {
  std::vector<std::string> parts;
  parts.reserve(StpCadenaFields().size());
  for (const std::string& name : StpCadenaFields()) {
    const boost::json::value* value = order.if_contains(name);
    if (value == nullptr || value->is_null()) {
      parts.emplace_back();
    } else if (name == "monto" || name == "iva") {
      // A valid amount always signs with two decimals; an invalid one as sent, so that the
      // order is refused for its amount (-20), not for its signature.
      absl::StatusOr<int64_t> centavos = StpAmountCentavos(*value);
      if (centavos.ok()) {
        parts.push_back(FormatTwoDecimalAmount(*centavos));
      } else if (value->is_string()) {
        parts.emplace_back(value->as_string());
      } else if (value->is_double()) {
        parts.push_back(StpNumberText(value->as_double()));
      } else {
        parts.push_back(boost::json::serialize(*value));
      }
    } else if (value->is_string()) {
      parts.emplace_back(value->as_string());
    } else if (value->is_int64()) {
      parts.push_back(absl::StrCat(value->as_int64()));
    } else if (value->is_uint64()) {
      parts.push_back(absl::StrCat(value->as_uint64()));
    } else {
      return absl::InvalidArgumentError(absl::StrCat(name, " is neither text nor an integer"));
    }
  }
  return absl::StrCat("||", absl::StrJoin(parts, "|"), "||");
}

}  // namespace sandbox
