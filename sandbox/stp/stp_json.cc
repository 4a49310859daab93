#include "sandbox/stp/stp_json.h"

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "sandbox/common/json_util.h"
#include "sandbox/common/money.h"

namespace sandbox {
namespace {

// Boost.JSON writes doubles as "1.2e0"; STP writes 1.20. The amount goes in as a marker
// string and is replaced by its exact decimal text.
constexpr char kMontoMarker[] = "\"__stp_monto__\"";

std::string WithMonto(const boost::json::value& value, int64_t centavos) {
  return absl::StrReplaceAll(ToJson(value), {{kMontoMarker, FormatTwoDecimalAmount(centavos)}});
}

const char* NotificationEstado(const std::string& estado) {
  // The newer camelCase form's words (docs/providers/stp.md#cambio-de-estado).
  if (estado == "LQ") return "LIQUIDADA";
  if (estado == "CN") return "CANCELADA";
  if (estado == "D") return "DEVUELTA";
  return "";
}

}  // namespace

int64_t StpTimestampMs(absl::Time time) {
  return time == absl::InfinitePast() ? 0 : absl::ToUnixMillis(time);
}

ServerReply StpIdReply(int64_t id) {
  return ServerReply::Json(
      200, ToJson(boost::json::object{{"resultado", boost::json::object{{"id", id}}}}));
}

ServerReply StpErrorReply(const StpError& error) {
  return ServerReply::Json(
      200, ToJson(boost::json::object{
               {"resultado",
                boost::json::object{{"id", error.id}, {"descripcionError", error.description}}}}));
}

std::string StpOrdenPagoJson(const StpOrder& order, const std::string& empresa) {
  const StpOrderRequest& r = order.request;
  int64_t fecha = 0;
  for (char c : order.fecha_operacion) fecha = fecha * 10 + (c - '0');
  boost::json::object orden{
      {"idEF", order.id},
      {"claveRastreo", r.clave_rastreo},
      {"folioOrigen", r.folio_origen.empty() ? r.clave_rastreo : r.folio_origen},
      {"empresa", empresa},
      {"estado", order.estado},
      {"causaDevolucion", order.causa_devolucion},
      {"fechaOperacion", fecha},
      {"institucionOperante", r.institucion_operante},
      {"institucionContraparte", r.institucion_contraparte},
      {"monto", "__stp_monto__"},
      {"conceptoPago", r.concepto_pago},
      {"cuentaBeneficiario", r.cuenta_beneficiario},
      {"nombreBeneficiario", r.nombre_beneficiario},
      {"rfcCurpBeneficiario", r.rfc_curp_beneficiario},
      {"tipoCuentaBeneficiario", r.tipo_cuenta_beneficiario},
      {"cuentaOrdenante", r.cuenta_ordenante},
      {"nombreOrdenante", r.nombre_ordenante},
      {"rfcCurpOrdenante", r.rfc_curp_ordenante},
      {"tipoCuentaOrdenante", r.tipo_cuenta_ordenante},
      {"referenciaNumerica", r.referencia_numerica},
      {"tipoPago", r.tipo_pago},
      {"prioridad", r.prioridad},
      {"medioEntrega", r.medio_entrega},
      {"topologia", r.topologia.empty() ? "V" : r.topologia},
      {"tsCaptura", StpTimestampMs(order.ts_captura)},
      {"tsLiquidacion", StpTimestampMs(order.ts_liquidacion)},
      {"tsDevolucion", StpTimestampMs(order.ts_devolucion)},
  };
  return WithMonto(orden, r.amount);
}

ServerReply StpOrdenPagoReply(const StpOrder& order, const std::string& empresa) {
  return ServerReply::Json(200, absl::StrCat(R"({"resultado":{"id":1,"ordenPago":)",
                                             StpOrdenPagoJson(order, empresa), "}}"));
}

ServerReply StpOrdenesReply(const std::vector<const StpOrder*>& orders,
                            const std::string& empresa) {
  if (orders.empty()) return StpErrorReply({-100, "No se encontraron ordenes"});
  std::vector<std::string> items;
  for (const StpOrder* order : orders) items.push_back(StpOrdenPagoJson(*order, empresa));
  return ServerReply::Json(
      200, absl::StrCat(R"({"resultado":{"id":1,"lst":[)", absl::StrJoin(items, ","), "]}}"));
}

std::string StpStateNotification(const StpOrder& order) {
  const StpOrderRequest& r = order.request;
  boost::json::object body{
      {"id", order.id},
      {"empresa", r.empresa},
      {"folioOrigen", r.folio_origen.empty() ? r.clave_rastreo : r.folio_origen},
      {"estado", NotificationEstado(order.estado)},
      {"causaDevolucion",
       order.causa_devolucion == 0 ? std::string() : absl::StrCat(order.causa_devolucion)},
      {"tsLiquidacion", absl::StrCat(StpTimestampMs(order.ts_liquidacion))},
  };
  return ToJson(body);
}

std::string StpDepositNotification(const StpOrder& order) {
  const StpOrderRequest& r = order.request;
  int64_t fecha = 0;
  for (char c : order.fecha_operacion) fecha = fecha * 10 + (c - '0');
  boost::json::object body{
      {"id", order.id},
      {"fechaOperacion", fecha},
      {"institucionOrdenante", r.institucion_contraparte},
      {"institucionBeneficiaria", r.institucion_operante},
      {"claveRastreo", r.clave_rastreo},
      {"monto", "__stp_monto__"},
      {"nombreOrdenante", r.nombre_ordenante},
      {"tipoCuentaOrdenante", r.tipo_cuenta_ordenante},
      {"cuentaOrdenante", r.cuenta_ordenante},
      {"rfcCurpOrdenante", r.rfc_curp_ordenante},
      {"nombreBeneficiario", r.nombre_beneficiario},
      {"tipoCuentaBeneficiario", r.tipo_cuenta_beneficiario},
      {"cuentaBeneficiario", r.cuenta_beneficiario},
      {"rfcCurpBeneficiario", r.rfc_curp_beneficiario},
      {"conceptoPago", r.concepto_pago},
      {"referenciaNumerica", r.referencia_numerica},
      {"empresa", r.empresa},
      {"tipoPago", r.tipo_pago},
      {"tsLiquidacion", absl::StrCat(StpTimestampMs(order.ts_liquidacion))},
  };
  return WithMonto(body, r.amount);
}

}  // namespace sandbox
