// A faithful in-memory simulation of Monato's Fincore API (docs/providers/monato.md), served by
// an HttpServer: pass [&sim](const ServerRequest& r, Responder w) { sim.Handle(r, w); } as its
// handler. Thread-safe: the server may call Handle on several threads at once.
//
// Shut down in this order: stop the HttpServer (no more Handle calls), then Shutdown() or
// destroy the simulator (timers and webhook deliveries stop), then destroy the server.
//
// Endpoints, auth rules and the /_sandbox control calls are listed in sandbox/README.md.
#ifndef SANDBOX_MONATO_MONATO_SIMULATOR_H_
#define SANDBOX_MONATO_MONATO_SIMULATOR_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "absl/synchronization/mutex.h"
#include "absl/types/optional.h"
#include "sandbox/common/clock.h"
#include "sandbox/common/idempotency_store.h"
#include "sandbox/common/scheduler.h"
#include "sandbox/common/send_ledger.h"
#include "sandbox/common/transfer_controls.h"
#include "sandbox/common/webhook_sender.h"
#include "sandbox/http/http_server.h"
#include "sandbox/monato/monato_config.h"
#include "sandbox/monato/monato_errors.h"
#include "sandbox/monato/monato_model.h"

namespace sandbox {

// What GET /_sandbox/monato/state reports, so tests and benchmarks can assert "exactly N".
struct MonatoCounters {
  int64_t tokens_issued = 0;
  int64_t tokens_active = 0;
  int64_t money_outs_created = 0;
  int64_t refunds_created = 0;
  int64_t received_created = 0;
  int64_t transactions_initialized = 0;  // not settled yet
  int64_t idempotent_replays = 0;
  WebhookStats webhooks;
};

class MonatoSimulator {
 public:
  explicit MonatoSimulator(MonatoConfig config, const Clock* clock = SystemClock::Get());
  ~MonatoSimulator();
  MonatoSimulator(const MonatoSimulator&) = delete;
  MonatoSimulator& operator=(const MonatoSimulator&) = delete;

  void Handle(const ServerRequest& request, const Responder& responder);
  void Shutdown();

  const MonatoSeed& seed() const { return seed_; }
  MonatoCounters counters() const;

  // Every token stops working (401) from now on.
  int ExpireAllTokens();
  // Settles INITIALIZED transactions now: all of them, or only `transaction_id` when not empty.
  // `outcome` "" follows the destination (kMonatoRejectedClabe is rejected), or forces
  // "LIQUIDATED" / "REJECTED". Returns how many were settled.
  int SettlePending(const std::string& transaction_id, const std::string& outcome);

  // Idempotency-Key deduplication of money_out (on unless MonatoConfig::dedup is false).
  void SetDedup(bool dedup) { idempotency_.set_dedup(dedup); }
  bool dedup() const { return idempotency_.dedup(); }
  // Every money_out and refund request received, per key and per body (send_ledger.h).
  SendSnapshot sends() const { return sends_.snapshot(); }
  // Every money_out and refund made: id, operation, key, amount, CLABE, reference, status.
  boost::json::array TransfersJson() const;

  // monato_controls.cc: records that disagree with the gateway's, without a STATUS_UPDATE
  // (sandbox/common/transfer_controls.h; POST /_sandbox/transfers/...). Each answers the
  // transaction's row as TransfersJson lists it. An orphan is a SPEI money_out from
  // `account_id` (default: the main account), LIQUIDATED unless `status` says otherwise.
  ControlOutcome CreateOrphan(const OrphanOrder& order);
  ControlOutcome DropTransaction(const std::string& id);
  ControlOutcome AlterTransaction(const std::string& id, const TransferEdit& edit);
  // A second transaction with a new id and every other field, tracking id included, the same.
  ControlOutcome DuplicateTransaction(const std::string& id);

 private:
  struct Call {
    const ServerRequest* request = nullptr;
    std::vector<std::string> params;  // path captures, in order
    std::string client_id;            // the token's client, on bearer routes
    Responder responder;
  };
  // nullopt: the handler answers later through call.responder.
  using RouteHandler = absl::optional<ServerReply> (MonatoSimulator::*)(Call&);
  struct Route;

