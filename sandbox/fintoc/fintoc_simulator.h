// An in-memory simulation of Fintoc's Transfers API v2 in test mode (docs/providers/fintoc.md),
// served by an HttpServer: pass [&sim](const ServerRequest& r, Responder w) { sim.Handle(r, w); }
// as its handler. Thread-safe.
//
// Shut down in this order: stop the HttpServer, then Shutdown() or destroy the simulator,
// then destroy the server.
//
// Endpoints, auth rules and the /_sandbox control calls are listed in sandbox/README.md.
#ifndef SANDBOX_FINTOC_FINTOC_SIMULATOR_H_
#define SANDBOX_FINTOC_FINTOC_SIMULATOR_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "sandbox/common/clock.h"
#include "sandbox/common/idempotency_store.h"
#include "sandbox/common/scheduler.h"
#include "sandbox/common/send_ledger.h"
#include "sandbox/common/transfer_controls.h"
#include "sandbox/common/webhook_sender.h"
#include "sandbox/fintoc/fintoc_config.h"
#include "sandbox/fintoc/fintoc_errors.h"
#include "sandbox/fintoc/fintoc_model.h"
#include "sandbox/fintoc/fintoc_requests.h"
#include "sandbox/fintoc/jws_verifier.h"
#include "sandbox/http/http_server.h"

namespace sandbox {

// What GET /_sandbox/fintoc/state reports.
struct FintocCounters {
  int64_t transfers_created = 0;  // outbound + inbound
  int64_t outbound_created = 0;
  int64_t inbound_created = 0;
  int64_t returns_requested = 0;
  int64_t transfers_pending = 0;  // pending or return_pending
  int64_t jws_rejected = 0;
  int64_t idempotent_replays = 0;
  int64_t events_skipped = 0;  // no webhook URL configured
  WebhookStats webhooks;
};

class FintocSimulator {
 public:
  // Fails when the JWS public key is not an RSA PEM public key.
  static absl::StatusOr<std::unique_ptr<FintocSimulator>> Create(
      FintocConfig config, const Clock* clock = SystemClock::Get());
  ~FintocSimulator();
  FintocSimulator(const FintocSimulator&) = delete;
  FintocSimulator& operator=(const FintocSimulator&) = delete;

  void Handle(const ServerRequest& request, const Responder& responder);
  void Shutdown();
  FintocCounters counters() const;

  // Settles now: every pending / return_pending transfer, or only `transfer_id`. `outcome` ""
  // follows the counterparty (kFintocRejectedCounterparty is rejected), or forces "succeeded",
  // "rejected" or "failed". Returns how many changed.
  int SettlePending(const std::string& transfer_id, const std::string& outcome);

  // Idempotency-Key deduplication (on unless FintocConfig::dedup is false).
  void SetDedup(bool dedup) { idempotency_.set_dedup(dedup); }
  bool dedup() const { return idempotency_.dedup(); }
  // Every transfer and return request received, per key and per body (send_ledger.h).
  SendSnapshot sends() const { return sends_.snapshot(); }
  // Every transfer, oldest first: id, direction, keys, amount, counterparty, reference, status.
  boost::json::array TransfersJson() const;

  // fintoc_controls.cc: records that disagree with the gateway's, without a webhook
  // (sandbox/common/transfer_controls.h; POST /_sandbox/transfers/...). Each answers the
  // transfer's row as TransfersJson lists it. An orphan is an outbound transfer from
  // `account_id` (default: the seeded account), "succeeded" unless `status` says otherwise.
  ControlOutcome CreateOrphan(const OrphanOrder& order);
  ControlOutcome DropTransfer(const std::string& id);
  ControlOutcome AlterTransfer(const std::string& id, const TransferEdit& edit);
  // A second transfer with a new id and every other field, tracking key included, the same.
  ControlOutcome DuplicateTransfer(const std::string& id);

 private:
  using RouteHandler = ServerReply (FintocSimulator::*)(const ServerRequest&,
                                                        const std::vector<std::string>&);
  struct Route;

  FintocSimulator(FintocConfig config, const Clock* clock, std::unique_ptr<JwsVerifier> jws);

