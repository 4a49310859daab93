// Routing, order registration, the status query by tracking key, and the sandbox control
// endpoints of the STP simulator.
#include "sandbox/stp/stp_simulator.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "sandbox/common/clabe.h"
#include "sandbox/common/json_util.h"
#include "sandbox/common/send_control.h"
#include "sandbox/common/webhook_faults_control.h"
#include "sandbox/stp/stp_json.h"
#include "sandbox/stp/stp_orders.h"
#include "vocabulary/status_macros.h"

namespace sandbox {
namespace {

constexpr char kRegistraPath[] = "/speiws/rest/ordenPago/registra";
constexpr char kConsultaPath[] = "/speiws/rest/ordenPago/consOrdEnvRastreo";
constexpr char kConsultaFechaPath[] = "/speiws/rest/ordenPago/consOrdenesFech";
constexpr char kFirmaError[] = "Error validando la firma";

}  // namespace

absl::StatusOr<std::unique_ptr<StpSimulator>> StpSimulator::Create(StpConfig config,
                                                                   const Clock* clock) {
  if (config.empresa.empty() || config.empresa.size() > kStpMaxEmpresa) {
    return absl::InvalidArgumentError("the STP empresa must be 1-15 characters");
  }
  if (!IsValidClabe(config.cuenta_ordenante) || config.cuenta_ordenante.substr(0, 3) != "646") {
    return absl::InvalidArgumentError("the STP cuenta_ordenante must be an STP (646) CLABE");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<StpSignatureVerifier> verifier,
                   StpSignatureVerifier::Create(config.public_key_pem));
  return std::unique_ptr<StpSimulator>(
      new StpSimulator(std::move(config), clock, std::move(verifier)));
}

StpSimulator::StpSimulator(StpConfig config, const Clock* clock,
                           std::unique_ptr<StpSignatureVerifier> verifier)
    : config_(std::move(config)),
      clock_(clock),
      verifier_(std::move(verifier)),
      next_id_(config_.first_order_id),
      dedup_switch_(clock, absl::Hours(24)),
      webhook_sender_(config_.webhooks),
      scheduler_(1) {
  dedup_switch_.set_dedup(config_.dedup);
  webhook_sender_.SetFaults(config_.webhook_faults);
}

StpSimulator::~StpSimulator() { Shutdown(); }

void StpSimulator::Shutdown() {
  scheduler_.Stop();
  webhook_sender_.Stop();
}

void StpSimulator::Handle(const ServerRequest& request, const Responder& responder) {
  if (absl::StartsWith(request.path, "/_sandbox/")) {
    responder.Send(HandleControl(request));
    return;
  }
  // PUT as STP's clients send it; POST accepted too (docs/providers/stp.md#registra).
  if (request.path == kRegistraPath && (request.method == "PUT" || request.method == "POST")) {
    SendTicket ticket;
    ServerReply reply = Registra(request, &ticket);
    if (ticket.lose_reply) {
      // Processed, but the caller never hears of it: the connection closes without a reply.
      scheduler_.RunAfter(absl::Milliseconds(ticket.lose_reply_after_ms),
                          [responder] { responder.Drop(); });
    } else {
      responder.Send(std::move(reply));
    }
    return;
  }
  if (request.path == kConsultaPath && request.method == "POST") {
    responder.Send(ConsultaPorRastreo(request));
    return;
  }
  if (request.path == kConsultaFechaPath && request.method == "POST") {
    responder.Send(ConsultaPorFecha(request));
    return;
  }
  // An unknown resource: a servlet container's HTML 404, not STP's JSON shape.
  ServerReply reply;
  reply.status = 404;
  reply.content_type = "text/html";
  reply.body = "<html><body><h1>HTTP Status 404 - Not Found</h1></body></html>";
  responder.Send(std::move(reply));
}

std::string StpSimulator::TodayLocked() const {
  // Mexico City has kept UTC-6 all year since 2022.
  return absl::FormatTime("%Y%m%d", clock_->Now(), absl::FixedTimeZone(-6 * 60 * 60));
}

StpOrder& StpSimulator::AddOrderLocked(StpOrder order) {
  order.id = next_id_++;
  order.ts_captura = clock_->Now();
  if (order.fecha_operacion.empty()) order.fecha_operacion = TodayLocked();
  const int64_t id = order.id;
  by_tracking_key_.emplace(
      std::make_tuple(order.request.empresa, order.fecha_operacion, order.request.clave_rastreo),
      id);
  return orders_[id] = std::move(order);
}

ServerReply StpSimulator::Registra(const ServerRequest& request, SendTicket* ticket) {
  const absl::optional<boost::json::object> body = ParseJsonObject(request.body);
  if (!body) return StpErrorReply({0, "El cuerpo de la peticion no es un JSON valido"});
  StpOrderRequest order;
  StpError error;
  const bool valid = ParseStpOrder(*body, config_, *verifier_, &order, &error);
  // Refused before its signature verified (missing fields, bad firma): not a send of the
  // company's, like an authentication failure at the other providers (send_ledger.h).
  if (!valid && absl::EndsWith(error.description, "es obligatorio")) return StpErrorReply(error);
  if (!valid && error.description == kFirmaError) {
    absl::MutexLock lock(&mu_);
    ++signatures_rejected_;
    return StpErrorReply(error);
  }
  const std::string key = order.clave_rastreo;
  const std::string fingerprint = BodyFingerprint(request.path, request.body);
  *ticket = sends_.Arrive();
  ServerReply reply;
  bool created = false;
  if (!valid) {
    reply = StpErrorReply(error);
  } else {
    absl::MutexLock lock(&mu_);
    order.empresa = config_.empresa;
    const std::string today = TodayLocked();
    auto used = by_tracking_key_.find(std::make_tuple(order.empresa, today, key));
    if (used != by_tracking_key_.end() && dedup_switch_.dedup()) {
      ++tracking_keys_reused_;
      reply = StpErrorReply(
          {-1, absl::StrCat("La clave de rastreo {", key, "} para la fecha {", today,
                            "} de la institucion {", kStpBankCode, "} ya fue utilizada")});
    } else {
      StpOrder record;
      record.request = order;
      record.fecha_operacion = today;
      const StpOrder& stored = AddOrderLocked(std::move(record));
      reply = StpIdReply(stored.id);
      created = true;
      ScheduleSettlement(stored.id);
    }
  }
  // STP answers refusals with HTTP 200 too; the ledger must see them as refusals.
  ServerReply ledger_view = reply;
  if (!created) ledger_view.status = 422;
  sends_.Record("orden", key, fingerprint, ledger_view, false, *ticket);
  return reply;
}

ServerReply StpSimulator::ConsultaPorRastreo(const ServerRequest& request) {
  const absl::optional<boost::json::object> body = ParseJsonObject(request.body);
  if (!body) return StpErrorReply({0, "El cuerpo de la peticion no es un JSON valido"});
  StpTrackingQuery query;
  StpError error;
  if (!ParseStpTrackingQuery(*body, config_, *verifier_, &query, &error)) {
    if (error.description == kFirmaError) {
      absl::MutexLock lock(&mu_);
      ++signatures_rejected_;
    }
    return StpErrorReply(error);
  }
  absl::MutexLock lock(&mu_);
  const std::string fecha = query.fecha_operacion.empty() ? TodayLocked() : query.fecha_operacion;
  auto it = by_tracking_key_.find(std::make_tuple(query.empresa, fecha, query.clave_rastreo));
  if (it != by_tracking_key_.end()) {
    const StpOrder& order = orders_.at(it->second);
    if (!order.dropped && order.tipo == "E") return StpOrdenPagoReply(order, config_.empresa);
  }
  return StpErrorReply(
      {-100, absl::StrCat("No se encontró la orden con rastreo ", query.clave_rastreo)});
}

ServerReply StpSimulator::ConsultaPorFecha(const ServerRequest& request) {
  const absl::optional<boost::json::object> body = ParseJsonObject(request.body);
  if (!body) return StpErrorReply({0, "El cuerpo de la peticion no es un JSON valido"});
  StpDateQuery query;
  StpError error;
  if (!ParseStpDateQuery(*body, config_, *verifier_, &query, &error)) {
    if (error.description == kFirmaError) {
      absl::MutexLock lock(&mu_);
      ++signatures_rejected_;
    }
    return StpErrorReply(error);
  }
  absl::MutexLock lock(&mu_);
  const std::string fecha = query.fecha_operacion.empty() ? TodayLocked() : query.fecha_operacion;
  std::vector<const StpOrder*> found;
  for (const auto& [id, order] : orders_) {  // oldest first
    if (!order.dropped && order.tipo == query.estado && order.fecha_operacion == fecha) {
      found.push_back(&order);
    }
  }
  return StpOrdenesReply(found, config_.empresa);
}

boost::json::object StpSimulator::OrderRow(const StpOrder& order) {
  return boost::json::object{
      {"id", absl::StrCat(order.id)},
      {"tipo", order.tipo},
      {"tracking_key", order.request.clave_rastreo},
      {"fecha_operacion", order.fecha_operacion},
      {"amount", order.request.amount},
      {"counterparty_clabe",
       order.tipo == "E" ? order.request.cuenta_beneficiario : order.request.cuenta_ordenante},
      {"reference", absl::StrCat(order.request.referencia_numerica)},
      {"status", order.estado},
      {"dropped", order.dropped},
  };
}

boost::json::array StpSimulator::TransfersJson() const {
  absl::MutexLock lock(&mu_);
  boost::json::array rows;
  for (const auto& [id, order] : orders_) rows.push_back(OrderRow(order));
  return rows;
}

StpCounters StpSimulator::counters() const {
  StpCounters counters;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, order] : orders_) {
      if (order.tipo == "E") {
        ++counters.orders_created;
        if (order.estado == "E") ++counters.orders_pending;
      } else {
        ++counters.deposits_received;
      }
    }
    counters.signatures_rejected = signatures_rejected_;
    counters.tracking_keys_reused = tracking_keys_reused_;
    counters.events_skipped = events_skipped_;
  }
  counters.webhooks = webhook_sender_.stats();
  return counters;
}

