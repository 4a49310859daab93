// An in-memory simulation of STP's SPEI API (docs/providers/stp.md) for one company, served
// by an HttpServer: pass [&sim](const ServerRequest& r, Responder w) { sim.Handle(r, w); } as
// its handler. Thread-safe. Shut down in this order: stop the HttpServer, then Shutdown() or
// destroy the simulator, then destroy the server.
//
//   PUT  /speiws/rest/ordenPago/registra          a signed order -> {"resultado":{"id":N}}
//   POST /speiws/rest/ordenPago/consOrdEnvRastreo  a signed query by claveRastreo
//   POST /speiws/rest/ordenPago/consOrdenesFech    a signed list of a day's sent or received
//
// Errors are STP's: HTTP 200 {"resultado":{"id":<n <= 0>,"descripcionError":"..."}}. State
// changes and deposits are POSTed to the configured URLs. Controls: sandbox/README.md.
#ifndef SANDBOX_STP_STP_SIMULATOR_H_
#define SANDBOX_STP_STP_SIMULATOR_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <boost/json.hpp>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "sandbox/common/clock.h"
#include "sandbox/common/idempotency_store.h"
#include "sandbox/common/scheduler.h"
#include "sandbox/common/send_ledger.h"
#include "sandbox/common/transfer_controls.h"
#include "sandbox/common/webhook_sender.h"
#include "sandbox/http/http_server.h"
#include "sandbox/stp/stp_config.h"
#include "sandbox/stp/stp_model.h"
#include "sandbox/stp/stp_signature.h"

namespace sandbox {

// What GET /_sandbox/stp/state reports.
struct StpCounters {
  int64_t orders_created = 0;
  int64_t orders_pending = 0;
  int64_t deposits_received = 0;
  int64_t signatures_rejected = 0;
  int64_t tracking_keys_reused = 0;
  int64_t events_skipped = 0;  // no webhook URL configured
  WebhookStats webhooks;
};

// A deposit recorded by ReceiveDeposit / POST /_sandbox/stp/receive.
struct StpDepositRequest {
  int64_t amount = 0;               // centavos, >= 1
  std::string cuenta_beneficiario;  // "" = the company's account
  std::string cuenta_ordenante = kStpDefaultDepositSender;
  std::string nombre_ordenante = "CLIENTE SANDBOX";
  std::string rfc_curp_ordenante = "ND";
  std::string concepto_pago = "Deposito sandbox";
  std::string clave_rastreo;  // "" = generated
  int64_t referencia_numerica = 1;
};

class StpSimulator {
 public:
  // Fails when the public key is not an RSA PEM public key.
  static absl::StatusOr<std::unique_ptr<StpSimulator>> Create(
      StpConfig config, const Clock* clock = SystemClock::Get());
  ~StpSimulator();
  StpSimulator(const StpSimulator&) = delete;
  StpSimulator& operator=(const StpSimulator&) = delete;

  void Handle(const ServerRequest& request, const Responder& responder);
  void Shutdown();
  StpCounters counters() const;

  // Settles now every pending sent order, or only `id`. `estado` "" follows the beneficiary
  // (kStpCancelledBeneficiary is cancelled), or forces "LQ" or "CN"; "D" returns a liquidated
  // order. Returns how many changed.
  int Settle(int64_t id, const std::string& estado);
  // A deposit into the company's account: an "R" order, LQ at once, notified as an abono.
  absl::StatusOr<boost::json::object> ReceiveDeposit(const StpDepositRequest& deposit);

  // claveRastreo reuse check (on unless StpConfig::dedup is false).
  void SetDedup(bool dedup) { dedup_switch_.set_dedup(dedup); }
  bool dedup() const { return dedup_switch_.dedup(); }
  SendSnapshot sends() const { return sends_.snapshot(); }
  boost::json::array TransfersJson() const;

  // stp_controls.cc: records that disagree with the gateway's (transfer_controls.h).
  ControlOutcome CreateOrphan(const OrphanOrder& order);
  ControlOutcome DropOrder(const std::string& id);
  ControlOutcome AlterOrder(const std::string& id, const TransferEdit& edit);
  ControlOutcome DuplicateOrder(const std::string& id);

 private:
  StpSimulator(StpConfig config, const Clock* clock,
               std::unique_ptr<StpSignatureVerifier> verifier);

  // `ticket`: taken once the order is signed (send_ledger.h), to lose its reply on purpose.
  ServerReply Registra(const ServerRequest& request, SendTicket* ticket);
  ServerReply ConsultaPorRastreo(const ServerRequest& request);
  ServerReply ConsultaPorFecha(const ServerRequest& request);
  ServerReply HandleControl(const ServerRequest& request);
  ServerReply StateReply() const;
  std::string TodayLocked() const;  // Mexico City date, YYYYMMDD
  StpOrder& AddOrderLocked(StpOrder order) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  static boost::json::object OrderRow(const StpOrder& order);
  TransferControls Controls();

  // stp_lifecycle.cc: settlement and notifications.
  void ScheduleSettlement(int64_t id);
  bool SettleLocked(StpOrder& order, const std::string& estado,
                    std::vector<WebhookDelivery>* outbox) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void QueueLocked(const std::string& url, const std::string& kind, std::string body,
                   std::vector<WebhookDelivery>* outbox) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SendAll(std::vector<WebhookDelivery> outbox);

  const StpConfig config_;
  const Clock* const clock_;
  const std::unique_ptr<StpSignatureVerifier> verifier_;

  mutable absl::Mutex mu_;
  std::map<int64_t, StpOrder> orders_ ABSL_GUARDED_BY(mu_);  // by id; ids grow with time
  // (empresa, fechaOperacion, claveRastreo) -> id of the first order with it.
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> by_tracking_key_
      ABSL_GUARDED_BY(mu_);
  int64_t next_id_ ABSL_GUARDED_BY(mu_);
  uint64_t next_tracking_sequence_ ABSL_GUARDED_BY(mu_) = 1;
  int64_t signatures_rejected_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t tracking_keys_reused_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t events_skipped_ ABSL_GUARDED_BY(mu_) = 0;

  IdempotencyStore dedup_switch_;  // only its dedup flag: STP has no Idempotency-Key
  SendLedger sends_;
  WebhookSender webhook_sender_;
  Scheduler scheduler_;  // last: destroyed first, its tasks use everything above
};

}  // namespace sandbox

#endif  // SANDBOX_STP_STP_SIMULATOR_H_
