// STP's JSON shapes (docs/providers/stp.md#registra, #consulta, #webhooks): replies
// ({"resultado":...}), an order as consOrdEnvRastreo returns it, and the two notifications (cambio
// de estado, abono). Amounts are JSON numbers with exactly two decimals ("monto":1.20), written
// from centavos, never through a double.
#ifndef SANDBOX_STP_STP_JSON_H_
#define SANDBOX_STP_STP_JSON_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "sandbox/http/http_server.h"
#include "sandbox/stp/stp_model.h"

namespace sandbox {

// {"resultado":{"id":N}} with HTTP 200.
ServerReply StpIdReply(int64_t id);
// {"resultado":{"id":<id>,"descripcionError":"..."}} with HTTP 200 (STP answers errors so).
ServerReply StpErrorReply(const StpError& error);
// One order as the queries return it: {"idEF","claveRastreo","estado","monto":1.20,...}.
std::string StpOrdenPagoJson(const StpOrder& order, const std::string& empresa);
// {"resultado":{"id":1,"ordenPago":{...}}}
ServerReply StpOrdenPagoReply(const StpOrder& order, const std::string& empresa);
// {"resultado":{"id":1,"lst":[{...},...]}}; none: {"resultado":{"id":-100,
// "descripcionError":"No se encontraron ordenes"}} (as STP's demo host answered).
ServerReply StpOrdenesReply(const std::vector<const StpOrder*>& orders, const std::string& empresa);

// The state-change notification of a sent order: {"id","empresa","folioOrigen","estado",
// "causaDevolucion","tsLiquidacion"}; estado LIQUIDADA, CANCELADA or DEVUELTA.
std::string StpStateNotification(const StpOrder& order);
// The deposit notification (abono) of a received order.
std::string StpDepositNotification(const StpOrder& order);

// Milliseconds since the epoch, as STP's ts* fields; 0 for InfinitePast.
int64_t StpTimestampMs(absl::Time time);

}  // namespace sandbox

#endif  // SANDBOX_STP_STP_JSON_H_
