#include "providers/monato/monato_provider.h"

#include <atomic>
#include <memory>
#include <utility>

#include <boost/json/serialize.hpp>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "vocabulary/error_details.h"
#include "vocabulary/money.h"
#include "vocabulary/resource_id.h"
#include "vocabulary/idempotency_keys.h"
#include "providers/common/json_fields.h"
#include "providers/common/lookup_errors.h"
#include "providers/common/native_id.h"
#include "providers/common/payout_results.h"
#include "net/http/http_types.h"

namespace providers::monato {
namespace {

using payments::v1::Payout;

constexpr char kMoneyOut[] = "money_out";

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

bool Ok(const absl::StatusOr<net::http::HttpResponse>& response) {
  return response.ok() && response->status >= 200 && response->status < 300;
}

// Monato refusing the gateway's own credentials is not the caller's fault: it is an outage
// of this gateway's access, reported as UNAVAILABLE rather than UNAUTHENTICATED.
absl::Status CallerFacing(absl::Status status) {
  if (status.code() == absl::StatusCode::kUnauthenticated) {
    return absl::UnavailableError(
        absl::StrCat("the gateway's Monato credentials were refused: ", status.message()));
  }
  if (status.code() == absl::StatusCode::kPermissionDenied) {
    return absl::FailedPreconditionError(status.message());
  }
  return status;
}

absl::Status ReplyError(const absl::StatusOr<net::http::HttpResponse>& response) {
  if (!response.ok()) return CallerFacing(response.status());
  return CallerFacing(ErrorFromReply(response->status, response->body));
}

// A 404 or 405 to a single-object read: the object is unknown, or the endpoint itself is
// missing (both read endpoints are known only from third-party clients,
// docs/providers/monato.md). Callers with a documented fallback use it instead.
bool MaybeMissingEndpoint(const absl::StatusOr<net::http::HttpResponse>& response) {
  return response.ok() && (response->status == 404 || response->status == 405);
}

constexpr char kTransactionRead[] = "GET /v1/clients/{clientId}/transactions/{transactionId}";

template <typename Page>
void SetNextPage(const MonatoPage& parsed, Page& out) {
  if (parsed.HasNext()) out.set_next_page_token(absl::StrCat(parsed.page + 1));
}

int PageNumber(const PageQuery& page) {
  int number = 1;
  if (!page.page_token.empty() && (!absl::SimpleAtoi(page.page_token, &number) || number < 1)) {
    number = 1;
  }
  return number;
}

}  // namespace

MonatoProvider::MonatoProvider(net::http::HttpClient* http, MonatoOptions options)
    : options_(std::move(options)),
      capabilities_{{"MXN"}, options_.max_payout_minor, /*debit_card_payouts=*/true},
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
            return done(gateway::InvalidField("source_account_id", "is not a Monato account"));
          }
          return done(CallerFacing(LookupFailure(source.status())));
        }
        directory_.DestinationInstrument(
            order.request.counterparty(), source->bank_id, deadline,
            [this, order, key, deadline, source_instrument = source->instrument_id,
             done = std::move(done)](absl::StatusOr<std::string> destination) mutable {
              if (!destination.ok()) return done(CallerFacing(LookupFailure(destination.status())));
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
      [order, key, done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
        if (!response.ok()) {
          if (net::http::RequestMayHaveBeenSent(response.status())) {
            return done(UnknownOutcome(payments::v1::PROVIDER_MONATO, order, key,
                                       response.status().message()));
          }
          return done(CallerFacing(response.status()));
        }
        if (!Ok(response) && (response->status < 400 || response->status >= 500)) {
          // A 5xx (or stranger) may come after Monato acted; a retry with the same key tells.
          return done(UnknownOutcome(payments::v1::PROVIDER_MONATO, order, key,
                                     absl::StrCat("Monato answered HTTP ", response->status)));
        }
        if (!Ok(response)) return done(ReplyError(response));
        auto body = ParseJsonObject(response->body);
        auto payout = body.ok() ? ParseTransaction(*body) : absl::StatusOr<Payout>(body.status());
        if (!payout.ok()) {
          return done(UnknownOutcome(
              payments::v1::PROVIDER_MONATO, order, key,
              absl::StrCat("unreadable money_out reply: ", payout.status().message())));
        }
        done(WithOrder(*std::move(payout), order));
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
                  /*safe_to_retry=*/true, [pending](absl::StatusOr<net::http::HttpResponse> response) {
                    if (!Ok(response)) {
                      absl::MutexLock lock(&pending->mu);
                      if (pending->first_error.ok()) pending->first_error = ReplyError(response);
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
  if (absl::StartsWith(native_payout_id, "key-")) {
    return done(absl::FailedPreconditionError(
        "this payout's outcome is unknown; retry CreatePayout with the same idempotency key to "
        "resolve it"));
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
        if (!Ok(response)) return done(ReplyError(response));
        auto body = ParseJsonObject(response->body);
        if (!body.ok()) return done(absl::UnavailableError("unreadable Monato reply"));
        const boost::json::object* transaction = OptionalObject(*body, "data");
        auto payout = ParseTransaction(transaction ? *transaction : *body);
        done(payout.ok()
                 ? std::move(payout)
                 : absl::StatusOr<Payout>(absl::UnavailableError(payout.status().message())));
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
                  if (!Ok(response)) return done(CallerFacing(LookupFailure(ReplyError(response))));
                  auto body = ParseJsonObject(response->body);
                  const boost::json::object* data =
                      body.ok() ? OptionalObject(*body, "data") : nullptr;
                  auto original = body.ok() ? ParseTransaction(data ? *data : *body)
                                            : absl::StatusOr<Payout>(body.status());
                  if (!original.ok())
                    return done(absl::UnavailableError("unreadable Monato transaction"));
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
        // Monato may or may not have refunded: the claim stays until the outcome is known.
        auto unknown = [&order]() {
          payments::v1::Refund refund;
          refund.set_provider(payments::v1::PROVIDER_MONATO);
          refund.set_transaction_id(order.request.transaction_id());
          *refund.mutable_amount() = order.request.amount();
          refund.set_status(payments::v1::PAYOUT_STATUS_UNKNOWN);
          return refund;
        };
        if (!response.ok()) {
          if (net::http::RequestMayHaveBeenSent(response.status())) {
            return done(unknown());
          }
          return done(CallerFacing(response.status()));  // never left: nothing happened
        }
        if (!Ok(response)) {
          if (response->status == 404) {
            return done(gateway::InvalidField("transaction_id", "is not a Monato transaction"));
          }
          if (response->status >= 400 && response->status < 500) return done(ReplyError(response));
          // A 5xx (or stranger) may come after Monato refunded.
          return done(unknown());
        }
        auto body = ParseJsonObject(response->body);
        auto refund = body.ok() ? ParseRefund(*body, order.request.transaction_id())
                                : absl::StatusOr<payments::v1::Refund>(body.status());
        done(refund.ok() ? *std::move(refund) : unknown());  // 2xx yet unreadable: may have acted
      });
}

void MonatoProvider::ListAccounts(const PageQuery& page, const CallContext& context,
                                  Callback<payments::v1::ListAccountsResponse> done) {
  session_.Send("GET",
                absl::StrCat("/v1/clients/", session_.client_id(),
                             "/accounts?page=", PageNumber(page), "&per_page=", page.page_size),
                "", {}, context.deadline, /*safe_to_retry=*/true,
                [done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
                  if (!Ok(response)) return done(ReplyError(response));
                  auto parsed = ParsePage(response->body, "data");
                  if (!parsed.ok()) return done(absl::UnavailableError(parsed.status().message()));
                  payments::v1::ListAccountsResponse out;
                  for (const auto& item : parsed->items) {
                    auto account = ParseAccount(item);
                    if (!account.ok())
                      return done(absl::UnavailableError(account.status().message()));
                    *out.add_accounts() = *std::move(account);
                  }
                  SetNextPage(*parsed, out);
                  done(std::move(out));
                });
}

void MonatoProvider::GetAccount(const std::string& native_account_id, const CallContext& context,
                                Callback<payments::v1::Account> done) {
  if (absl::Status id = CheckNativeId(NativeId::kMonato, native_account_id, "account_id");
      !id.ok()) {
    return done(id);
  }
  const absl::Time deadline = context.deadline;
  session_.Send("GET",
                absl::StrCat("/v1/clients/", session_.client_id(), "/accounts/", native_account_id),
                "", {}, deadline, /*safe_to_retry=*/true,
                [this, native_account_id, deadline,
                 done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
                  if (MaybeMissingEndpoint(response))
                    return AccountFromList(native_account_id, deadline, std::move(done));
                  if (!Ok(response)) return done(ReplyError(response));
                  auto body = ParseJsonObject(response->body);
                  if (!body.ok()) return done(absl::UnavailableError("unreadable Monato account"));
                  const boost::json::object* account = OptionalObject(*body, "data");
                  auto parsed = ParseAccount(account ? *account : *body);
                  done(parsed.ok() ? std::move(parsed)
                                   : absl::StatusOr<payments::v1::Account>(
                                         absl::UnavailableError(parsed.status().message())));
                });
}

void MonatoProvider::AccountFromList(const std::string& native_account_id, absl::Time deadline,
                                     Callback<payments::v1::Account> done) {
  // The single read is known only from third-party clients; the list is documented.
  directory_.FreshAccount(native_account_id, deadline,
                          [done = std::move(done)](absl::StatusOr<MonatoAccountInfo> info) mutable {
                            if (!info.ok()) return done(CallerFacing(info.status()));
                            auto parsed = ParseAccount(info->raw);
                            done(parsed.ok()
                                     ? std::move(parsed)
                                     : absl::StatusOr<payments::v1::Account>(
                                           absl::UnavailableError(parsed.status().message())));
                          });
}

void MonatoProvider::CreateAccount(const payments::v1::CreateAccountRequest& request,
                                   const std::string& parent_native_id, const CallContext& context,
                                   Callback<payments::v1::Account> done) {
  if (parent_native_id.empty()) {
    return done(gateway::InvalidField(
        "parent_account_id", "is required: a Monato private account belongs to an account"));
  }
  if (absl::Status id = CheckNativeId(NativeId::kMonato, parent_native_id, "parent_account_id");
      !id.ok()) {
    return done(id);
  }
  const absl::Time deadline = context.deadline;
  directory_.Account(
      parent_native_id, deadline,
      [this, deadline, done = std::move(done)](absl::StatusOr<MonatoAccountInfo> parent) mutable {
        if (!parent.ok()) return done(CallerFacing(LookupFailure(parent.status())));
        boost::json::object body{{"bank_id", parent->bank_id},
                                 {"owner_id", parent->owner_id},
                                 {"client_bank_adapter_id", parent->client_bank_adapter_id},
                                 {"client_id", session_.client_id()},
                                 {"account_id", parent->id}};
        session_.Send(
            "POST", absl::StrCat("/v1/clients/", session_.client_id(), "/private_accounts"),
            boost::json::serialize(body), {}, deadline, /*safe_to_retry=*/false,
            [done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
              if (!Ok(response)) return done(ReplyError(response));
              auto object = ParseJsonObject(response->body);
              auto account = object.ok() ? ParseAccount(*object)
                                         : absl::StatusOr<payments::v1::Account>(object.status());
              done(account.ok() ? std::move(account)
                                : absl::StatusOr<payments::v1::Account>(
                                      absl::UnavailableError("unreadable Monato account reply")));
            });
      });
}

void MonatoProvider::ListBanks(const PageQuery& page, const CallContext& context,
                               Callback<payments::v1::ListBanksResponse> done) {
  directory_.Banks(
      context.deadline, [page, done = std::move(done)](
                            absl::StatusOr<std::shared_ptr<const BankList>> banks) mutable {
        if (!banks.ok()) return done(CallerFacing(banks.status()));
        const size_t start = static_cast<size_t>(PageNumber(page) - 1) * page.page_size;
        payments::v1::ListBanksResponse out;
        for (size_t i = start; i < (*banks)->size() && i < start + page.page_size; ++i) {
          const MonatoBank& bank = (**banks)[i];
          auto* item = out.add_banks();
          item->set_banxico_code(bank.banxico_code);
          if (bank.banxico_code.size() >= 3) {
            item->set_clabe_prefix(bank.banxico_code.substr(bank.banxico_code.size() - 3));
          }
          item->set_name(bank.name);
          item->set_provider_bank_id(bank.id);
        }
        if (start + page.page_size < (*banks)->size()) {
          out.set_next_page_token(absl::StrCat(PageNumber(page) + 1));
        }
        done(std::move(out));
      });
}

void MonatoProvider::RegisterCounterparty(const payments::v1::RegisterCounterpartyRequest& request,
                                          const CallContext& context,
                                          Callback<payments::v1::RegisteredCounterparty> done) {
  // The source bank of a registration is the client's own bank: take it from the catalogue
  // entry of Monato itself (Finco Pay, Banxico 90734).
  const absl::Time deadline = context.deadline;
  directory_.BankIdFor(
      "90734", deadline,
      [this, request, deadline, done = std::move(done)](absl::StatusOr<std::string> own) mutable {
        if (!own.ok()) return done(CallerFacing(LookupFailure(own.status())));
        directory_.DestinationInstrument(
            request.counterparty(), *own, deadline,
            [request, done = std::move(done)](absl::StatusOr<std::string> instrument) mutable {
              if (!instrument.ok()) return done(CallerFacing(LookupFailure(instrument.status())));
              payments::v1::RegisteredCounterparty registered;
              registered.set_id(gateway::ResourceId{payments::v1::PROVIDER_MONATO,
                                                    std::string(gateway::kind::kCounterparty),
                                                    *instrument}
                                    .ToString());
              registered.set_provider(payments::v1::PROVIDER_MONATO);
              *registered.mutable_counterparty() = request.counterparty();
              auto* counterparty = registered.mutable_counterparty();
              if (counterparty->has_clabe()) {
                counterparty->set_clabe(counterparty->clabe().substr(14));
              } else if (counterparty->has_debit_card()) {
                counterparty->set_debit_card(
                    counterparty->debit_card().substr(counterparty->debit_card().size() - 4));
              }
              registered.set_alias(request.alias());
              done(std::move(registered));
            });
      });
}

void MonatoProvider::ListCounterparties(const PageQuery& page, const CallContext& context,
                                        Callback<payments::v1::ListCounterpartiesResponse> done) {
  session_.Send("GET",
                absl::StrCat("/v1/clients/", session_.client_id(),
                             "/instruments?page=", PageNumber(page), "&per_page=", page.page_size),
                "", {}, context.deadline, /*safe_to_retry=*/true,
                [done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
                  if (!Ok(response)) return done(ReplyError(response));
                  auto parsed = ParsePage(response->body, "data");
                  if (!parsed.ok()) return done(absl::UnavailableError(parsed.status().message()));
                  payments::v1::ListCounterpartiesResponse out;
                  for (const auto& item : parsed->items) {
                    auto instrument = ParseInstrument(item);
                    if (!instrument.ok()) continue;
                    auto* registered = out.add_counterparties();
                    registered->set_id(gateway::ResourceId{
                        payments::v1::PROVIDER_MONATO, std::string(gateway::kind::kCounterparty),
                        instrument->id}
                                           .ToString());
                    registered->set_provider(payments::v1::PROVIDER_MONATO);
                    const std::string& number = instrument->account_number;
                    const std::string last4 =
                        number.size() > 4 ? number.substr(number.size() - 4) : number;
                    if (number.size() == 18) {
                      registered->mutable_counterparty()->set_clabe(last4);
                    } else {
                      registered->mutable_counterparty()->set_debit_card(last4);
                    }
                    registered->mutable_counterparty()->set_holder_name(instrument->holder_name);
                    registered->set_alias(StringOr(item, "alias"));
                  }
                  SetNextPage(*parsed, out);
                  done(std::move(out));
                });
}

}  // namespace providers::monato