ServerReply StpSimulator::StateReply() const {
  const StpCounters c = counters();
  boost::json::object state{{"orders_created", c.orders_created},
                            {"orders_pending", c.orders_pending},
                            {"deposits_received", c.deposits_received},
                            {"signatures_rejected", c.signatures_rejected},
                            {"tracking_keys_reused", c.tracking_keys_reused},
                            {"events_skipped", c.events_skipped},
                            {"webhooks_queued", c.webhooks.queued},
                            {"webhooks_delivered", c.webhooks.delivered},
                            {"webhooks_failed", c.webhooks.failed},
                            {"webhooks_pending", c.webhooks.pending()},
                            {"empresa", config_.empresa},
                            {"cuenta_ordenante", config_.cuenta_ordenante}};
  return ServerReply::Json(200, ToJson(state));
}

ServerReply StpSimulator::HandleControl(const ServerRequest& request) {
  if (request.path == "/_sandbox/stp/state" && request.method == "GET") return StateReply();
  if (absl::optional<ServerReply> reply =
          SendControlReply(request, dedup_switch_, sends_, [this] { return TransfersJson(); })) {
    return *std::move(reply);
  }
  if (absl::optional<ServerReply> reply = WebhookFaultsControlReply(request, webhook_sender_)) {
    return *std::move(reply);
  }
  if (absl::optional<ServerReply> reply = TransferControlReply(request, Controls())) {
    return *std::move(reply);
  }
  if (request.method == "POST" && request.path == "/_sandbox/stp/receive") {
    const absl::optional<boost::json::object> body = ParseJsonObject(request.body);
    if (!body) return ServerReply::Json(400, R"({"error":"expected a JSON object"})");
    StpDepositRequest deposit;
    const boost::json::value* amount = body->if_contains("amount");
    if (amount == nullptr || !amount->is_int64() || amount->as_int64() < 1) {
      return ServerReply::Json(400, R"({"error":"amount: an integer of centavos >= 1"})");
    }
    deposit.amount = amount->as_int64();
    auto text = [&](const char* name, std::string* out) {
      if (const auto* value = JsonString(*body, name)) *out = std::string(*value);
    };
    text("cuentaBeneficiario", &deposit.cuenta_beneficiario);
    text("cuentaOrdenante", &deposit.cuenta_ordenante);
    text("nombreOrdenante", &deposit.nombre_ordenante);
    text("rfcCurpOrdenante", &deposit.rfc_curp_ordenante);
    text("conceptoPago", &deposit.concepto_pago);
    text("claveRastreo", &deposit.clave_rastreo);
    if (const auto* reference = body->if_contains("referenciaNumerica")) {
      if (!reference->is_int64()) {
        return ServerReply::Json(400, R"({"error":"referenciaNumerica: an integer"})");
      }
      deposit.referencia_numerica = reference->as_int64();
    }
    absl::StatusOr<boost::json::object> received = ReceiveDeposit(deposit);
    if (!received.ok()) {
      return ServerReply::Json(
          400, ToJson(boost::json::object{{"error", std::string(received.status().message())}}));
    }
    return ServerReply::Json(201, ToJson(*received));
  }
  if (request.method == "POST" && request.path == "/_sandbox/settle") {
    int64_t id = 0;
    std::string estado;
    if (!request.body.empty()) {
      const absl::optional<boost::json::object> body = ParseJsonObject(request.body);
      if (!body) return ServerReply::Json(400, R"({"error":"expected a JSON object"})");
      if (const auto* value = body->if_contains("id")) {
        if (!value->is_int64()) return ServerReply::Json(400, R"({"error":"id: an integer"})");
        id = value->as_int64();
      }
      if (const auto* value = JsonString(*body, "estado")) estado = std::string(*value);
    }
    if (!estado.empty() && estado != "LQ" && estado != "CN" && estado != "D") {
      return ServerReply::Json(400, R"({"error":"estado must be LQ, CN or D"})");
    }
    return ServerReply::Json(200, absl::StrCat(R"({"settled":)", Settle(id, estado), "}"));
  }
  return ServerReply::Json(404, R"({"error":"unknown sandbox control call"})");
}

}  // namespace sandbox
