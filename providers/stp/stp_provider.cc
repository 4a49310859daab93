#include "providers/stp/stp_provider.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "net/http/http_types.h"
#include "providers/common/money_moves.h"
#include "providers/common/payout_results.h"
#include "providers/common/provider_replies.h"
#include "providers/stp/stp_original_string.h"
#include "providers/stp/stp_tracking_key.h"
#include "vocabulary/idempotency_keys.h"
#include "vocabulary/resource_id.h"

namespace providers::stp {
namespace {

using payments::v1::Payout;

// The operation name of the payout's idempotency name, as the other adapters derive theirs.
constexpr char kMoneyOut[] = "money_out";
constexpr char kRegistraPath[] = "/ordenPago/registra";
constexpr char kStatusQueryPath[] = "/ordenPago/consOrdEnvRastreo";

// STP answers its errors with HTTP 200 and a negative id; any other status is its front
// end's (gateway pages, TLS client certificate refusals).
absl::Status ErrorFromHttp(int http_status, absl::string_view) {
  if (http_status == 401 || http_status == 403) {
    return absl::UnauthenticatedError(absl::StrCat("STP answered HTTP ", http_status));
  }
  return absl::FailedPreconditionError(absl::StrCat("STP answered HTTP ", http_status));
}

constexpr ProviderReplies kStpReplies{payments::v1::PROVIDER_STP, "STP", "STP signing key",
                                      &ErrorFromHttp};

absl::Status Unimplemented(absl::string_view what) {
  return absl::UnimplementedError(absl::StrCat("STP: ", what));
}

}  // namespace

Payout AsGatewayPayout(Payout payout) {
  payout.set_provider(payments::v1::PROVIDER_STP);
  payout.set_provider_payout_id(payout.tracking_key());
  payout.set_id(gateway::ResourceId{payments::v1::PROVIDER_STP, std::string(gateway::kind::kPayout),
                                    payout.tracking_key()}
                    .ToString());
  return payout;
}

StpProvider::StpProvider(net::http::HttpClient* http, std::shared_ptr<StpSigner> signer,
                         StpOptions options)
    : http_(http),
      signer_(std::move(signer)),
      options_(std::move(options)),
      capabilities_{{"MXN"},
                    options_.max_payout_minor,
                    /*debit_card_payouts=*/true,
                    options_.tracking_key_lifetime} {}

absl::StatusOr<std::string> StpProvider::TrackingKey(const std::string& caller,
                                                     const std::string& caller_key) const {
  return TrackingKeyFor(options_.tracking_key_prefix,
                        ProviderKeyName(caller, kMoneyOut, caller_key));
}

void StpProvider::Post(const std::string& method, const std::string& path, std::string body,
                       absl::Time deadline, bool safe_to_retry, net::http::ResponseCallback done) {
  net::http::HttpRequest request;
  request.method = method;
  request.url = absl::StrCat(options_.base_url, path);
  request.headers = {{"Accept", "application/json"}, {"Content-Type", "application/json"}};
  request.body = std::move(body);
  request.deadline = deadline;
  request.safe_to_retry = safe_to_retry;
  http_->Send(std::move(request), std::move(done));
}

std::string OperatingDate(absl::Time time) {
  return absl::FormatTime("%Y%m%d", time, absl::FixedTimeZone(-6 * 60 * 60));
}

void StpProvider::CreatePayout(const PayoutOrder& order, const CallContext& context,
                               Callback<Payout> done) {
  if (order.source_account_native_id != options_.cuenta_ordenante) {
    return done(absl::InvalidArgumentError(
        "source_account_id: STP sends only from the configured cuenta ordenante"));
  }
  auto key = TrackingKey(context.caller, order.request.idempotency_key());
  if (!key.ok()) return done(absl::InternalError(key.status().message()));
  // STP refuses a reused claveRastreo only within one operating day, and the core may re-send
  // an unknown outcome during half the key's lifetime: when that half reaches back into the
  // previous day, an earlier attempt may have registered the order then, where today's
  // registra would not see it and would make a second order. So that day is read first, and
  // an order found there is the answer (docs/providers/stp.md#idempotency).
  const absl::Time now = options_.now();
  const std::string today = OperatingDate(now);
  const std::string earliest = OperatingDate(now - options_.tracking_key_lifetime / 2);
  if (earliest == today) return Register(order, *key, context.deadline, std::move(done));
  const absl::Time deadline = context.deadline;
  ReadByTrackingKey(
      *key, deadline,
      [this, order, key = *key, deadline, earliest,
       done = std::move(done)](absl::StatusOr<Payout> found) mutable {
        if (found.ok()) return done(WithOrder(*std::move(found), order));
        if (found.status().code() == absl::StatusCode::kNotFound) {
          return Register(order, key, deadline, std::move(done));
        }
        // Nothing was sent: a plain error the caller may retry, never a second order.
        done(absl::UnavailableError(
            absl::StrCat("STP: could not check operating day ", earliest,
                         " for this tracking key before sending: ", found.status().message())));
      },
      earliest);
}

void StpProvider::Register(const PayoutOrder& order, const std::string& key, absl::Time deadline,
                           Callback<Payout> done) {
  auto fields = RegistraFields(order, options_.order, key);
  if (!fields.ok()) return done(fields.status());
  auto original = OriginalString(*fields);
  if (!original.ok()) return done(original.status());
  auto firma = signer_->Sign(*original);
  if (!firma.ok()) {
    return done(absl::UnavailableError(absl::StrCat("STP firma: ", firma.status().message())));
  }
  Post("PUT", kRegistraPath, RegistraBody(*fields, *firma), deadline,
       // The same claveRastreo: a repeat is refused by STP (-1), never a second order.
       /*safe_to_retry=*/true,
       [this, order, key, deadline,
        done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
         MoneyMoveVerdict verdict = JudgeMoneyMoveReply(kStpReplies, response);
         if (verdict.kind == MoneyMoveVerdict::Kind::kRefused) return done(verdict.refusal);
         if (verdict.kind == MoneyMoveVerdict::Kind::kUnknown) {
           return done(UnknownOutcome(payments::v1::PROVIDER_STP, order, key, verdict.unknown_why));
         }
         auto outcome = ParseRegistraReply(response->body);
         if (!outcome.ok()) {
           if (outcome.status().code() == absl::StatusCode::kUnknown) {
             return done(UnknownOutcome(payments::v1::PROVIDER_STP, order, key,
                                        outcome.status().message()));
           }
           return done(CallerFacing(kStpReplies, outcome.status()));
         }
         if (outcome->kind == RegistraOutcome::Kind::kAlreadyRegistered) {
           // This key's order exists (an earlier attempt): its current state is the answer.
           return ReadByTrackingKey(
               key, deadline,
               [order, key, done = std::move(done)](absl::StatusOr<Payout> read) mutable {
                 if (!read.ok()) {
                   return done(
                       UnknownOutcome(payments::v1::PROVIDER_STP, order, key,
                                      absl::StrCat("STP had this tracking key; reading it failed: ",
                                                   read.status().message())));
                 }
                 done(WithOrder(*std::move(read), order));
               });
         }
         Payout payout;
         payout.set_tracking_key(key);
         payout.set_status(outcome->kind == RegistraOutcome::Kind::kRejected
                               ? payments::v1::PAYOUT_STATUS_REJECTED
                               : payments::v1::PAYOUT_STATUS_PENDING);
         payout.set_provider_status(
             outcome->kind == RegistraOutcome::Kind::kRejected ? "RECHAZADA" : "REGISTRADA");
         if (!outcome->reason.empty()) payout.set_status_reason(outcome->reason);
         done(WithOrder(AsGatewayPayout(std::move(payout)), order));
       });
}

void StpProvider::ReadByTrackingKey(const std::string& tracking_key, absl::Time deadline,
                                    Callback<Payout> done, const std::string& fecha_operacion) {
  auto original = StatusQueryOriginalString(options_.order.empresa, tracking_key,
                                            options_.order.institucion_operante, fecha_operacion);
  if (!original.ok()) return done(original.status());
  auto firma = signer_->Sign(*original);
  if (!firma.ok()) {
    return done(absl::UnavailableError(absl::StrCat("STP firma: ", firma.status().message())));
  }
  Post("POST", kStatusQueryPath,
       StatusQueryBody(options_.order.empresa, tracking_key, options_.order.institucion_operante,
                       fecha_operacion, *firma),
       deadline, /*safe_to_retry=*/true,
       [done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
         if (!IsSuccess(response)) return done(ReplyError(kStpReplies, response));
         auto payout = ParseStatusQueryReply(response->body);
         if (!payout.ok()) {
           const auto code = payout.status().code();
           if (code == absl::StatusCode::kNotFound) return done(payout.status());
           if (code == absl::StatusCode::kUnknown || code == absl::StatusCode::kInvalidArgument) {
             return done(UnreadableReply(kStpReplies, "order", payout.status()));
           }
           return done(CallerFacing(kStpReplies, payout.status()));
         }
         done(AsGatewayPayout(*std::move(payout)));
       });
}

void StpProvider::GetPayout(const std::string& native_payout_id, const CallContext& context,
                            Callback<Payout> done) {
  if (absl::Status readable = CheckReadablePayoutId(native_payout_id); !readable.ok()) {
    return done(readable);
  }
  if (!IsValidTrackingKey(native_payout_id)) {
    return done(absl::InvalidArgumentError("payout_id: not an STP tracking key"));
  }
  ReadByTrackingKey(native_payout_id, context.deadline, std::move(done));
}

void StpProvider::FindPayoutByReference(const PayoutOrder& order, absl::Time sent_after,
                                        const CallContext& context, Callback<Payout> done) {
  auto key = TrackingKey(context.caller, order.request.idempotency_key());
  if (!key.ok()) return done(absl::InternalError(key.status().message()));
  // The key names exactly this order (one per day per empresa): no search, no ambiguity. STP
  // reads one operating day at a time: the first attempt's day, then today when it differs.
  const std::string today = OperatingDate(options_.now());
  const std::string first_day =
      sent_after == absl::InfinitePast() ? today : OperatingDate(sent_after);
  const absl::Time deadline = context.deadline;
  ReadByTrackingKey(
      *key, deadline,
      [this, order, key = *key, deadline, same_day = first_day == today,
       done = std::move(done)](absl::StatusOr<Payout> read) mutable {
        if (read.ok()) return done(WithOrder(*std::move(read), order));
        if (same_day || read.status().code() != absl::StatusCode::kNotFound) {
          return done(read.status());
        }
        ReadByTrackingKey(key, deadline,
                          [order, done = std::move(done)](absl::StatusOr<Payout> today) mutable {
                            if (!today.ok()) return done(today.status());
                            done(WithOrder(*std::move(today), order));
                          });
      },
      first_day == today ? "" : first_day);
}

void StpProvider::ListPayouts(const payments::v1::ListPayoutsRequest&, const PageQuery&,
                              const CallContext&,
                              Callback<payments::v1::ListPayoutsResponse> done) {
  done(Unimplemented("payouts are listed from the gateway's own store"));
}

void StpProvider::ListSentPayouts(const TimeWindow&, const PageQuery&, const CallContext&,
                                  Callback<payments::v1::ListPayoutsResponse> done) {
  done(Unimplemented(
      "STP's documented listing (consOrdenesFech) is by operating date of received orders; "
      "sent orders are read one by one by tracking key"));
}

void StpProvider::RefundTransaction(const RefundOrder&, const CallContext&,
                                    Callback<payments::v1::Refund> done) {
  done(Unimplemented("STP documents no refund call; a deposit is refused only in its answer"));
}

payments::v1::Account StpProvider::TheAccount() const {
  payments::v1::Account account;
  account.set_id(gateway::ResourceId{
      payments::v1::PROVIDER_STP, std::string(gateway::kind::kAccount), options_.cuenta_ordenante}
                     .ToString());
  account.set_provider(payments::v1::PROVIDER_STP);
  account.set_kind(payments::v1::ACCOUNT_KIND_MAIN);
  account.set_clabe(options_.cuenta_ordenante);
  account.set_status("CONFIGURED");
  account.set_description(absl::StrCat("STP cuenta ordenante of ", options_.order.empresa));
  // STP's balance query is not documented here: no balance is claimed.
  account.mutable_available_balance()->set_currency("MXN");
  return account;
}

void StpProvider::ListAccounts(const PageQuery&, const CallContext&,
                               Callback<payments::v1::ListAccountsResponse> done) {
  payments::v1::ListAccountsResponse response;
  *response.add_accounts() = TheAccount();
  done(std::move(response));
}

void StpProvider::GetAccount(const std::string& native_account_id, const CallContext&,
                             Callback<payments::v1::Account> done) {
  if (native_account_id != options_.cuenta_ordenante) {
    return done(absl::NotFoundError("STP: not the configured cuenta ordenante"));
  }
  done(TheAccount());
}

void StpProvider::CreateAccount(const payments::v1::CreateAccountRequest&, const std::string&,
                                const CallContext&, Callback<payments::v1::Account> done) {
  done(Unimplemented("accounts (CLABEs) are assigned by STP at onboarding"));
}

void StpProvider::ListBanks(const PageQuery&, const CallContext&,
                            Callback<payments::v1::ListBanksResponse> done) {
  done(Unimplemented("STP documents no bank catalogue call; see docs/providers/spei.md"));
}

void StpProvider::RegisterCounterparty(const payments::v1::RegisterCounterpartyRequest&,
                                       const CallContext&,
                                       Callback<payments::v1::RegisteredCounterparty> done) {
  done(Unimplemented("STP sends to the account in each order; it keeps no counterparties"));
}

void StpProvider::ListCounterparties(const PageQuery&, const CallContext&,
                                     Callback<payments::v1::ListCounterpartiesResponse> done) {
  done(Unimplemented("STP keeps no counterparties"));
}

}  // namespace providers::stp
