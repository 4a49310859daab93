// Monato's catalogue endpoints: banks, accounts (and private accounts), instruments and
// webhook registrations, with their three different page envelopes
// (docs/providers/monato.md#pagination).
#include <algorithm>
#include <initializer_list>

#include <boost/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "sandbox/common/clabe.h"
#include "sandbox/common/ids.h"
#include "sandbox/common/json_util.h"
#include "sandbox/monato/monato_banks.h"
#include "sandbox/monato/monato_json.h"
#include "sandbox/monato/monato_requests.h"
#include "sandbox/monato/monato_simulator.h"

namespace sandbox {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 1000;

// ?page= (from 1) and the first present of `size_params` (1..1000).
bool ReadPaging(const ServerRequest& request, std::initializer_list<const char*> size_params,
                int* page, int* size, MonatoError* error) {
  *page = 1;
  *size = kDefaultPageSize;
  const std::string page_text = request.QueryParam("page");
  if (!page_text.empty() && (!absl::SimpleAtoi(page_text, page) || *page < 1)) {
    *error = DataError("INVALID_PAGE", "page must be a positive integer.");
    return false;
  }
  for (const char* name : size_params) {
    const std::string size_text = request.QueryParam(name);
    if (size_text.empty()) continue;
    if (!absl::SimpleAtoi(size_text, size) || *size < 1 || *size > kMaxPageSize) {
      *error = DataError("INVALID_PAGE_SIZE",
                         absl::StrCat(name, " must be an integer from 1 to ", kMaxPageSize, "."));
      return false;
    }
    break;
  }
  return true;
}

// The items of page `page` (1-based) of `size`.
template <class T, class ToJson>
boost::json::array Slice(const std::vector<T>& items, int page, int size, ToJson to_json) {
  boost::json::array out;
  const size_t first = static_cast<size_t>(page - 1) * static_cast<size_t>(size);
  for (size_t i = first; i < items.size() && i < first + static_cast<size_t>(size); ++i) {
    out.push_back(to_json(items[i]));
  }
  return out;
}

}  // namespace

MonatoAccount& MonatoSimulator::AddAccountLocked(const std::string& account_id,
                                                 const std::string& instrument_id,
                                                 const std::string& owner_id,
                                                 const std::string& parent_id,
                                                 int64_t balance_cents) {
  const absl::Time now = clock_->Now();
  MonatoAccount account;
  account.id = account_id.empty() ? NewUuid() : account_id;
  account.bank_id = seed_.bank_id;
  account.client_id = seed_.client_id;
  account.client_bank_adapter_id = seed_.client_bank_adapter_id;
  account.parent_account_id = parent_id.empty() ? account.id : parent_id;
  account.instrument_id = instrument_id.empty() ? NewUuid() : instrument_id;
  account.owner_id = owner_id;
  account.holder_name = config_.client_name;
  account.clabe = MakeClabe("734", "180", next_account_number_++);
  account.account_number = account.clabe.substr(6);  // 11-digit account + check digit
  account.balance_cents = balance_cents;
  account.created_at = account.updated_at = now;

  MonatoInstrument instrument;
  instrument.id = account.instrument_id;
  instrument.client_id = account.client_id;
  instrument.owner_id = account.owner_id;
  instrument.bank_id = account.bank_id;
  instrument.alias = "Finco Pay account";
  instrument.type = "SENDER";
  instrument.rfc = "ND";
  instrument.kind = InstrumentKind::kAccount;
  instrument.clabe = account.clabe;
  instrument.account_number = account.account_number;
  instrument.holder_name = account.holder_name;
  instrument.account_id = account.id;
  instrument.created_at = instrument.updated_at = now;
  instruments_[instrument.id] = instrument;
  instrument_order_.push_back(instrument.id);

  account_order_.push_back(account.id);
  return accounts_[account.id] = account;
}

absl::optional<ServerReply> MonatoSimulator::ListBanks(Call& call) {
  int page = 1, size = kDefaultPageSize;
  MonatoError error;
  if (!ReadPaging(*call.request, {"page_size", "per_page"}, &page, &size, &error)) {
    return MonatoErrorReply(error);
  }
  const std::vector<MonatoBank>& banks = MonatoBanks();
  boost::json::object body{{"total_banks", banks.size()},
                           {"page", page},
                           {"page_size", size},
                           {"banks", Slice(banks, page, size, BankJson)}};
  return ServerReply::Json(200, ToJson(body));
}

absl::optional<ServerReply> MonatoSimulator::ListAccounts(Call& call) {
  int page = 1, size = kDefaultPageSize;
  MonatoError error;
  if (!ReadPaging(*call.request, {"per_page", "page_size"}, &page, &size, &error)) {
    return MonatoErrorReply(error);
  }
  std::vector<MonatoAccount> accounts;
  {
    absl::MutexLock lock(&mu_);
    for (const std::string& id : account_order_) {
      const MonatoAccount& account = accounts_.at(id);
      if (account.client_id == call.client_id) accounts.push_back(account);
    }
  }
  boost::json::object body{{"currentPage", page},
                           {"perPage", size},
                           {"totalItem", accounts.size()},
                           {"data", Slice(accounts, page, size, AccountJson)}};
  return ServerReply::Json(200, ToJson(body));
}

absl::optional<ServerReply> MonatoSimulator::GetAccount(Call& call) {
  absl::MutexLock lock(&mu_);
  auto it = accounts_.find(call.params[1]);
  if (it == accounts_.end() || it->second.client_id != call.client_id) {
    return MonatoErrorReply(NotFoundError("ACCOUNT_NOT_FOUND", "Account not found."));
  }
  return ServerReply::Json(200, ToJson(AccountJson(it->second)));
}

