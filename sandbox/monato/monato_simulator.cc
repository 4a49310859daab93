// Routing, authentication (x-api-key, credential tokens, bearer JWTs) and the sandbox control
// endpoints of the Monato simulator.
#include "sandbox/monato/monato_simulator.h"

#include <utility>

#include <boost/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "sandbox/common/crypto.h"
#include "sandbox/common/ids.h"
#include "sandbox/common/json_util.h"
#include "sandbox/common/money.h"
#include "sandbox/common/path_match.h"
#include "sandbox/common/send_control.h"
#include "sandbox/common/webhook_faults_control.h"
#include "sandbox/monato/monato_json.h"
#include "sandbox/monato/monato_jwt.h"
#include "sandbox/monato/monato_time.h"

namespace sandbox {

struct MonatoSimulator::Route {
  const char* method;
  const char* pattern;
  bool bearer;          // needs Authorization: Bearer <token> besides x-api-key
  bool client_in_path;  // the first capture is a client id that must be the token's
  RouteHandler handler;
};

MonatoSimulator::MonatoSimulator(MonatoConfig config, const Clock* clock)
    : config_(std::move(config)),
      clock_(clock),
      seed_(MonatoSeedFor(config_.client_id)),
      jwt_secret_(config_.jwt_secret.empty() ? RandomBytes(32) : config_.jwt_secret),
      started_at_(clock->Now()),
      idempotency_(clock, absl::Hours(24)),
      webhook_sender_(config_.webhooks),
      scheduler_(1) {
  idempotency_.set_dedup(config_.dedup);
  webhook_sender_.SetFaults(config_.webhook_faults);
  absl::MutexLock lock(&mu_);
  AddAccountLocked(seed_.main_account_id, seed_.main_instrument_id, seed_.owner_id,
                   seed_.main_account_id, config_.main_account_balance_cents);
}

MonatoSimulator::~MonatoSimulator() { Shutdown(); }

void MonatoSimulator::Shutdown() {
  scheduler_.Stop();
  webhook_sender_.Stop();
}

void MonatoSimulator::Handle(const ServerRequest& request, const Responder& responder) {
  if (absl::StartsWith(request.path, "/_sandbox/")) {
    responder.Send(HandleControl(request));
    return;
  }
  static const Route kRoutes[] = {
      {"POST", "/v1/clients/{}/auth/credential-tokens", false, false, &MonatoSimulator::IssueToken},
      {"GET", "/v1/clients/{}/credentials", false, false, &MonatoSimulator::ListCredentials},
      {"GET", "/v1/banks", true, false, &MonatoSimulator::ListBanks},
      {"GET", "/v1/clients/{}/accounts", true, true, &MonatoSimulator::ListAccounts},
      {"GET", "/v1/clients/{}/accounts/{}", true, true, &MonatoSimulator::GetAccount},
      {"POST", "/v1/clients/{}/private_accounts", true, true,
       &MonatoSimulator::CreatePrivateAccount},
      {"POST", "/v1/clients/{}/instruments", true, true, &MonatoSimulator::CreateInstrument},
      {"GET", "/v1/clients/{}/instruments", true, true, &MonatoSimulator::ListInstruments},
      {"GET", "/v1/clients/{}/instruments/{}", true, true, &MonatoSimulator::GetInstrument},
      {"POST", "/v1/transactions/money_out", true, false, &MonatoSimulator::MoneyOut},
      {"GET", "/v1/clients/{}/transactions/{}", true, true, &MonatoSimulator::GetTransaction},
      {"POST", "/v1/clients/{}/transactions/{}/refund", true, true, &MonatoSimulator::Refund},
      {"POST", "/v1/webhooks", true, false, &MonatoSimulator::RegisterWebhook},
      {"POST", "/v1/clients/{}/webhooks", true, true, &MonatoSimulator::RegisterWebhook},
  };
  Call call{&request, {}, {}, responder};
  const Route* route = nullptr;
  bool path_known = false;
  for (const Route& candidate : kRoutes) {
    std::vector<std::string> params;
    if (!MatchPath(candidate.pattern, request.path, &params)) continue;
    path_known = true;
    if (request.method != candidate.method) continue;
    route = &candidate;
    call.params = std::move(params);
    break;
  }
  if (route == nullptr) {
    MonatoError error = NotFoundError("ROUTE_NOT_FOUND", "No such endpoint.");
    if (path_known) {
      error.http_status = 405;
      error.code = 12;
      error.reason = "UNIMPLEMENTED";
      error.error_code = "METHOD_NOT_ALLOWED";
      error.detail = absl::StrCat(request.method, " is not allowed here.");
    }
    responder.Send(MonatoErrorReply(error));
    return;
  }
  if (route->bearer) {
    MonatoError error;
    if (!Authenticate(request, &call.client_id, &error)) {
      responder.Send(MonatoErrorReply(error));
      return;
    }
    if (route->client_in_path && call.params[0] != call.client_id) {
      responder.Send(
          MonatoErrorReply(PermissionError("The token does not grant access to this client.")));
      return;
    }
  }
  absl::optional<ServerReply> reply = (this->*(route->handler))(call);
  if (reply) responder.Send(*std::move(reply));
}

bool MonatoSimulator::CheckApiKey(const ServerRequest& request, MonatoError* error) const {
  if (ConstantTimeEquals(request.Header("x-api-key"), config_.api_key)) return true;
  *error = AuthError("INVALID_API_KEY", "Missing or invalid x-api-key.");
  return false;
}

bool MonatoSimulator::Authenticate(const ServerRequest& request, std::string* client_id,
                                   MonatoError* error) {
  if (!CheckApiKey(request, error)) return false;
  const std::string header = request.Header("authorization");
  if (header.size() <= 7 || !absl::EqualsIgnoreCase(header.substr(0, 7), "Bearer ")) {
    *error = AuthError("MISSING_TOKEN", "Authorization: Bearer <token> is required.");
    return false;
  }
  const std::string token(absl::StripAsciiWhitespace(header.substr(7)));
  const absl::optional<MonatoJwtClaims> claims = VerifyMonatoJwt(jwt_secret_, token);
  if (!claims) {
    *error = AuthError("INVALID_TOKEN", "Token is invalid.");
    return false;
  }
  absl::MutexLock lock(&mu_);
  auto it = tokens_.find(token);
  if (it == tokens_.end()) {
    *error = AuthError("INVALID_TOKEN", "Token was not issued by this server.");
    return false;
  }
  if (it->second.revoked || clock_->Now() >= absl::FromUnixSeconds(claims->exp)) {
    *error = AuthError("TOKEN_EXPIRED", "Token has expired.");
    return false;
  }
  *client_id = claims->client_id;
  return true;
}

absl::optional<ServerReply> MonatoSimulator::IssueToken(Call& call) {
  MonatoError error;
  if (!CheckApiKey(*call.request, &error)) return MonatoErrorReply(error);
  const absl::optional<boost::json::object> body = ParseJsonObject(call.request->body);
  if (!body) {
    return MonatoErrorReply(DataError("INVALID_BODY", "ServerRequest body must be a JSON object."));
  }
  const boost::json::string* client_id = JsonString(*body, "client_id");
  const boost::json::string* secret = JsonString(*body, "client_secret");
  if (call.params[0] != config_.client_id || client_id == nullptr || secret == nullptr ||
      *client_id != config_.client_id ||
      !ConstantTimeEquals(std::string(*secret), config_.client_secret)) {
    return MonatoErrorReply(AuthError("INVALID_CREDENTIALS", "Invalid client credentials."));
  }
  MonatoToken token;
  token.id = NewUuid();
  token.client_id = config_.client_id;
  token.created_at = clock_->Now();
  token.expires_at = token.created_at + config_.token_lifetime;
  // exp is expires_at truncated to the second, as in the provider's example
  // (docs/providers/monato.md#test-vectors).
  token.token =
      IssueMonatoJwt(jwt_secret_, {token.client_id, absl::ToUnixSeconds(token.expires_at)});
  {
    absl::MutexLock lock(&mu_);
    tokens_[token.token] = token;  // the same second gives the same JWT: one record
    ++tokens_issued_;
  }
  return ServerReply::Json(200, ToJson(TokenJson(token, seed_.credential_id)));
}

absl::optional<ServerReply> MonatoSimulator::ListCredentials(Call& call) {
  MonatoError error;
  if (!CheckApiKey(*call.request, &error)) return MonatoErrorReply(error);
  if (call.params[0] != config_.client_id) {
    return MonatoErrorReply(PermissionError("The API key does not grant access to this client."));
  }
  boost::json::object credential{{"id", seed_.credential_id},
                                 {"client_id", config_.client_id},
                                 {"client_secret", config_.client_secret},
                                 {"environment", "staging"},
                                 {"status", "ACTIVE"},
                                 {"created_at", MonatoTimestamp(started_at_)},
                                 {"updated_at", MonatoTimestamp(started_at_)},
                                 {"deleted_at", "None"}};
  return ServerReply::Json(
      200, ToJson(boost::json::object{{"data", boost::json::array{std::move(credential)}}}));
}

int MonatoSimulator::ExpireAllTokens() {
  absl::MutexLock lock(&mu_);
  int expired = 0;
  for (auto& [text, token] : tokens_) {
    if (!token.revoked) ++expired;
    token.revoked = true;
  }
  return expired;
}

MonatoCounters MonatoSimulator::counters() const {
  MonatoCounters counters;
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = clock_->Now();
    counters.tokens_issued = tokens_issued_;
    for (const auto& [text, token] : tokens_) {
      if (!token.revoked && now < absl::FromUnixSeconds(absl::ToUnixSeconds(token.expires_at))) {
        ++counters.tokens_active;
      }
    }
    counters.money_outs_created = money_outs_created_;
    counters.refunds_created = refunds_created_;
    counters.received_created = received_created_;
    for (const auto& [id, transaction] : transactions_) {
      if (transaction.status == "INITIALIZED") ++counters.transactions_initialized;
    }
  }
  counters.idempotent_replays = idempotency_.replays();
  counters.webhooks = webhook_sender_.stats();
  return counters;
}