  // monato_simulator.cc: routing, authentication, control endpoints.
  bool Authenticate(const ServerRequest& request, std::string* client_id, MonatoError* error);
  bool CheckApiKey(const ServerRequest& request, MonatoError* error) const;
  absl::optional<ServerReply> IssueToken(Call& call);
  absl::optional<ServerReply> ListCredentials(Call& call);
  ServerReply HandleControl(const ServerRequest& request);
  TransferControls Controls();
  static boost::json::object TransactionRow(const MonatoTransaction& transaction);
  ServerReply StateReply() const;

  // monato_directory.cc: banks, accounts, instruments, webhook registrations.
  absl::optional<ServerReply> ListBanks(Call& call);
  absl::optional<ServerReply> ListAccounts(Call& call);
  absl::optional<ServerReply> GetAccount(Call& call);
  absl::optional<ServerReply> CreatePrivateAccount(Call& call);
  absl::optional<ServerReply> CreateInstrument(Call& call);
  absl::optional<ServerReply> ListInstruments(Call& call);
  absl::optional<ServerReply> GetInstrument(Call& call);
  absl::optional<ServerReply> RegisterWebhook(Call& call);
  // A new account with the next CLABE (734180...), and the instrument that moves its money.
  // Empty ids are generated.
  MonatoAccount& AddAccountLocked(const std::string& account_id, const std::string& instrument_id,
                                  const std::string& owner_id, const std::string& parent_id,
                                  int64_t balance_cents) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // monato_payments.cc: money_out, transactions, refunds.
  absl::optional<ServerReply> MoneyOut(Call& call);
  ServerReply CreateMoneyOut(const std::string& client_id, const std::string& body,
                             const std::string& idempotency_key);
  absl::optional<ServerReply> GetTransaction(Call& call);
  absl::optional<ServerReply> Refund(Call& call);
  ServerReply CreateRefund(Call& call, const std::string& idempotency_key);
  // `reply`, or nullopt when the ledger chose to lose it (then the connection is dropped).
  absl::optional<ServerReply> Answer(const SendTicket& ticket, const Responder& responder,
                                     ServerReply reply);

  // monato_lifecycle.cc: settlement, received money, webhooks.
  void ScheduleSettlement(const std::string& transaction_id, bool internal);
  bool SettleLocked(MonatoTransaction& transaction, const std::string& outcome,
                    std::vector<WebhookDelivery>* outbox) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ServerReply ReceiveMoney(const std::string& body);
  std::string NewTrackingIdLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void QueueWebhooksLocked(const std::string& client_id, const std::string& type,
                           const std::string& body, std::vector<WebhookDelivery>* outbox) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SendAll(std::vector<WebhookDelivery> outbox);

  const MonatoConfig config_;
  const Clock* const clock_;
  const MonatoSeed seed_;
  const std::string jwt_secret_;
  const absl::Time started_at_;

  mutable absl::Mutex mu_;
  std::map<std::string, MonatoToken> tokens_ ABSL_GUARDED_BY(mu_);  // by token text
  int64_t tokens_issued_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, MonatoAccount> accounts_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> account_order_ ABSL_GUARDED_BY(mu_);
  uint64_t next_account_number_ ABSL_GUARDED_BY(mu_) = 1;
  std::map<std::string, MonatoInstrument> instruments_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> instrument_order_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, MonatoTransaction> transactions_ ABSL_GUARDED_BY(mu_);
  std::vector<MonatoWebhook> webhooks_ ABSL_GUARDED_BY(mu_);
  int64_t money_outs_created_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t refunds_created_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t received_created_ ABSL_GUARDED_BY(mu_) = 0;

  IdempotencyStore idempotency_;
  SendLedger sends_;
  WebhookSender webhook_sender_;
  Scheduler scheduler_;  // last: destroyed first, its tasks use everything above
};

}  // namespace sandbox

#endif  // SANDBOX_MONATO_MONATO_SIMULATOR_H_