absl::optional<ServerReply> MonatoSimulator::CreatePrivateAccount(Call& call) {
  PrivateAccountRequest request;
  MonatoError error;
  if (!ParsePrivateAccount(call.request->body, &request, &error)) return MonatoErrorReply(error);
  if (request.client_id != call.client_id) {
    return MonatoErrorReply(PermissionError("client_id is not the token's client."));
  }
  if (FindMonatoBank(request.bank_id) == nullptr) {
    return MonatoErrorReply(DataError("BANK_NOT_FOUND", "bank_id not found."));
  }
  absl::MutexLock lock(&mu_);
  auto parent = accounts_.find(request.account_id);
  if (parent == accounts_.end() || parent->second.client_id != call.client_id) {
    return MonatoErrorReply(DataError("ACCOUNT_NOT_FOUND", "account_id not found."));
  }
  MonatoAccount& account = AddAccountLocked("", "", request.owner_id, request.account_id, 0);
  account.bank_id = request.bank_id;
  account.client_bank_adapter_id = request.client_bank_adapter_id;
  instruments_.at(account.instrument_id).bank_id = request.bank_id;
  return ServerReply::Json(201, ToJson(AccountJson(account)));
}

absl::optional<ServerReply> MonatoSimulator::CreateInstrument(Call& call) {
  InstrumentRequest request;
  MonatoError error;
  if (!ParseInstrument(call.request->body, &request, &error)) return MonatoErrorReply(error);
  if (request.client_id != call.client_id) {
    return MonatoErrorReply(PermissionError("client_id is not the token's client."));
  }
  if (FindMonatoBank(request.destination_bank_id) == nullptr ||
      (!request.source_bank_id.empty() && FindMonatoBank(request.source_bank_id) == nullptr)) {
    return MonatoErrorReply(DataError("BANK_NOT_FOUND", "Bank not found."));
  }
  MonatoInstrument instrument;
  instrument.id = NewUuid();
  instrument.client_id = request.client_id;
  instrument.customer_id = request.customer_id;
  // "If customer_id is omitted, the owner is the client itself"
  // (docs/providers/monato.md#money-out).
  instrument.owner_id = request.customer_id.empty() ? seed_.owner_id : request.customer_id;
  instrument.bank_id = request.destination_bank_id;
  instrument.alias = request.alias;
  instrument.type = request.type;
  instrument.rfc = request.rfc;
  instrument.kind = request.kind;
  instrument.card_number = request.card_number;
  instrument.clabe = request.clabe;
  instrument.account_number = request.account_number;
  instrument.holder_name = request.holder_name;
  instrument.created_at = instrument.updated_at = clock_->Now();
  absl::MutexLock lock(&mu_);
  instruments_[instrument.id] = instrument;
  instrument_order_.push_back(instrument.id);
  return ServerReply::Json(201, ToJson(InstrumentJson(instrument)));
}

absl::optional<ServerReply> MonatoSimulator::ListInstruments(Call& call) {
  int page = 1, size = kDefaultPageSize;
  MonatoError error;
  if (!ReadPaging(*call.request, {"per_page", "page_size"}, &page, &size, &error)) {
    return MonatoErrorReply(error);
  }
  const std::string customer_id = call.request->QueryParam("customer_id");
  std::vector<MonatoInstrument> instruments;
  {
    absl::MutexLock lock(&mu_);
    for (const std::string& id : instrument_order_) {
      const MonatoInstrument& instrument = instruments_.at(id);
      if (instrument.client_id != call.client_id) continue;
      if (!customer_id.empty() && instrument.customer_id != customer_id) continue;
      instruments.push_back(instrument);
    }
  }
  boost::json::object body{{"data", Slice(instruments, page, size, InstrumentJson)},
                           {"currentPage", page},
                           {"perPage", size},
                           {"totalItems", instruments.size()}};
  return ServerReply::Json(200, ToJson(body));
}

absl::optional<ServerReply> MonatoSimulator::GetInstrument(Call& call) {
  absl::MutexLock lock(&mu_);
  auto it = instruments_.find(call.params[1]);
  if (it == instruments_.end() || it->second.client_id != call.client_id) {
    return MonatoErrorReply(NotFoundError("INSTRUMENT_NOT_FOUND", "Instrument not found."));
  }
  return ServerReply::Json(200, ToJson(InstrumentJson(it->second)));
}

absl::optional<ServerReply> MonatoSimulator::RegisterWebhook(Call& call) {
  WebhookRequest request;
  MonatoError error;
  if (!ParseWebhookRegistration(call.request->body, &request, &error)) {
    return MonatoErrorReply(error);
  }
  if (request.client_id != call.client_id) {
    return MonatoErrorReply(PermissionError("client_id is not the token's client."));
  }
  MonatoWebhook webhook;
  webhook.id = NewUuid();
  webhook.client_id = request.client_id;
  webhook.url = request.url;
  webhook.token = request.token;
  webhook.webhook_type = request.webhook_type;
  webhook.auth_type = request.auth_type;
  webhook.created_at = clock_->Now();
  absl::MutexLock lock(&mu_);
  // One registration per client and type: registering again replaces the URL and token.
  webhooks_.erase(std::remove_if(webhooks_.begin(), webhooks_.end(),
                                 [&](const MonatoWebhook& existing) {
                                   return existing.client_id == webhook.client_id &&
                                          existing.webhook_type == webhook.webhook_type;
                                 }),
                  webhooks_.end());
  webhooks_.push_back(webhook);
  return ServerReply::Json(200, ToJson(WebhookJson(webhook)));
}

}  // namespace sandbox
