#include "providers/stp/stp_original_string.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace providers::stp {

const std::array<absl::string_view, kFieldCount>& FieldNames() {
  static const std::array<absl::string_view, kFieldCount> kNames = {
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
  return kNames;
}

absl::string_view FieldName(Field field) { return FieldNames()[static_cast<size_t>(field)]; }

absl::StatusOr<std::string> OriginalString(const OrderFields& fields) {
  std::string out = "||";
  for (size_t i = 0; i < kFieldCount; ++i) {
    const std::string& value = fields.values()[i];
    for (char c : value) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '|' || byte < 0x20 || byte == 0x7f) {
        return absl::InvalidArgumentError(absl::StrCat(
            "STP field ", FieldNames()[i], " holds a character the cadena original cannot carry"));
      }
    }
    if (i > 0) out.push_back('|');
    out.append(value);
  }
  out.append("||");
  return out;
}

absl::StatusOr<std::string> StatusQueryOriginalString(absl::string_view empresa,
                                                      absl::string_view tracking_key,
                                                      absl::string_view institucion_operante,
                                                      absl::string_view fecha_operacion) {
  OrderFields fields;
  fields.Set(Field::kEmpresa, std::string(empresa));
  fields.Set(Field::kFechaOperacion, std::string(fecha_operacion));
  fields.Set(Field::kClaveRastreo, std::string(tracking_key));
  fields.Set(Field::kInstitucionOperante, std::string(institucion_operante));
  return OriginalString(fields);
}

}  // namespace providers::stp
