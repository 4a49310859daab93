// The STP simulator's records. Amounts are int64 centavos inside; STP speaks decimal pesos.
#ifndef SANDBOX_STP_STP_MODEL_H_
#define SANDBOX_STP_STP_MODEL_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace sandbox {

// An error reply: {"resultado":{"id":<id>,"descripcionError":"<description>"}}.
struct StpError {
  int id = 0;
  std::string description;
};

// A validated ordenPago/registra request.
struct StpOrderRequest {
  std::string clave_rastreo;
  std::string empresa;
  std::string folio_origen;
  std::string concepto_pago;
  std::string cuenta_beneficiario;
  std::string nombre_beneficiario;
  std::string rfc_curp_beneficiario;
  std::string cuenta_ordenante;
  std::string nombre_ordenante;
  std::string rfc_curp_ordenante;
  std::string topologia;
  int institucion_contraparte = 0;
  int institucion_operante = 0;
  int tipo_cuenta_beneficiario = 0;
  int tipo_cuenta_ordenante = 0;
  int tipo_pago = 0;
  int prioridad = 0;
  int medio_entrega = 0;
  int64_t referencia_numerica = 0;
  int64_t amount = 0;  // centavos
};

// An order STP holds: sent by the company ("E") or received into its account ("R").
struct StpOrder {
  int64_t id = 0;
  std::string tipo = "E";  // E (enviada) or R (recibida)
  StpOrderRequest request;
  std::string fecha_operacion;  // YYYYMMDD, Mexico City date of the order
  // STP's state codes (stpmex-python types.Estado): sent orders E (enviada, pending), then
  // LQ (liquidada), CN (cancelada) or D (devuelta, after LQ); received orders LQ.
  std::string estado = "E";
  int causa_devolucion = 0;
  bool dropped = false;  // by POST /_sandbox/transfers/drop: invisible to queries
  absl::Time ts_captura;
  absl::Time ts_liquidacion = absl::InfinitePast();
  absl::Time ts_devolucion = absl::InfinitePast();
};

}  // namespace sandbox

#endif  // SANDBOX_STP_STP_MODEL_H_