  // fintoc_simulator.cc: routing, auth, idempotency, accounts, account numbers, control.
  bool Authenticate(const ServerRequest& request, FintocError* error) const;
  // `ticket`: set for money-moving routes once authenticated (send_ledger.h).
  ServerReply Dispatch(const Route& route, const ServerRequest& request,
                       const std::vector<std::string>& params, SendTicket* ticket);
  // The route's reply under Idempotency-Key `key` (none when empty): fresh, or a replay.
  ServerReply Deduplicate(const Route& route, const ServerRequest& request,
                          const std::vector<std::string>& params, const std::string& key,
                          const std::string& fingerprint, bool* replayed);
  ServerReply ListAccounts(const ServerRequest& request, const std::vector<std::string>& params);
  ServerReply GetAccount(const ServerRequest& request, const std::vector<std::string>& params);
  ServerReply CreateAccount(const ServerRequest& request, const std::vector<std::string>& params);
  ServerReply ListAccountNumbers(const ServerRequest& request,
                                 const std::vector<std::string>& params);
  ServerReply GetAccountNumber(const ServerRequest& request,
                               const std::vector<std::string>& params);
  ServerReply CreateAccountNumber(const ServerRequest& request,
                                  const std::vector<std::string>& params);
  ServerReply HandleControl(const ServerRequest& request);
  TransferControls Controls();
  static boost::json::object TransferRow(const FintocTransfer& transfer);
  ServerReply StateReply() const;
  FintocAccount& AddAccountLocked(const std::string& id, const std::string& account_number_id,
                                  const std::string& clabe, const std::string& description,
                                  int64_t balance) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  FintocAccountNumber& AddAccountNumberLocked(const std::string& id, const std::string& account_id,
                                              const std::string& clabe,
                                              const std::string& description, bool is_root)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // fintoc_transfers.cc: transfers, returns, simulated inbound transfers.
  ServerReply CreateTransfer(const ServerRequest& request, const std::vector<std::string>& params);
  ServerReply ListTransfers(const ServerRequest& request, const std::vector<std::string>& params);
  ServerReply GetTransfer(const ServerRequest& request, const std::vector<std::string>& params);
  ServerReply ReturnTransfer(const ServerRequest& request, const std::vector<std::string>& params);
  ServerReply SimulateReceive(const ServerRequest& request, const std::vector<std::string>& params);
  ServerReply ReceiveTransfer(const ReceiveRequest& receive);
  std::string NewTrackingKeyLocked(const char* institution) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  boost::json::object TransferJsonLocked(const FintocTransfer& transfer) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // fintoc_lifecycle.cc: settlement and webhook events.
  void ScheduleSettlement(const std::string& transfer_id);
  bool SettleLocked(FintocTransfer& transfer, const std::string& outcome,
                    std::vector<WebhookDelivery>* outbox) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void QueueEventLocked(const std::string& type, const FintocTransfer& transfer,
                        std::vector<WebhookDelivery>* outbox) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SendAll(std::vector<WebhookDelivery> outbox);

  const FintocConfig config_;
  const Clock* const clock_;
  const std::unique_ptr<JwsVerifier> jws_;

  mutable absl::Mutex mu_;
  std::map<std::string, FintocAccount> accounts_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> account_order_ ABSL_GUARDED_BY(mu_);  // oldest first
  std::map<std::string, FintocAccountNumber> account_numbers_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> account_number_order_ ABSL_GUARDED_BY(mu_);
  uint64_t next_clabe_account_ ABSL_GUARDED_BY(mu_) = 1000000;
  std::map<std::string, FintocTransfer> transfers_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> transfer_order_ ABSL_GUARDED_BY(mu_);
  uint64_t next_tracking_sequence_ ABSL_GUARDED_BY(mu_) = 1;
  int64_t outbound_created_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t inbound_created_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t returns_requested_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t jws_rejected_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t events_skipped_ ABSL_GUARDED_BY(mu_) = 0;

  IdempotencyStore idempotency_;
  SendLedger sends_;
  WebhookSender webhook_sender_;
  Scheduler scheduler_;  // last: destroyed first, its tasks use everything above
};

}  // namespace sandbox

#endif  // SANDBOX_FINTOC_FINTOC_SIMULATOR_H_
