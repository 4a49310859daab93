#include "providers/monato/monato_provider.h"

#include <atomic>
#include <memory>
#include <utility>

#include <boost/json/serialize.hpp>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "net/http/http_types.h"
#include "providers/common/json_fields.h"
#include "providers/common/lookup_errors.h"
#include "providers/common/money_moves.h"
#include "providers/common/native_id.h"
#include "providers/common/payout_results.h"
#include "providers/common/provider_replies.h"
#include "providers/monato/monato_replies.h"
#include "vocabulary/error_details.h"
#include "vocabulary/idempotency_keys.h"

namespace providers::monato {
namespace {

using payments::v1::Payout;

constexpr char kMoneyOut[] = "money_out";
constexpr char kTransactionRead[] = "GET /v1/clients/{clientId}/transactions/{transactionId}";

// A refund of a transaction Monato does not know is refused with 404: the caller's mistake.
absl::Status RefundErrorFromReply(int http_status, absl::string_view body) {
  if (http_status == 404) return NotKnownTo("transaction_id", "Monato transaction");
  return ErrorFromReply(http_status, body);
}

constexpr ProviderReplies kRefundReplies = [] {
  ProviderReplies replies = kMonatoReplies;
  replies.error_from_reply = &RefundErrorFromReply;
  return replies;
}();

TokenCacheOptions TokenOptions(const MonatoOptions& options) {
  TokenCacheOptions tokens;
  tokens.base_url = options.base_url;
  tokens.client_id = options.client_id;
  tokens.api_key = options.api_key;
  tokens.client_secret = options.client_secret;
  tokens.refresh_ahead = options.token_refresh_ahead;
  tokens.on_fetched = options.on_token_fetched;
  return tokens;
}

}  // namespace

MonatoProvider::MonatoProvider(net::http::HttpClient* http, MonatoOptions options)
    : options_(std::move(options)),
      // Monato keeps an Idempotency-Key 24 h (docs/provider-idempotency.md).
      capabilities_{
          {"MXN"}, options_.max_payout_minor, /*debit_card_payouts=*/true, absl::Hours(24)},
      session_(http, TokenOptions(options_)),
      directory_(&session_, DirectoryOptions{options_.bank_cache_ttl, options_.directory_cache_ttl,
                                             options_.directory_cache_max_entries}) {}

absl::StatusOr<std::string> MonatoProvider::ProviderIdempotencyKey(
    const std::string& caller, const std::string& caller_key) const {
  return UuidV5(options_.idempotency_namespace, ProviderKeyName(caller, kMoneyOut, caller_key));
}

void MonatoProvider::CreatePayout(const PayoutOrder& order, const CallContext& context,
                                  Callback<Payout> done) {
  // Ids go into Monato URL paths only once they are Monato ids (docs/providers/ids.md).
  if (absl::Status id =
          CheckNativeId(NativeId::kMonato, order.source_account_native_id, "source_account_id");
      !id.ok()) {
    return done(id);
  }
  auto key = ProviderIdempotencyKey(context.caller, order.request.idempotency_key());
  if (!key.ok()) return done(absl::InternalError(key.status().message()));
  const absl::Time deadline = context.deadline;
  directory_.Account(
      order.source_account_native_id, deadline,
      [this, order, key = *key, deadline,
       done = std::move(done)](absl::StatusOr<MonatoAccountInfo> source) mutable {
        if (!source.ok()) {
          if (source.status().code() == absl::StatusCode::kNotFound) {
            return done(NotKnownTo("source_account_id", "Monato account"));
          }
          return done(CallerFacing(kMonatoReplies, LookupFailure(source.status())));
        }
        directory_.DestinationInstrument(
            order.request.counterparty(), source->bank_id, deadline,
            [this, order, key, deadline, source_instrument = source->instrument_id,
             done = std::move(done)](absl::StatusOr<std::string> destination) mutable {
              if (!destination.ok()) {
                return done(CallerFacing(kMonatoReplies, LookupFailure(destination.status())));
              }
              SendMoneyOut(order, source_instrument, *destination, key, deadline, std::move(done));
            });
      });
}

void MonatoProvider::SendMoneyOut(const PayoutOrder& order, const std::string& source_instrument,
                                  const std::string& destination_instrument, const std::string& key,
                                  absl::Time deadline, Callback<Payout> done) {
  session_.Send(
      "POST", "/v1/transactions/money_out",
      MoneyOutBody(session_.client_id(), source_instrument, destination_instrument, order),
      {{"Idempotency-Key", key}}, deadline,
      /*safe_to_retry=*/true,  // Monato replays the first answer for the same key and body
      [order, key,
       done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
        done(PayoutOutcome(kMonatoReplies, order, key, response, "money_out reply",
                           [](const boost::json::object& body) { return ParseTransaction(body); }));
      });
}

void MonatoProvider::RegisterWebhooks(const std::string& url, const std::string& token,
                                      absl::Time deadline,
                                      absl::AnyInvocable<void(absl::Status)> done) {
  struct Pending {
    std::atomic<int> left{2};
    absl::Mutex mu;
    absl::Status first_error;
    absl::AnyInvocable<void(absl::Status)> done;
  };
  auto pending = std::make_shared<Pending>();
  pending->done = std::move(done);
  for (const char* type : {"STATUS_UPDATE", "MONEY_IN"}) {
    boost::json::object body{{"client_id", session_.client_id()},
                             {"url", url},
                             {"token", token},
                             {"webhook_type", type},
                             {"auth_type", "AUTH"}};
    session_.Send("POST", "/v1/webhooks", boost::json::serialize(body), {}, deadline,
                  /*safe_to_retry=*/true,
                  [pending](absl::StatusOr<net::http::HttpResponse> response) {
                    if (!IsSuccess(response)) {
                      absl::MutexLock lock(&pending->mu);
                      if (pending->first_error.ok())
                        pending->first_error = ReplyError(kMonatoReplies, response);
                    }
                    if (--pending->left == 0) {
                      absl::Status result;
                      {
                        absl::MutexLock lock(&pending->mu);
                        result = pending->first_error;
                      }
                      pending->done(std::move(result));
                    }
                  });
  }
}

void MonatoProvider::GetPayout(const std::string& native_payout_id, const CallContext& context,
                               Callback<Payout> done) {
  if (absl::Status readable = CheckReadablePayoutId(native_payout_id); !readable.ok()) {
    return done(readable);
  }
  if (absl::Status id = CheckNativeId(NativeId::kMonato, native_payout_id, "payout_id"); !id.ok()) {
    return done(id);
  }
  session_.Send(
      "GET", absl::StrCat("/v1/clients/", session_.client_id(), "/transactions/", native_payout_id),
      "", {}, context.deadline, /*safe_to_retry=*/true,
      [done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
        if (response.ok() && response->status == 405) {
          return done(MissingEndpoint(kTransactionRead, 405));
        }
        if (MaybeMissingEndpoint(response)) {
          return done(absl::NotFoundError(
              absl::StrCat("Monato knows no such transaction, or does not serve ", kTransactionRead,
                           " (known only from third-party clients)")));
        }
        if (!IsSuccess(response)) return done(ReplyError(kMonatoReplies, response));
        auto body = ParseJsonObject(response->body);
        if (!body.ok()) return done(UnreadableReply(kMonatoReplies, "transaction", body.status()));
        const boost::json::object* transaction = OptionalObject(*body, "data");
        auto payout = ParseTransaction(transaction ? *transaction : *body);
        done(payout.ok() ? std::move(payout)
                         : absl::StatusOr<Payout>(
                               UnreadableReply(kMonatoReplies, "transaction", payout.status())));
      });
}

void MonatoProvider::ListPayouts(const payments::v1::ListPayoutsRequest& filter,
                                 const PageQuery& page, const CallContext& context,
                                 Callback<payments::v1::ListPayoutsResponse> done) {
  done(absl::UnimplementedError(
      "Monato documents no transaction list; payouts are listed from the gateway's own store"));
}

void MonatoProvider::RefundTransaction(const RefundOrder& order, const CallContext& context,
                                       Callback<payments::v1::Refund> done) {
  if (absl::Status id =
          CheckNativeId(NativeId::kMonato, order.transaction_native_id, "transaction_id");
      !id.ok()) {
    return done(id);
  }
  const std::string path = absl::StrCat("/v1/clients/", session_.client_id(), "/transactions/",
                                        order.transaction_native_id);
  const absl::Time deadline = context.deadline;
  // Monato refunds only the full amount: check it against the original first.
  session_.Send("GET", path, "", {}, deadline, /*safe_to_retry=*/true,
                [this, order, path, deadline,
                 done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
                  if (MaybeMissingEndpoint(response)) {
                    // The read is an optimisation: Monato itself refuses a refund of an unknown
                    // transaction or of less than the full amount.
                    return SendRefund(order, path, deadline, std::move(done));
                  }
                  if (!IsSuccess(response))
                    return done(CallerFacing(kMonatoReplies,
                                             LookupFailure(ReplyError(kMonatoReplies, response))));
                  auto body = ParseJsonObject(response->body);
                  const boost::json::object* data =
                      body.ok() ? OptionalObject(*body, "data") : nullptr;
                  auto original = body.ok() ? ParseTransaction(data ? *data : *body)
                                            : absl::StatusOr<Payout>(body.status());
                  if (!original.ok()) {
                    return done(UnreadableReply(kMonatoReplies, "transaction", original.status()));
                  }
                  if (original->amount().amount_minor() != order.request.amount().amount_minor()) {
                    return done(gateway::InvalidField(
                        "amount.amount_minor", absl::StrCat("must equal the received amount, ",
                                                            original->amount().amount_minor(),
                                                            " (Monato refunds only in full)")));
                  }
                  SendRefund(order, path, deadline, std::move(done));
                });
}

void MonatoProvider::SendRefund(const RefundOrder& order, const std::string& path,
                                absl::Time deadline, Callback<payments::v1::Refund> done) {
  // Monato documents no Idempotency-Key for refunds (docs/providers/monato.md): the gateway's
  // claim on the caller's key is what prevents a second refund, so an answer that may follow
  // a refund is UNKNOWN and keeps that claim.
  session_.Send(
      "POST", absl::StrCat(path, "/refund"),
      RefundBody(order.request.amount().amount_minor(), order.request.description()), {}, deadline,
      /*safe_to_retry=*/false,
      [order, done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
        done(MoneyMoveOutcome<payments::v1::Refund>(
            kRefundReplies, response, "refund reply",
            [&order](const boost::json::object& body) {
              return ParseRefund(body, order.request.transaction_id());
            },
            [&order](absl::string_view) {
              return UnknownRefund(payments::v1::PROVIDER_MONATO, order);
            }));
      });
}

}  // namespace providers::monato
