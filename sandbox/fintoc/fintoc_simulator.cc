// Routing, API-key authentication, JWS enforcement, Idempotency-Key handling, accounts and
// account numbers, and the sandbox control endpoints of the Fintoc simulator.
#include "sandbox/fintoc/fintoc_simulator.h"

#include <utility>

#include <boost/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "sandbox/common/clabe.h"
#include "sandbox/common/crypto.h"
#include "sandbox/common/ids.h"
#include "sandbox/common/json_util.h"
#include "sandbox/common/path_match.h"
#include "sandbox/common/send_control.h"
#include "sandbox/common/webhook_faults_control.h"
#include "sandbox/fintoc/fintoc_json.h"
#include "sandbox/fintoc/link_pagination.h"
#include "vocabulary/status_macros.h"

namespace sandbox {

struct FintocSimulator::Route {
  const char* method;
  const char* pattern;
  bool jws;  // moves money: needs a valid Fintoc-JWS-Signature
  RouteHandler handler;
};

absl::StatusOr<std::unique_ptr<FintocSimulator>> FintocSimulator::Create(FintocConfig config,
                                                                         const Clock* clock) {
  ASSIGN_OR_RETURN(std::unique_ptr<JwsVerifier> jws,
                   JwsVerifier::Create(config.jws_public_key_pem, clock, config.jws));
  return std::unique_ptr<FintocSimulator>(
      new FintocSimulator(std::move(config), clock, std::move(jws)));
}

FintocSimulator::FintocSimulator(FintocConfig config, const Clock* clock,
                                 std::unique_ptr<JwsVerifier> jws)
    : config_(std::move(config)),
      clock_(clock),
      jws_(std::move(jws)),
      idempotency_(clock, absl::Hours(24)),
      webhook_sender_(config_.webhooks),
      scheduler_(1) {
  idempotency_.set_dedup(config_.dedup);
  webhook_sender_.SetFaults(config_.webhook_faults);
  absl::MutexLock lock(&mu_);
  FintocAccount& account =
      AddAccountLocked(config_.account_id, config_.root_account_number_id,
                       config_.root_account_number, "Sandbox account", config_.account_balance);
  account.is_root = true;
}

FintocSimulator::~FintocSimulator() { Shutdown(); }

void FintocSimulator::Shutdown() {
  scheduler_.Stop();
  webhook_sender_.Stop();
}

void FintocSimulator::Handle(const ServerRequest& request, const Responder& responder) {
  if (absl::StartsWith(request.path, "/_sandbox/")) {
    responder.Send(HandleControl(request));
    return;
  }
  static const Route kRoutes[] = {
      {"GET", "/v2/accounts", false, &FintocSimulator::ListAccounts},
      {"POST", "/v2/accounts", false, &FintocSimulator::CreateAccount},
      {"GET", "/v2/accounts/{}", false, &FintocSimulator::GetAccount},
      {"GET", "/v2/account_numbers", false, &FintocSimulator::ListAccountNumbers},
      {"POST", "/v2/account_numbers", false, &FintocSimulator::CreateAccountNumber},
      {"GET", "/v2/account_numbers/{}", false, &FintocSimulator::GetAccountNumber},
      {"GET", "/v2/transfers", false, &FintocSimulator::ListTransfers},
      {"POST", "/v2/transfers", true, &FintocSimulator::CreateTransfer},
      {"POST", "/v2/transfers/return", true, &FintocSimulator::ReturnTransfer},
      {"GET", "/v2/transfers/{}", false, &FintocSimulator::GetTransfer},
      {"POST", "/v2/simulate/receive_transfer", false, &FintocSimulator::SimulateReceive},
  };
  for (const Route& route : kRoutes) {
    std::vector<std::string> params;
    if (request.method == route.method && MatchPath(route.pattern, request.path, &params)) {
      SendTicket ticket;
      ServerReply reply = Dispatch(route, request, params, &ticket);
      if (ticket.lose_reply) {
        // Processed, but the caller never hears of it: the connection closes without a reply.
        scheduler_.RunAfter(absl::Milliseconds(ticket.lose_reply_after_ms),
                            [responder] { responder.Drop(); });
      } else {
        responder.Send(std::move(reply));
      }
      return;
    }
  }
  responder.Send(FintocErrorReply(
      {404, "invalid_request_error", "invalid_url",
       absl::StrCat("Unrecognized request URL (", request.method, ": ", request.path, ")."), ""}));
}

ServerReply FintocSimulator::Dispatch(const Route& route, const ServerRequest& request,
                                      const std::vector<std::string>& params, SendTicket* ticket) {
  // Authentication failures (API key, JWS) are never saved under an Idempotency-Key.
  FintocError error;
  if (!Authenticate(request, &error)) return FintocErrorReply(error);
  if (route.jws) {
    const JwsCheck check = jws_->Verify(request.Header("fintoc-jws-signature"), request.body);
    if (!check.ok) {
      absl::MutexLock lock(&mu_);
      ++jws_rejected_;
      return FintocErrorReply(AuthenticationError(check.code, check.message));
    }
  }
  const std::string key = request.method == "POST" ? request.Header("idempotency-key") : "";
  const std::string fingerprint = BodyFingerprint(request.path, request.body);
  if (route.jws) *ticket = sends_.Arrive();
  bool replayed = false;
  ServerReply reply = Deduplicate(route, request, params, key, fingerprint, &replayed);
  // Transfers and returns move money: every authenticated send is counted (send_ledger.h).
  if (route.jws) {
    sends_.Record(request.path == "/v2/transfers" ? "transfer" : "return", key, fingerprint, reply,
                  replayed, *ticket);
  }
  return reply;
}

ServerReply FintocSimulator::Deduplicate(const Route& route, const ServerRequest& request,
                                         const std::vector<std::string>& params,
                                         const std::string& key, const std::string& fingerprint,
                                         bool* replayed) {
  if (key.empty()) return (this->*(route.handler))(request, params);
  if (key.size() > 255) {
    return FintocErrorReply(InvalidRequest("invalid_idempotency_key",
                                           "Idempotency-Key must be at most 255 characters.", ""));
  }
  const IdempotencyStore::Claim claim = idempotency_.Begin(key, fingerprint);
  switch (claim.outcome) {
    case IdempotencyStore::Outcome::kReplay:
      *replayed = true;
      return claim.reply;
    case IdempotencyStore::Outcome::kMismatch:
      return FintocErrorReply(Conflict("invalid_idempotency_key",
                                       "Keys for idempotent requests can only be used with the "
                                       "same parameters they were first used with."));
    case IdempotencyStore::Outcome::kInProgress:
      return FintocErrorReply(Conflict("idempotency_key_in_use",
                                       "A request with this Idempotency-Key is in progress."));
    case IdempotencyStore::Outcome::kProceed:
      break;
  }
  ServerReply reply = (this->*(route.handler))(request, params);
  idempotency_.Complete(key, reply);
  return reply;
}

bool FintocSimulator::Authenticate(const ServerRequest& request, FintocError* error) const {
  // The raw secret key (docs, Python and Node SDKs) or "Bearer <key>" (Ruby SDK)
  // (docs/providers/fintoc.md#auth).
  std::string key(absl::StripAsciiWhitespace(request.Header("authorization")));
  if (key.size() > 7 && absl::EqualsIgnoreCase(key.substr(0, 7), "Bearer ")) {
    key = std::string(absl::StripAsciiWhitespace(key.substr(7)));
  }
  if (key.empty()) {
    *error = AuthenticationError("invalid_api_key", "No API key provided.");
    return false;
  }
  if (ConstantTimeEquals(key, config_.secret_key)) return true;
  if (absl::StartsWith(key, "sk_live_")) {
    *error = AuthenticationError("invalid_api_key_mode",
                                 "This sandbox only runs in test mode; use an sk_test_ key.");
    return false;
  }
  *error = AuthenticationError("invalid_api_key", "Invalid API key provided.");
  return false;
}

FintocAccountNumber& FintocSimulator::AddAccountNumberLocked(const std::string& id,
                                                             const std::string& account_id,
                                                             const std::string& clabe,
                                                             const std::string& description,
                                                             bool is_root) {
  FintocAccountNumber number;
  number.id = id.empty() ? NewPrefixedId("acno_") : id;
  number.account_id = account_id;
  // Test-mode CLABEs: bank 735 (FINTOC), plaza 969 (docs/providers/fintoc.md#test-mode).
  number.number = clabe.empty() ? MakeClabe("735", "969", next_clabe_account_++) : clabe;
  number.description = description;
  number.is_root = is_root;
  number.created_at = clock_->Now();
  account_number_order_.push_back(number.id);
  return account_numbers_[number.id] = number;
}

FintocAccount& FintocSimulator::AddAccountLocked(const std::string& id,
                                                 const std::string& account_number_id,
                                                 const std::string& clabe,
                                                 const std::string& description, int64_t balance) {
  FintocAccount account;
  account.id = id.empty() ? NewPrefixedId("acc_") : id;
  account.description = description;
  account.available_balance = balance;
  account.entity.id = config_.entity_id;
  account.created_at = clock_->Now();
  const FintocAccountNumber& root =
      AddAccountNumberLocked(account_number_id, account.id, clabe, description, true);
  account.root_account_number_id = root.id;
  account.root_account_number = root.number;
  account_order_.push_back(account.id);
  return accounts_[account.id] = account;
}

ServerReply FintocSimulator::ListAccounts(const ServerRequest& request,
                                          const std::vector<std::string>&) {
  absl::MutexLock lock(&mu_);
  const std::vector<std::string> ids(account_order_.rbegin(), account_order_.rend());
  return ListReply(request, config_.link_scheme, ids,
                   [this](const std::string& id) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                     return AccountJson(accounts_.at(id));  // mu_ is held: called right here
                   });
}

