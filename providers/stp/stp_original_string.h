// STP's "cadena original" (docs/providers/stp.md#cadena-original): the text an order or a
// query is signed over. `||` + 34 fields in STP's fixed order joined by `|` + `||`; an absent
// field is empty. The status query signs the same 34-field string with only four fields set.
#ifndef PROVIDERS_STP_STP_ORIGINAL_STRING_H_
#define PROVIDERS_STP_STP_ORIGINAL_STRING_H_

#include <array>
#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace providers::stp {

// The fields of the cadena original, in STP's order (the enum's value is the position).
enum class Field : int {
  kInstitucionContraparte = 0,
  kEmpresa,
  kFechaOperacion,
  kFolioOrigen,
  kClaveRastreo,
  kInstitucionOperante,
  kMonto,
  kTipoPago,
  kTipoCuentaOrdenante,
  kNombreOrdenante,
  kCuentaOrdenante,
  kRfcCurpOrdenante,
  kTipoCuentaBeneficiario,
  kNombreBeneficiario,
  kCuentaBeneficiario,
  kRfcCurpBeneficiario,
  kEmailBeneficiario,
  kTipoCuentaBeneficiario2,
  kNombreBeneficiario2,
  kCuentaBeneficiario2,
  kRfcCurpBeneficiario2,
  kConceptoPago,
  kConceptoPago2,
  kClaveCatUsuario1,
  kClaveCatUsuario2,
  kClavePago,
  kReferenciaCobranza,
  kReferenciaNumerica,
  kTipoOperacion,
  kTopologia,
  kUsuario,
  kMedioEntrega,
  kPrioridad,
  kIva,
};
inline constexpr size_t kFieldCount = 34;

// STP's JSON member name of each field, in order ("institucionContraparte", ...).
const std::array<absl::string_view, kFieldCount>& FieldNames();
absl::string_view FieldName(Field field);

// The values of one order (or query), already as text: `monto` with two decimals ("1.20"),
// numbers in decimal. Empty means absent.
class OrderFields {
 public:
  void Set(Field field, std::string value) { values_[Index(field)] = std::move(value); }
  const std::string& Get(Field field) const { return values_[Index(field)]; }
  const std::array<std::string, kFieldCount>& values() const { return values_; }

 private:
  static size_t Index(Field field) { return static_cast<size_t>(field); }
  std::array<std::string, kFieldCount> values_;
};

// The cadena original of `fields`. INVALID_ARGUMENT (naming the field, not its value) when a
// value holds '|' or a control character: STP has no escaping, so such a value would shift
// the fields after it and the signature would cover a different order than the body says.
absl::StatusOr<std::string> OriginalString(const OrderFields& fields);

// The cadena original of ordenPago/consOrdEnvRastreo: `empresa`, `fechaOperacion`
// ("YYYYMMDD", or empty for today), `claveRastreo` and `institucionOperante` ("90646").
absl::StatusOr<std::string> StatusQueryOriginalString(absl::string_view empresa,
                                                      absl::string_view tracking_key,
                                                      absl::string_view institucion_operante,
                                                      absl::string_view fecha_operacion = "");

}  // namespace providers::stp

#endif  // PROVIDERS_STP_STP_ORIGINAL_STRING_H_
