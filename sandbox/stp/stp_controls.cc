// Records that disagree with the gateway's, for reconciliation tests
// (sandbox/common/transfer_controls.h): orphan, dropped, altered and duplicated orders. No
// notification is sent: the point is an STP record the gateway was never told about.
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "sandbox/common/spei_banks.h"
#include "sandbox/stp/stp_simulator.h"

namespace sandbox {
namespace {

bool IsStpEstado(const std::string& estado) {
  return estado == "E" || estado == "LQ" || estado == "CN" || estado == "D";
}

}  // namespace

TransferControls StpSimulator::Controls() {
  TransferControls controls;
  controls.orphan = [this](const OrphanOrder& order) { return CreateOrphan(order); };
  controls.drop = [this](const std::string& id) { return DropOrder(id); };
  controls.alter = [this](const std::string& id, const TransferEdit& edit) {
    return AlterOrder(id, edit);
  };
  controls.duplicate = [this](const std::string& id) { return DuplicateOrder(id); };
  return controls;
}

ControlOutcome StpSimulator::CreateOrphan(const OrphanOrder& orphan) {
  const std::string estado = orphan.status.empty() ? "LQ" : orphan.status;
  if (!IsStpEstado(estado)) return ControlOutcome::Error(400, "estado must be E, LQ, CN or D");
  const SpeiBank* bank = FindSpeiBankByClabePrefix(orphan.counterparty_clabe.substr(0, 3));
  if (bank == nullptr) {
    return ControlOutcome::Error(400, "counterparty_clabe's bank is no SPEI participant");
  }
  absl::MutexLock lock(&mu_);
  StpOrder order;
  order.estado = estado;
  StpOrderRequest& r = order.request;
  r.empresa = config_.empresa;
  r.amount = orphan.amount;
  r.cuenta_beneficiario = orphan.counterparty_clabe;
  r.nombre_beneficiario = "ORPHAN";
  r.rfc_curp_beneficiario = "ND";
  r.tipo_cuenta_beneficiario = 40;
  r.cuenta_ordenante = config_.cuenta_ordenante;
  r.nombre_ordenante = config_.nombre_ordenante;
  r.tipo_cuenta_ordenante = 40;
  r.concepto_pago = orphan.description.empty() ? "orphan" : orphan.description;
  absl::SimpleAtoi(orphan.reference, &r.referencia_numerica);
  r.tipo_pago = 1;
  r.institucion_contraparte = std::stoi(bank->banxico_code);
  r.institucion_operante = kStpBankCode;
  r.clave_rastreo = absl::StrCat("SBXORPHAN", TodayLocked(), next_tracking_sequence_++);
  StpOrder& stored = AddOrderLocked(std::move(order));
  if (estado == "LQ") stored.ts_liquidacion = stored.ts_captura;
  ControlOutcome outcome;
  outcome.http_status = 201;
  outcome.row = OrderRow(stored);
  return outcome;
}

ControlOutcome StpSimulator::DropOrder(const std::string& id) {
  int64_t number = 0;
  absl::MutexLock lock(&mu_);
  auto it = absl::SimpleAtoi(id, &number) ? orders_.find(number) : orders_.end();
  if (it == orders_.end() || it->second.dropped) return ControlOutcome::Error(404, "no such order");
  it->second.dropped = true;
  ControlOutcome outcome;
  outcome.row = OrderRow(it->second);
  return outcome;
}

ControlOutcome StpSimulator::AlterOrder(const std::string& id, const TransferEdit& edit) {
  if (edit.status && !IsStpEstado(*edit.status)) {
    return ControlOutcome::Error(400, "estado must be E, LQ, CN or D");
  }
  int64_t number = 0;
  absl::MutexLock lock(&mu_);
  auto it = absl::SimpleAtoi(id, &number) ? orders_.find(number) : orders_.end();
  if (it == orders_.end() || it->second.dropped) return ControlOutcome::Error(404, "no such order");
  StpOrder& order = it->second;
  if (edit.amount) order.request.amount = *edit.amount;
  if (edit.counterparty_clabe) order.request.cuenta_beneficiario = *edit.counterparty_clabe;
  if (edit.reference) absl::SimpleAtoi(*edit.reference, &order.request.referencia_numerica);
  if (edit.status) order.estado = *edit.status;
  ControlOutcome outcome;
  outcome.row = OrderRow(order);
  return outcome;
}

ControlOutcome StpSimulator::DuplicateOrder(const std::string& id) {
  int64_t number = 0;
  absl::MutexLock lock(&mu_);
  auto it = absl::SimpleAtoi(id, &number) ? orders_.find(number) : orders_.end();
  if (it == orders_.end() || it->second.dropped) return ControlOutcome::Error(404, "no such order");
  StpOrder copy = it->second;
  copy.fecha_operacion.clear();
  // The copy keeps the tracking key; the index keeps pointing at the first order with it.
  StpOrder& stored = AddOrderLocked(std::move(copy));
  ControlOutcome outcome;
  outcome.http_status = 201;
  outcome.row = OrderRow(stored);
  return outcome;
}

}  // namespace sandbox
