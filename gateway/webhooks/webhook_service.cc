#include "gateway/webhooks/webhook_service.h"

#include <boost/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/logging/json_log.h"
#include "gateway/validation/clabe.h"
#include "gateway/webhooks/money_in_check.h"
#include "gateway/webhooks/receiving_account.h"
#include "idempotency/fingerprint.h"
#include "metrics/gateway_metrics.h"
#include "proto/payments/v1/payout_service.pb.h"
#include "vocabulary/proto_time.h"
#include "vocabulary/resource_id.h"
#include "vocabulary/status_macros.h"

namespace gateway {
namespace {

// The listener's own counters (tests read them) and gateway_webhook_events_total.
void CountEvent(std::atomic<int64_t>& counter, const std::string& provider, const char* result) {
  ++counter;
  metrics::Metrics().webhook_events->Increment({provider, result});
}

using net::http::Responder;
using net::http::ServerReply;
using net::http::ServerRequest;

// {"message": ...}, escaped by Boost.JSON (messages may quote the sender's text).
ServerReply Answer(int status, absl::string_view message) {
  return ServerReply::Json(
      status, boost::json::serialize(boost::json::object{
                  {"message", boost::json::string_view(message.data(), message.size())}}));
}

// What a handled event is answered (docs/webhooks.md): Monato's money-in validation guide
// accepts received money with 201; everything else handled is 200.
int HandledStatus(const providers::WebhookEvent& event) {
  return event.kind == providers::WebhookEvent::Kind::kMoneyIn ? 201 : 200;
}

// The answer a completed event id is replayed with: the HTTP status stored in its record
// (records written before it was stored replay the handled status).
int ReplayedStatus(const providers::WebhookEvent& event, const idempotency::IdempotencyRecord& r) {
  int status = 0;
  if (absl::SimpleAtoi(r.response, &status) && status >= 200 && status < 500) return status;
  return HandledStatus(event);
}

// Seen event ids live in the idempotency store as completed records of this "caller".
idempotency::ClaimRequest EventClaim(const providers::WebhookEvent& event,
                                     const std::string& body) {
  idempotency::ClaimRequest claim;
  claim.id =
      idempotency::RecordKey{absl::StrCat("webhooks/", payments::v1::Provider_Name(event.provider)),
                             "WebhookEvent", event.event_id};
  payments::v1::Payout digest;  // any message: the fingerprint of the raw body
  digest.set_description(body);
  claim.fingerprint = idempotency::Fingerprint(digest);
  claim.owner = "webhooks";
  claim.lease = absl::Seconds(30);
  claim.retention = absl::Hours(72);  // providers redeliver for days
  return claim;
}

// Money in, as callers see it (and as RefundTransaction takes its id).
payments::v1::ReceivedTransaction ReceivedFrom(const providers::WebhookEvent& event) {
  payments::v1::ReceivedTransaction received;
  received.set_id(
      ResourceId{event.provider, std::string(kind::kTransaction), event.provider_payout_id}
          .ToString());
  received.set_provider(event.provider);
  received.mutable_amount()->set_amount_minor(event.amount_minor);
  received.mutable_amount()->set_currency(event.currency);
  received.set_tracking_key(event.tracking_key);
  received.set_payer_name(event.payer_name);
  received.set_payer_account(MaskAccountNumber(event.payer_account));
  received.set_description(event.description);
  received.set_provider_status(event.provider_status);
  *received.mutable_receive_time() = TimestampOf(absl::Now());
  if (!event.receiving_account_native_id.empty()) {
    // The same id ListAccounts shows for the account, so a caller's policy can name it.
    received.set_account_id(
        ResourceId{event.provider, std::string(kind::kAccount), event.receiving_account_native_id}
            .ToString());
  }
  return received;
}

}  // namespace

WebhookService::WebhookService(WebhookOptions options, PayoutEngine* engine,
                               idempotency::StoreExecutor* store)
    : options_(std::move(options)), engine_(engine), store_(store) {}

WebhookService::~WebhookService() { Stop(); }

void WebhookService::Stop() {
  if (server_ != nullptr) server_->Stop();
}

absl::StatusOr<std::unique_ptr<WebhookService>> WebhookService::Start(
    WebhookOptions options, PayoutEngine* engine, idempotency::StoreExecutor* store) {
  std::unique_ptr<WebhookService> service(new WebhookService(options, engine, store));
  net::http::ServerOptions server_options;
  server_options.address = options.address;
  server_options.port = options.port;
  server_options.tls = !options.tls_cert_pem.empty();
  server_options.cert_pem = options.tls_cert_pem;
  server_options.key_pem = options.tls_key_pem;
  server_options.body_limit = options.max_body_bytes;  // larger bodies: 413, nothing read
  server_options.threads = 1;
  server_options.max_connections = options.max_connections;
  server_options.header_timeout = options.header_timeout;
  server_options.on_refused = [raw = service.get()](int status) {
    const bool oversized = status == 413 || status == 431;
    CountEvent(oversized ? raw->counters_.rejected_oversized : raw->counters_.rejected_malformed,
               "unknown", oversized ? "rejected_oversized" : "rejected_malformed");
  };
  ASSIGN_OR_RETURN(
      service->server_,
      net::http::HttpServer::Start(
          server_options, [raw = service.get()](const ServerRequest& request, Responder responder) {
            raw->Handle(request, std::move(responder));
          }));
  return service;
}

void WebhookService::Handle(const ServerRequest& request, Responder responder) {
  if (request.method != "POST") return responder.Send(Answer(405, "POST only"));
  const WebhookRoute* route = nullptr;
  for (const WebhookRoute& candidate : options_.routes) {
    if (candidate.path == request.path) route = &candidate;
  }
  if (route == nullptr) return responder.Send(Answer(404, "no such webhook path"));
  absl::StatusOr<providers::WebhookEvent> event = route->verify(request, absl::Now());
  if (!event.ok()) {
    const bool auth = event.status().code() == absl::StatusCode::kUnauthenticated;
    CountEvent(auth ? counters_.rejected_auth : counters_.rejected_malformed, route->provider,
               auth ? "rejected_auth" : "rejected_malformed");
    Log(LogLevel::kWarning, "webhook_rejected",
        {{"path", request.path}, {"reason", std::string(event.status().message())}});
    // A malformed body is 400: 422 would tell Monato the gateway refuses the money.
    return responder.Send(Answer(auth ? 401 : 400, event.status().message()));
  }
  if (ProviderName(event->provider) != route->provider) {
    // A verifier vouches only for its own provider's events.
    CountEvent(counters_.rejected_malformed, route->provider, "rejected_malformed");
    return responder.Send(Answer(400, "the event names another provider"));
  }
  Accept(*event, request.body, std::move(responder));
}

void WebhookService::Accept(const providers::WebhookEvent& event, const std::string& body,
                            Responder responder) {
  idempotency::ClaimRequest claim = EventClaim(event, body);
  store_->Run<idempotency::ClaimResult>(
      [claim](idempotency::ClaimStore& store) { return store.Claim(claim, absl::Now()); },
      [this, event, claim, responder](absl::StatusOr<idempotency::ClaimResult> claimed) mutable {
        const std::string provider(ProviderName(event.provider));
        if (!claimed.ok()) return responder.Send(Answer(503, "try again later"));
        if (claimed->outcome == idempotency::ClaimOutcome::kInFlight ||
            (claimed->outcome == idempotency::ClaimOutcome::kMismatch &&
             claimed->record.state != idempotency::RecordState::kCompleted)) {
          // The first delivery is still being applied: its outcome is not known yet.
          CountEvent(counters_.in_flight, provider, "in_flight");
          return responder.Send(Answer(409, "this event is being applied; deliver it again later"));
        }
        if (claimed->outcome != idempotency::ClaimOutcome::kClaimed &&
            claimed->outcome != idempotency::ClaimOutcome::kTakenOver) {
          CountEvent(counters_.duplicates, provider, "duplicate");
          return responder.Send(Answer(ReplayedStatus(event, claimed->record), "duplicate"));
        }
        Handled handled{this, claim, responder};
        if (event.kind == providers::WebhookEvent::Kind::kMoneyIn) {
          return AcceptMoneyIn(event, std::move(handled));
        }
        if (event.kind != providers::WebhookEvent::Kind::kPayoutStatus) {
          return handled.Finish(200, "ignored");
        }
        engine_->ApplyProviderEvent(
            event, [this, handled, provider](absl::StatusOr<payments::v1::Payout> applied) {
              if (applied.ok()) {
                CountEvent(counters_.applied, provider, "applied");
                return handled.Finish(200, "applied");
              }
              if (applied.status().code() == absl::StatusCode::kNotFound) {
                CountEvent(counters_.not_ours, provider, "not_ours");
                return handled.Finish(200, "not a payout of this gateway");
              }
              // Not confirmed or not stored: the provider's redelivery must be applied.
              CountEvent(counters_.unavailable, provider, "unavailable");
              Log(LogLevel::kWarning, "webhook_not_applied",
                  {{"provider", provider}, {"error", std::string(applied.status().message())}});
              handled.Retry();
            });
      });
}

void WebhookService::AcceptMoneyIn(const providers::WebhookEvent& event, Handled handled) {
  const std::string provider(ProviderName(event.provider));
  if (!event.confirm_by_reading) return RecordMoneyIn(event, std::move(handled));
  // Direction, by the gateway's own records: an outbound transfer of this gateway is not money in.
  store_->Run<absl::optional<idempotency::StoredPayout>>(
      [event](idempotency::PayoutStore& store) {
        return store.FindPayoutByProviderRef(event.provider, event.provider_payout_id, "");
      },
      [this, event, handled,
       provider](absl::StatusOr<absl::optional<idempotency::StoredPayout>> ours) mutable {
        if (!ours.ok()) {
          CountEvent(counters_.unavailable, provider, "unavailable");
          return handled.Retry();
        }
        if (ours->has_value()) {
          return RejectMoneyIn(event, "the transaction is an outbound transfer of this gateway",
                               std::move(handled));
        }
        auto found = engine_->providers()->Find(event.provider);
        if (!found.ok()) {
          CountEvent(counters_.unavailable, provider, "unavailable");
          return handled.Retry();
        }
        providers::CallContext context;
        context.deadline = absl::Now() + absl::Seconds(10);
        (*found)->GetPayout(
            event.provider_payout_id, context,
            [this, event, handled, provider](absl::StatusOr<payments::v1::Payout> read) mutable {
              const absl::Status checked =
                  read.ok() ? CheckMoneyInRead(event, *read) : read.status();
              if (checked.code() == absl::StatusCode::kFailedPrecondition && read.ok()) {
                return RejectMoneyIn(event, checked.message(), std::move(handled));
              }
              if (!checked.ok()) {
                CountEvent(counters_.unavailable, provider, "unavailable");
                Log(LogLevel::kWarning, "money_in_unconfirmed",
                    {{"provider", provider}, {"error", std::string(checked.message())}});
                return handled.Retry();
              }
              RecordMoneyIn(event, std::move(handled));
            });
      });
}

void WebhookService::RejectMoneyIn(const providers::WebhookEvent& event, absl::string_view why,
                                   Handled handled) {
  CountEvent(counters_.money_in_rejected, std::string(ProviderName(event.provider)),
             "money_in_rejected");
  Log(LogLevel::kWarning, "money_in_rejected", {{"reason", std::string(why)}});
  handled.Finish(422, why);
}

void WebhookService::RecordMoneyIn(const providers::WebhookEvent& event, Handled handled) {
  payments::v1::ReceivedTransaction received = ReceivedFrom(event);
  if (!received.account_id().empty() || event.receiving_account_number.empty()) {
    return SaveMoneyIn(event, std::move(received), std::move(handled));
  }
  // Named by number only (Monato): the account is found in the provider's account list.
  const std::string provider(ProviderName(event.provider));
  auto found = engine_->providers()->Find(event.provider);
  if (!found.ok()) {
    CountEvent(counters_.unavailable, provider, "unavailable");
    return handled.Retry();
  }
  FindAccountByNumber(
      *found, event.receiving_account_number, absl::Now() + absl::Seconds(10),
      [this, event, received, handled, provider](absl::StatusOr<std::string> account_id) mutable {
        if (!account_id.ok()) {
          CountEvent(counters_.unavailable, provider, "unavailable");
          Log(LogLevel::kWarning, "money_in_account_unknown",
              {{"provider", provider}, {"error", std::string(account_id.status().message())}});
          return handled.Retry();
        }
        if (account_id->empty()) {
          // Recorded all the same: the money arrived; a scoped caller just cannot see it.
          Log(LogLevel::kWarning, "money_in_account_not_listed",
              {{"provider", provider}, {"id", received.id()}});
        }
        received.set_account_id(*std::move(account_id));
        SaveMoneyIn(event, std::move(received), std::move(handled));
      });
}

void WebhookService::SaveMoneyIn(const providers::WebhookEvent& event,
                                 payments::v1::ReceivedTransaction received, Handled handled) {
  Log(LogLevel::kInfo, "money_in",
      {{"id", received.id()},
       {"account_id", received.account_id()},
       {"amount_minor", event.amount_minor},
       {"payer_account", received.payer_account()}});
  store_->Run<bool>(
      [received](idempotency::ReceivedMoneyStore& store) -> absl::StatusOr<bool> {
        RETURN_IF_ERROR(store.SaveReceived(received));
        return true;
      },
      [this, handled,
       provider = std::string(ProviderName(event.provider))](absl::StatusOr<bool> saved) {
        if (saved.ok()) {
          CountEvent(counters_.money_in, provider, "money_in");
          return handled.Finish(201, "recorded");
        }
        CountEvent(counters_.unavailable, provider, "unavailable");
        handled.Retry();
      });
}

void WebhookService::Handled::Finish(int status, absl::string_view message) const {
  idempotency::IdempotencyRecord answer;
  answer.response = absl::StrCat(status);  // a redelivery is answered the same
  service->store_->Run<bool>(
      [claim = claim, answer](idempotency::ClaimStore& store) -> absl::StatusOr<bool> {
        RETURN_IF_ERROR(store.Complete(claim.id, claim.owner, answer));
        return true;
      },
      [responder = responder, status, message = std::string(message)](absl::StatusOr<bool>) {
        responder.Send(Answer(status, message));
      });
}

void WebhookService::Handled::Retry() const {
  // Forget the event id so the provider's redelivery is applied.
  service->store_->Run<bool>(
      [claim = claim](idempotency::ClaimStore& store) -> absl::StatusOr<bool> {
        RETURN_IF_ERROR(store.Release(claim.id, claim.owner));
        return true;
      },
      [responder = responder](absl::StatusOr<bool>) {
        responder.Send(Answer(503, "not applied; deliver it again later"));
      });
}

}  // namespace gateway
