// Validation of STP requests (docs/providers/stp.md#registra, #consulta), in the order STP is taken
// to apply it: mandatory fields ("El campo <X> es obligatorio", id 0), the signature (id 0 "Error
// validando la firma"), then field by field (sizes, CLABE, institutions, amount). Error ids and
// texts follow the replies cuenca-mx/stpmex-python maps (stpmex/client.py); see sandbox/README.md
// for the ones chosen where STP publishes none.
#ifndef SANDBOX_STP_STP_ORDERS_H_
#define SANDBOX_STP_STP_ORDERS_H_

#include <string>

#include <boost/json.hpp>

#include "sandbox/stp/stp_config.h"
#include "sandbox/stp/stp_model.h"
#include "sandbox/stp/stp_signature.h"

namespace sandbox {

// Field limits (characters).
inline constexpr size_t kStpMaxClaveRastreo = 30;
inline constexpr size_t kStpMaxConcepto = 40;
inline constexpr size_t kStpMaxNombre = 40;
inline constexpr size_t kStpMaxRfcCurp = 18;
inline constexpr size_t kStpMaxEmpresa = 15;
inline constexpr size_t kStpMaxFolioOrigen = 50;
inline constexpr int64_t kStpMaxReferenciaNumerica = 9'999'999;

// "conceptoPago" -> "<CONCEPTO PAGO>", as STP names fields in its messages.
std::string StpFieldLabel(const std::string& name);

// A registra body: true and `order` filled, or false and `error`.
bool ParseStpOrder(const boost::json::object& body, const StpConfig& config,
                   const StpSignatureVerifier& verifier, StpOrderRequest* order, StpError* error);

// A consOrdEnvRastreo body: {"empresa","claveRastreo","institucionOperante"
// [,"fechaOperacion"],"firma"}.
struct StpTrackingQuery {
  std::string empresa;
  std::string clave_rastreo;
  std::string fecha_operacion;  // "" = today
};
bool ParseStpTrackingQuery(const boost::json::object& body, const StpConfig& config,
                           const StpSignatureVerifier& verifier, StpTrackingQuery* query,
                           StpError* error);

// A consOrdenesFech body: {"empresa","estado":"E"|"R"[,"fechaOperacion"],"firma"}; its cadena
// has only empresa and fechaOperacion.
struct StpDateQuery {
  std::string empresa;
  std::string estado;           // E: sent, R: received
  std::string fecha_operacion;  // "" = today
};
bool ParseStpDateQuery(const boost::json::object& body, const StpConfig& config,
                       const StpSignatureVerifier& verifier, StpDateQuery* query, StpError* error);

}  // namespace sandbox

#endif  // SANDBOX_STP_STP_ORDERS_H_