ServerReply FintocSimulator::GetAccount(const ServerRequest&,
                                        const std::vector<std::string>& params) {
  absl::MutexLock lock(&mu_);
  auto it = accounts_.find(params[0]);
  if (it == accounts_.end()) return FintocErrorReply(MissingResource("No such account.", "id"));
  return ServerReply::Json(200, ToJson(AccountJson(it->second)));
}

ServerReply FintocSimulator::CreateAccount(const ServerRequest& request,
                                           const std::vector<std::string>&) {
  AccountRequest create;
  FintocError error;
  if (!ParseAccount(request.body, &create, &error)) return FintocErrorReply(error);
  if (create.entity_id != config_.entity_id) {
    return FintocErrorReply(MissingResource("No such entity.", "entity_id"));
  }
  absl::MutexLock lock(&mu_);
  const FintocAccount& account = AddAccountLocked("", "", "", create.description, 0);
  return ServerReply::Json(201, ToJson(AccountJson(account)));
}

ServerReply FintocSimulator::ListAccountNumbers(const ServerRequest& request,
                                                const std::vector<std::string>&) {
  const std::string account_id = request.QueryParam("account_id");
  absl::MutexLock lock(&mu_);
  std::vector<std::string> ids;
  for (auto it = account_number_order_.rbegin(); it != account_number_order_.rend(); ++it) {
    if (account_id.empty() || account_numbers_.at(*it).account_id == account_id) {
      ids.push_back(*it);
    }
  }
  return ListReply(request, config_.link_scheme, ids,
                   [this](const std::string& id) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                     return AccountNumberJson(account_numbers_.at(id));  // mu_ is held
                   });
}

