// The Monato adapter's accounts, banks and counterparties (no money moves here); payouts and
// refunds are in monato_provider.cc.
#include <memory>
#include <utility>

#include <boost/json/serialize.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "providers/common/json_fields.h"
#include "providers/common/lookup_errors.h"
#include "providers/common/native_id.h"
#include "providers/common/provider_replies.h"
#include "providers/common/registered_counterparty.h"
#include "providers/monato/monato_provider.h"
#include "providers/monato/monato_replies.h"
#include "vocabulary/error_details.h"

namespace providers::monato {
namespace {

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

// One page of a documented Monato list under the client ("accounts", "instruments"): the parsed
// page, or the error as the caller sees it.
void ReadPage(MonatoSession& session, absl::string_view collection, const PageQuery& page,
              absl::Time deadline, absl::AnyInvocable<void(absl::StatusOr<MonatoPage>)> done) {
  session.Send("GET",
               absl::StrCat("/v1/clients/", session.client_id(), "/", collection,
                            "?page=", PageNumber(page), "&per_page=", page.page_size),
               "", {}, deadline, /*safe_to_retry=*/true,
               [done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
                 if (!IsSuccess(response)) return done(ReplyError(kMonatoReplies, response));
                 auto parsed = ParsePage(response->body, "data");
                 if (!parsed.ok()) {
                   return done(UnreadableReply(kMonatoReplies, "list", parsed.status()));
                 }
                 done(std::move(parsed));
               });
}

}  // namespace

void MonatoProvider::ListAccounts(const PageQuery& page, const CallContext& context,
                                  Callback<payments::v1::ListAccountsResponse> done) {
  ReadPage(session_, "accounts", page, context.deadline,
           [done = std::move(done)](absl::StatusOr<MonatoPage> parsed) mutable {
             if (!parsed.ok()) return done(parsed.status());
             payments::v1::ListAccountsResponse out;
             for (const auto& item : parsed->items) {
               auto account = ParseAccount(item);
               if (!account.ok()) {
                 return done(UnreadableReply(kMonatoReplies, "account", account.status()));
               }
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
                  if (!IsSuccess(response)) return done(ReplyError(kMonatoReplies, response));
                  auto body = ParseJsonObject(response->body);
                  if (!body.ok()) {
                    return done(UnreadableReply(kMonatoReplies, "account", body.status()));
                  }
                  const boost::json::object* account = OptionalObject(*body, "data");
                  auto parsed = ParseAccount(account ? *account : *body);
                  done(parsed.ok() ? std::move(parsed)
                                   : absl::StatusOr<payments::v1::Account>(UnreadableReply(
                                         kMonatoReplies, "account", parsed.status())));
                });
}

void MonatoProvider::AccountFromList(const std::string& native_account_id, absl::Time deadline,
                                     Callback<payments::v1::Account> done) {
  // The single read is known only from third-party clients; the list is documented.
  directory_.FreshAccount(native_account_id, deadline,
                          [done = std::move(done)](absl::StatusOr<MonatoAccountInfo> info) mutable {
                            if (!info.ok()) {
                              return done(CallerFacing(kMonatoReplies, info.status()));
                            }
                            auto parsed = ParseAccount(info->raw);
                            done(parsed.ok()
                                     ? std::move(parsed)
                                     : absl::StatusOr<payments::v1::Account>(UnreadableReply(
                                           kMonatoReplies, "account", parsed.status())));
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
        if (!parent.ok()) return done(CallerFacing(kMonatoReplies, LookupFailure(parent.status())));
        boost::json::object body{{"bank_id", parent->bank_id},
                                 {"owner_id", parent->owner_id},
                                 {"client_bank_adapter_id", parent->client_bank_adapter_id},
                                 {"client_id", session_.client_id()},
                                 {"account_id", parent->id}};
        session_.Send(
            "POST", absl::StrCat("/v1/clients/", session_.client_id(), "/private_accounts"),
            boost::json::serialize(body), {}, deadline, /*safe_to_retry=*/false,
            [done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
              if (!IsSuccess(response)) return done(ReplyError(kMonatoReplies, response));
              auto object = ParseJsonObject(response->body);
              auto account = object.ok() ? ParseAccount(*object)
                                         : absl::StatusOr<payments::v1::Account>(object.status());
              done(account.ok() ? std::move(account)
                                : absl::StatusOr<payments::v1::Account>(UnreadableReply(
                                      kMonatoReplies, "account reply", account.status())));
            });
      });
}

void MonatoProvider::ListBanks(const PageQuery& page, const CallContext& context,
                               Callback<payments::v1::ListBanksResponse> done) {
  directory_.Banks(
      context.deadline, [page, done = std::move(done)](
                            absl::StatusOr<std::shared_ptr<const BankList>> banks) mutable {
        if (!banks.ok()) return done(CallerFacing(kMonatoReplies, banks.status()));
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
        if (!own.ok()) return done(CallerFacing(kMonatoReplies, LookupFailure(own.status())));
        directory_.DestinationInstrument(
            request.counterparty(), *own, deadline,
            [request, done = std::move(done)](absl::StatusOr<std::string> instrument) mutable {
              if (!instrument.ok()) {
                return done(CallerFacing(kMonatoReplies, LookupFailure(instrument.status())));
              }
              done(Registered(payments::v1::PROVIDER_MONATO, *instrument, request.counterparty(),
                              request.alias()));
            });
      });
}

void MonatoProvider::ListCounterparties(const PageQuery& page, const CallContext& context,
                                        Callback<payments::v1::ListCounterpartiesResponse> done) {
  ReadPage(session_, "instruments", page, context.deadline,
           [done = std::move(done)](absl::StatusOr<MonatoPage> parsed) mutable {
             if (!parsed.ok()) return done(parsed.status());
             payments::v1::ListCounterpartiesResponse out;
             for (const auto& item : parsed->items) {
               auto instrument = ParseInstrument(item);
               if (!instrument.ok()) continue;
               payments::v1::Counterparty counterparty;
               if (instrument->account_number.size() == 18) {
                 counterparty.set_clabe(instrument->account_number);
               } else {
                 counterparty.set_debit_card(instrument->account_number);
               }
               counterparty.set_holder_name(instrument->holder_name);
               *out.add_counterparties() =
                   Registered(payments::v1::PROVIDER_MONATO, instrument->id,
                              std::move(counterparty), StringOr(item, "alias"));
             }
             SetNextPage(*parsed, out);
             done(std::move(out));
           });
}

}  // namespace providers::monato
