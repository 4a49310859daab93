// Settlement of sent orders, received deposits, and the notifications each produces:
//   sent E -> LQ (liquidada) | CN (cancelada, kStpCancelledBeneficiary or forced)
//   sent LQ -> D (devuelta) only when forced (POST /_sandbox/settle {"estado":"D"})
//   received: LQ at once, notified as an abono
#include <utility>

#include "absl/strings/str_cat.h"
#include "sandbox/common/clabe.h"
#include "sandbox/common/spei_banks.h"
#include "sandbox/stp/stp_json.h"
#include "sandbox/stp/stp_simulator.h"

namespace sandbox {

void StpSimulator::ScheduleSettlement(int64_t id) {
  if (config_.settle_after < absl::ZeroDuration()) return;  // manual settlement only
  scheduler_.RunAfter(config_.settle_after, [this, id] { Settle(id, ""); });
}

int StpSimulator::Settle(int64_t id, const std::string& estado) {
  std::vector<WebhookDelivery> outbox;
  int settled = 0;
  {
    absl::MutexLock lock(&mu_);
    if (id != 0) {
      auto it = orders_.find(id);
      if (it != orders_.end() && SettleLocked(it->second, estado, &outbox)) ++settled;
    } else {
      for (auto& [order_id, order] : orders_) {  // oldest first: events in creation order
        if (SettleLocked(order, estado, &outbox)) ++settled;
      }
    }
  }
  SendAll(std::move(outbox));
  return settled;
}

bool StpSimulator::SettleLocked(StpOrder& order, const std::string& estado,
                                std::vector<WebhookDelivery>* outbox) {
  if (order.tipo != "E" || order.dropped) return false;
  if (order.estado == "E") {
    std::string next = estado;
    if (next.empty()) {
      next = order.request.cuenta_beneficiario == kStpCancelledBeneficiary ? "CN" : "LQ";
    }
    if (next == "D") return false;  // a return needs a liquidated order
    order.estado = next;
    if (next == "LQ") {
      order.ts_liquidacion = clock_->Now();
    } else {
      order.causa_devolucion = 1;  // SPEI return cause 01: cuenta inexistente
    }
  } else if (order.estado == "LQ" && estado == "D") {
    order.estado = "D";
    order.causa_devolucion = 1;
    order.ts_devolucion = clock_->Now();
  } else {
    return false;
  }
  QueueLocked(config_.state_webhook_url, "cambio_estado", StpStateNotification(order), outbox);
  return true;
}

absl::StatusOr<boost::json::object> StpSimulator::ReceiveDeposit(const StpDepositRequest& deposit) {
  if (deposit.amount < 1) return absl::InvalidArgumentError("amount must be >= 1 centavo");
  if (!IsValidClabe(deposit.cuenta_ordenante)) {
    return absl::InvalidArgumentError("cuentaOrdenante is not a CLABE");
  }
  const SpeiBank* bank = FindSpeiBankByClabePrefix(deposit.cuenta_ordenante.substr(0, 3));
  if (bank == nullptr) return absl::InvalidArgumentError("cuentaOrdenante's bank is unknown");
  const std::string beneficiary =
      deposit.cuenta_beneficiario.empty() ? config_.cuenta_ordenante : deposit.cuenta_beneficiario;
  if (!IsValidClabe(beneficiary) || beneficiary.substr(0, 3) != "646") {
    return absl::InvalidArgumentError("cuentaBeneficiario is not an STP CLABE");
  }
  std::vector<WebhookDelivery> outbox;
  boost::json::object row;
  {
    absl::MutexLock lock(&mu_);
    StpOrder order;
    order.tipo = "R";
    order.estado = "LQ";
    StpOrderRequest& r = order.request;
    r.empresa = config_.empresa;
    r.amount = deposit.amount;
    r.cuenta_beneficiario = beneficiary;
    r.nombre_beneficiario = config_.nombre_ordenante;
    r.rfc_curp_beneficiario = "ND";
    r.tipo_cuenta_beneficiario = 40;
    r.cuenta_ordenante = deposit.cuenta_ordenante;
    r.nombre_ordenante = deposit.nombre_ordenante;
    r.rfc_curp_ordenante = deposit.rfc_curp_ordenante;
    r.tipo_cuenta_ordenante = 40;
    r.concepto_pago = deposit.concepto_pago;
    r.referencia_numerica = deposit.referencia_numerica;
    r.tipo_pago = 1;
    r.institucion_contraparte = std::stoi(bank->banxico_code);
    r.institucion_operante = kStpBankCode;
    r.clave_rastreo = deposit.clave_rastreo.empty()
                          ? absl::StrCat("SBXDEP", TodayLocked(), next_tracking_sequence_++)
                          : deposit.clave_rastreo;
    StpOrder& stored = AddOrderLocked(std::move(order));
    stored.ts_liquidacion = stored.ts_captura;
    row = OrderRow(stored);
    QueueLocked(config_.deposit_webhook_url, "abono", StpDepositNotification(stored), &outbox);
  }
  SendAll(std::move(outbox));
  return row;
}

void StpSimulator::QueueLocked(const std::string& url, const std::string& kind, std::string body,
                               std::vector<WebhookDelivery>* outbox) {
  if (url.empty()) {
    ++events_skipped_;
    return;
  }
  WebhookDelivery delivery;
  delivery.url = url;
  delivery.body = std::move(body);
  delivery.kind = kind;
  outbox->push_back(std::move(delivery));
}

void StpSimulator::SendAll(std::vector<WebhookDelivery> outbox) {
  for (WebhookDelivery& delivery : outbox) webhook_sender_.Send(std::move(delivery));
}

}  // namespace sandbox