ServerReply FintocSimulator::GetAccountNumber(const ServerRequest&,
                                              const std::vector<std::string>& params) {
  absl::MutexLock lock(&mu_);
  auto it = account_numbers_.find(params[0]);
  if (it == account_numbers_.end()) {
    return FintocErrorReply(MissingResource("No such account number.", "id"));
  }
  return ServerReply::Json(200, ToJson(AccountNumberJson(it->second)));
}

ServerReply FintocSimulator::CreateAccountNumber(const ServerRequest& request,
                                                 const std::vector<std::string>&) {
  AccountNumberRequest create;
  FintocError error;
  if (!ParseAccountNumber(request.body, &create, &error)) return FintocErrorReply(error);
  absl::MutexLock lock(&mu_);
  if (accounts_.count(create.account_id) == 0) {
    return FintocErrorReply(MissingResource("No such account.", "account_id"));
  }
  FintocAccountNumber& number =
      AddAccountNumberLocked("", create.account_id, "", create.description, false);
  number.metadata = create.metadata;
  // 200, not 201, as recorded (docs/providers/fintoc.md#endpoints).
  return ServerReply::Json(200, ToJson(AccountNumberJson(number)));
}

FintocCounters FintocSimulator::counters() const {
  FintocCounters counters;
  {
    absl::MutexLock lock(&mu_);
    counters.outbound_created = outbound_created_;
    counters.inbound_created = inbound_created_;
    counters.transfers_created = outbound_created_ + inbound_created_;
    counters.returns_requested = returns_requested_;
    counters.jws_rejected = jws_rejected_;
    counters.events_skipped = events_skipped_;
    for (const auto& [id, transfer] : transfers_) {
      if (transfer.status == "pending" || transfer.status == "return_pending") {
        ++counters.transfers_pending;
      }
    }
  }
  counters.idempotent_replays = idempotency_.replays();
  counters.webhooks = webhook_sender_.stats();
  return counters;
}