ServerReply MonatoSimulator::StateReply() const {
  const MonatoCounters counters = this->counters();
  std::string balance;
  {
    absl::MutexLock lock(&mu_);
    balance = FormatTwoDecimalAmount(accounts_.at(seed_.main_account_id).balance_cents);
  }
  boost::json::object state{
      {"tokens_issued", counters.tokens_issued},
      {"tokens_active", counters.tokens_active},
      {"money_outs_created", counters.money_outs_created},
      {"refunds_created", counters.refunds_created},
      {"received_created", counters.received_created},
      {"transactions_initialized", counters.transactions_initialized},
      {"idempotent_replays", counters.idempotent_replays},
      {"webhooks_queued", counters.webhooks.queued},
      {"webhooks_delivered", counters.webhooks.delivered},
      {"webhooks_failed", counters.webhooks.failed},
      {"webhooks_pending", counters.webhooks.pending()},
      {"main_account_id", seed_.main_account_id},
      {"main_account_balance", balance},
  };
  return ServerReply::Json(200, ToJson(state));
}

ServerReply MonatoSimulator::HandleControl(const ServerRequest& request) {
  const std::string& path = request.path;
  if (path == "/_sandbox/monato/state" && request.method == "GET") return StateReply();
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
  if (request.method != "POST") {
    return ServerReply::Json(404, R"({"error":"unknown sandbox control call"})");
  }
  if (path == "/_sandbox/monato/expire_tokens") {
    return ServerReply::Json(200, absl::StrCat(R"({"expired":)", ExpireAllTokens(), "}"));
  }
  if (path == "/_sandbox/monato/receive") return ReceiveMoney(request.body);
  if (path == "/_sandbox/settle") {
    std::string transaction_id, outcome;
    if (!request.body.empty()) {
      const absl::optional<boost::json::object> body = ParseJsonObject(request.body);
      if (!body) return ServerReply::Json(400, R"({"error":"expected a JSON object"})");
      if (const auto* id = JsonString(*body, "transaction_id")) transaction_id = std::string(*id);
      if (const auto* value = JsonString(*body, "outcome")) outcome = std::string(*value);
    }
    if (!outcome.empty() && outcome != "LIQUIDATED" && outcome != "REJECTED") {
      return ServerReply::Json(400, R"({"error":"outcome must be LIQUIDATED or REJECTED"})");
    }
    return ServerReply::Json(
        200, absl::StrCat(R"({"settled":)", SettlePending(transaction_id, outcome), "}"));
  }
  return ServerReply::Json(404, R"({"error":"unknown sandbox control call"})");
}

}  // namespace sandbox
