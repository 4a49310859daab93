#include "providers/monato/monato_directory.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "providers/common/json_fields.h"
#include "providers/common/native_id.h"

namespace providers::monato {
namespace {

constexpr int kBankPageSize = 400;
constexpr int kMaxBankPages = 20;
constexpr int kAccountPageSize = 100;
constexpr int kMaxAccountPages = 20;
constexpr int kInstrumentPageSize = 100;
constexpr int kMaxInstrumentPages = 50;
constexpr char kBanksKey[] = "banks";

std::string DestinationKey(const payments::v1::Counterparty& counterparty) {
  const std::string& number =
      counterparty.has_debit_card() ? counterparty.debit_card() : counterparty.clabe();
  return absl::StrCat(number, "|", absl::AsciiStrToUpper(counterparty.holder_name()), "|",
                      counterparty.rfc());
}

// A non-2xx reply (or a transport error) as a status for lookups, which never move money.
absl::Status LookupError(const absl::StatusOr<net::http::HttpResponse>& response) {
  if (!response.ok()) return response.status();
  return ErrorFromReply(response->status, response->body);
}

bool Ok(const absl::StatusOr<net::http::HttpResponse>& response) {
  return response.ok() && response->status >= 200 && response->status < 300;
}

MonatoAccountInfo AccountInfo(const boost::json::object& account) {
  MonatoAccountInfo info;
  info.id = StringOr(account, "id");
  info.instrument_id = StringOr(account, "instrumentId");
  info.bank_id = StringOr(account, "bankId");
  info.owner_id = StringOr(account, "ownerId");
  info.client_bank_adapter_id = StringOr(account, "clientBankAdapterId");
  info.raw = account;
  return info;
}

}  // namespace

MonatoDirectory::MonatoDirectory(MonatoSession* session, DirectoryOptions options)
    : session_(session),
      bank_cache_ttl_(options.bank_cache_ttl),
      now_(options.now),
      accounts_(options.entry_ttl, options.max_entries, options.now),
      instruments_(options.entry_ttl, options.max_entries, options.now) {}

void MonatoDirectory::Banks(absl::Time deadline, Callback<std::shared_ptr<const BankList>> done) {
  std::shared_ptr<const BankList> cached;
  {
    absl::MutexLock lock(&mu_);
    if (banks_ != nullptr && now_() - banks_fetched_ < bank_cache_ttl_) cached = banks_;
  }
  if (cached != nullptr) return done(std::move(cached));
  if (bank_flight_.Join(kBanksKey, std::move(done))) {
    ++bank_fetches_;
    FetchBankPage(1, std::make_shared<BankList>(), deadline);
  }
}

void MonatoDirectory::FetchBankPage(int page, std::shared_ptr<BankList> so_far,
                                    absl::Time deadline) {
  session_->Send("GET", absl::StrCat("/v1/banks?page=", page, "&page_size=", kBankPageSize), "", {},
                 deadline, /*safe_to_retry=*/true,
                 [this, page, so_far, deadline](absl::StatusOr<net::http::HttpResponse> response) {
                   if (!Ok(response))
                     return bank_flight_.Complete(kBanksKey, LookupError(response));
                   auto parsed = ParsePage(response->body, "banks");
                   if (!parsed.ok()) return bank_flight_.Complete(kBanksKey, parsed.status());
                   for (const auto& item : parsed->items) {
                     if (auto bank = ParseBank(item); bank.ok())
                       so_far->push_back(*std::move(bank));
                   }
                   if (parsed->HasNext() && page < kMaxBankPages) {
                     return FetchBankPage(page + 1, so_far, deadline);
                   }
                   std::shared_ptr<const BankList> complete = so_far;
                   {
                     absl::MutexLock lock(&mu_);
                     banks_ = complete;
                     banks_fetched_ = now_();
                   }
                   bank_flight_.Complete(kBanksKey, complete);
                 });
}

void MonatoDirectory::BankIdFor(const std::string& banxico_code, absl::Time deadline,
                                Callback<std::string> done) {
  Banks(deadline, [banxico_code, done = std::move(done)](
                      absl::StatusOr<std::shared_ptr<const BankList>> banks) mutable {
    if (!banks.ok()) return done(banks.status());
    for (const MonatoBank& bank : **banks) {
      if (bank.banxico_code == banxico_code) return done(bank.id);
    }
    done(absl::FailedPreconditionError(
        absl::StrCat("Monato's bank catalogue has no bank with Banxico code ", banxico_code)));
  });
}

void MonatoDirectory::Account(const std::string& account_id, absl::Time deadline,
                              Callback<MonatoAccountInfo> done) {
  // The adapter checks callers' ids first; this keeps any other id out of the path too.
  if (!IsNativeId(NativeId::kMonato, account_id)) {
    return done(absl::InvalidArgumentError("not a Monato account id (docs/providers/ids.md)"));
  }
  if (auto cached = accounts_.Get(account_id)) return done(*std::move(cached));
  FreshAccount(account_id, deadline, std::move(done));
}

void MonatoDirectory::FreshAccount(const std::string& account_id, absl::Time deadline,
                                   Callback<MonatoAccountInfo> done) {
  if (account_flight_.Join(account_id, std::move(done))) FetchAccountPage(account_id, 1, deadline);
}

void MonatoDirectory::FetchAccountPage(const std::string& account_id, int page,
                                       absl::Time deadline) {
  // The list, not GET .../accounts/{id}: only the list is in Monato's official docs.
  session_->Send(
      "GET",
      absl::StrCat("/v1/clients/", session_->client_id(), "/accounts?page=", page,
                   "&per_page=", kAccountPageSize),
      "", {}, deadline, /*safe_to_retry=*/true,
      [this, account_id, page, deadline](absl::StatusOr<net::http::HttpResponse> response) {
        if (!Ok(response)) {
          if (response.ok() && (response->status == 404 || response->status == 405)) {
            return account_flight_.Complete(
                account_id,
                MissingEndpoint("GET /v1/clients/{clientId}/accounts", response->status));
          }
          return account_flight_.Complete(account_id, LookupError(response));
        }
        auto parsed = ParsePage(response->body, "data");
        if (!parsed.ok()) {
          return account_flight_.Complete(
              account_id, absl::UnavailableError(absl::StrCat("unreadable Monato account list: ",
                                                              parsed.status().message())));
        }
        absl::optional<MonatoAccountInfo> found;
        for (const auto& item : parsed->items) {
          MonatoAccountInfo info = AccountInfo(item);
          if (info.id == account_id) found = info;
          if (!info.id.empty() && !info.instrument_id.empty()) {
            const std::string id = info.id;  // the value is moved from below
            accounts_.Put(id, std::move(info));
          }
        }
        if (found.has_value()) {
          if (found->instrument_id.empty()) {
            return account_flight_.Complete(
                account_id, absl::FailedPreconditionError(
                                "the Monato account has no instrumentId to pay from"));
          }
          return account_flight_.Complete(account_id, *std::move(found));
        }
        if (parsed->HasNext() && page < kMaxAccountPages) {
          return FetchAccountPage(account_id, page + 1, deadline);
        }
        account_flight_.Complete(
            account_id, absl::NotFoundError("Monato's account list holds no such account"));
      });
}

void MonatoDirectory::DestinationInstrument(const payments::v1::Counterparty& counterparty,
                                            const std::string& source_bank_id, absl::Time deadline,
                                            Callback<std::string> done) {
  const std::string key = DestinationKey(counterparty);
  if (auto cached = instruments_.Get(key)) return done(*std::move(cached));
  if (!instrument_flight_.Join(key, std::move(done))) return;
  FindInstrument(key, counterparty, source_bank_id, 1, deadline);
}

void MonatoDirectory::FindInstrument(const std::string& key,
                                     const payments::v1::Counterparty& counterparty,
                                     const std::string& source_bank_id, int page,
                                     absl::Time deadline) {
  session_->Send("GET",
                 absl::StrCat("/v1/clients/", session_->client_id(), "/instruments?page=", page,
                              "&per_page=", kInstrumentPageSize),
                 "", {}, deadline, /*safe_to_retry=*/true,
                 [this, key, counterparty, source_bank_id, page,
                  deadline](absl::StatusOr<net::http::HttpResponse> response) {
                   if (!Ok(response)) return FinishInstrument(key, LookupError(response));
                   auto parsed = ParsePage(response->body, "data");
                   if (!parsed.ok()) return FinishInstrument(key, parsed.status());
                   const std::string& number = counterparty.has_debit_card()
                                                   ? counterparty.debit_card()
                                                   : counterparty.clabe();
                   for (const auto& item : parsed->items) {
                     auto instrument = ParseInstrument(item);
                     if (instrument.ok() && instrument->account_number == number &&
                         absl::AsciiStrToUpper(instrument->holder_name) ==
                             absl::AsciiStrToUpper(counterparty.holder_name())) {
                       return FinishInstrument(key, instrument->id);
                     }
                   }
                   if (parsed->HasNext() && page < kMaxInstrumentPages) {
                     return FindInstrument(key, counterparty, source_bank_id, page + 1, deadline);
                   }
                   RegisterInstrument(key, counterparty, source_bank_id, deadline);
                 });
}

void MonatoDirectory::RegisterInstrument(const std::string& key,
                                         const payments::v1::Counterparty& counterparty,
                                         const std::string& source_bank_id, absl::Time deadline) {
  BankIdFor(counterparty.institution_code(), deadline,
            [this, key, counterparty, source_bank_id,
             deadline](absl::StatusOr<std::string> destination_bank) {
              if (!destination_bank.ok()) return FinishInstrument(key, destination_bank.status());
              const std::string& number =
                  counterparty.has_debit_card() ? counterparty.debit_card() : counterparty.clabe();
              const std::string alias = absl::StrCat("gateway ", number.substr(number.size() - 4));
              ++instruments_registered_;
              // Not repeated blindly: a lost reply is found by the next lookup instead.
              session_->Send(
                  "POST", absl::StrCat("/v1/clients/", session_->client_id(), "/instruments"),
                  InstrumentBody(session_->client_id(), source_bank_id, *destination_bank,
                                 counterparty, alias),
                  {}, deadline, /*safe_to_retry=*/false,
                  [this, key](absl::StatusOr<net::http::HttpResponse> response) {
                    if (!Ok(response)) return FinishInstrument(key, LookupError(response));
                    auto object = ParseJsonObject(response->body);
                    if (!object.ok()) {
                      return FinishInstrument(
                          key, absl::UnavailableError("Monato instrument reply is not JSON"));
                    }
                    auto instrument = ParseInstrument(*object);
                    FinishInstrument(key, instrument.ok()
                                              ? absl::StatusOr<std::string>(instrument->id)
                                              : instrument.status());
                  });
            });
}

void MonatoDirectory::FinishInstrument(const std::string& key, absl::StatusOr<std::string> result) {
  if (result.ok()) instruments_.Put(key, *result);
  instrument_flight_.Complete(key, result);
}

}  // namespace providers::monato