ServerReply FintocSimulator::StateReply() const {
  const FintocCounters counters = this->counters();
  int64_t balance = 0;
  {
    absl::MutexLock lock(&mu_);
    balance = accounts_.at(config_.account_id).available_balance;
  }
  boost::json::object state{{"transfers_created", counters.transfers_created},
                            {"outbound_created", counters.outbound_created},
                            {"inbound_created", counters.inbound_created},
                            {"returns_requested", counters.returns_requested},
                            {"transfers_pending", counters.transfers_pending},
                            {"jws_rejected", counters.jws_rejected},
                            {"idempotent_replays", counters.idempotent_replays},
                            {"events_skipped", counters.events_skipped},
                            {"webhooks_queued", counters.webhooks.queued},
                            {"webhooks_delivered", counters.webhooks.delivered},
                            {"webhooks_failed", counters.webhooks.failed},
                            {"webhooks_pending", counters.webhooks.pending()},
                            {"account_id", config_.account_id},
                            {"account_balance", balance}};
  return ServerReply::Json(200, ToJson(state));
}

ServerReply FintocSimulator::HandleControl(const ServerRequest& request) {
  if (request.path == "/_sandbox/fintoc/state" && request.method == "GET") return StateReply();
  if (absl::optional<ServerReply> reply =
          SendControlReply(request, idempotency_, sends_, [this] { return TransfersJson(); })) {
    return *std::move(reply);
  }
  if (absl::optional<ServerReply> reply = WebhookFaultsControlReply(request, webhook_sender_)) {
    return *std::move(reply);
  }
  if (absl::optional<ServerReply> reply = TransferControlReply(request, Controls())) {
    return *std::move(reply);
  }
  if (request.method == "POST" && request.path == "/_sandbox/fintoc/receive") {
    ReceiveRequest receive;
    FintocError error;
    if (!ParseReceive(request.body, false, &receive, &error)) return FintocErrorReply(error);
    if (receive.account_number_id.empty())
      receive.account_number_id = config_.root_account_number_id;
    return ReceiveTransfer(receive);
  }
  if (request.method == "POST" && request.path == "/_sandbox/settle") {
    std::string transfer_id, outcome;
    if (!request.body.empty()) {
      const absl::optional<boost::json::object> body = ParseJsonObject(request.body);
      if (!body) return ServerReply::Json(400, R"({"error":"expected a JSON object"})");
      if (const auto* id = JsonString(*body, "transfer_id")) transfer_id = std::string(*id);
      if (const auto* value = JsonString(*body, "outcome")) outcome = std::string(*value);
    }
    if (!outcome.empty() && outcome != "succeeded" && outcome != "rejected" &&
        outcome != "failed") {
      return ServerReply::Json(400, R"({"error":"outcome must be succeeded, rejected or failed"})");
    }
    return ServerReply::Json(
        200, absl::StrCat(R"({"settled":)", SettlePending(transfer_id, outcome), "}"));
  }
  return ServerReply::Json(404, R"({"error":"unknown sandbox control call"})");
}

}  // namespace sandbox
