#include "providers/fintoc/fintoc_provider.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "net/http/http_types.h"
#include "providers/common/json_fields.h"
#include "providers/common/lookup_errors.h"
#include "providers/common/money_moves.h"
#include "providers/common/native_id.h"
#include "providers/common/payout_results.h"
#include "providers/common/provider_replies.h"
#include "providers/common/registered_counterparty.h"
#include "providers/fintoc/fintoc_messages.h"
#include "providers/fintoc/fintoc_paging.h"
#include "vocabulary/error_details.h"
#include "vocabulary/idempotency_keys.h"
#include "vocabulary/resource_id.h"
#include "vocabulary/status_macros.h"

namespace providers::fintoc {
namespace {

using payments::v1::Payout;

constexpr char kTransfer[] = "transfer";
constexpr char kTransferReturn[] = "transfer_return";
constexpr char kAccountNumber[] = "account_number";
constexpr size_t kMaxAccountNumberDescription = 40;

// 409s that describe the request itself, whatever happened to an earlier attempt; any other
// conflict met by a retry may be the earlier attempt still running under the same key
// (Fintoc's code for that is undocumented).
bool IsDefiniteConflict(const absl::Status& status) {
  const std::string reason = gateway::ReasonOf(status);
  return reason == "FINTOC_INSUFFICIENT_BALANCE" ||
         reason == "FINTOC_INVALID_DUPLICATED_TRANSFER" ||
         reason == "FINTOC_INVALID_TRANSFER_STATUS" ||
         reason == "FINTOC_INVALID_TRANSFER_DIRECTION";
}

// Fintoc's answers as the shared rules read them (providers/common/money_moves.h): 4xx are
// definite refusals (Fintoc keeps no transfer, and a 429 is not processed).
constexpr ProviderReplies kFintocReplies{payments::v1::PROVIDER_FINTOC, "Fintoc",
                                         "Fintoc credentials or request signature", &ErrorFromReply,
                                         &IsDefiniteConflict};

// Returns (refunds) treat every 409 as a refusal, retried or not, as they always have.
constexpr ProviderReplies kReturnReplies = [] {
  ProviderReplies replies = kFintocReplies;
  replies.definite_conflict = nullptr;
  return replies;
}();

// The Fintoc status filter for a gateway status, "" when none maps to exactly one.
absl::string_view FintocStatusFilter(payments::v1::PayoutStatus status) {
  switch (status) {
    case payments::v1::PAYOUT_STATUS_PENDING:
      return "pending";
    case payments::v1::PAYOUT_STATUS_SUCCEEDED:
      return "succeeded";
    case payments::v1::PAYOUT_STATUS_FAILED:
      return "failed";
    case payments::v1::PAYOUT_STATUS_REJECTED:
      return "rejected";
    case payments::v1::PAYOUT_STATUS_RETURNED:
      return "returned";
    default:
      return "";
  }
}

int ListLimit(const PageQuery& page) { return std::clamp(page.page_size, 1, 100); }

}  // namespace

absl::StatusOr<std::unique_ptr<FintocProvider>> FintocProvider::Create(net::http::HttpClient* http,
                                                                       FintocOptions options) {
  RETURN_IF_ERROR(ValidateOptions(options));
  JwsSignerOptions signer_options;
  signer_options.private_key_path = options.jws_private_key_path;
  signer_options.reload_check_interval = options.jws_key_check_interval;
  signer_options.on_reload = options.on_jws_key_reload;
  signer_options.on_signed = options.on_jws_signed;
  ASSIGN_OR_RETURN(auto signer, JwsSigner::Create(std::move(signer_options)));
  return Create(http, std::move(options), std::shared_ptr<JwsSigner>(std::move(signer)));
}

absl::StatusOr<std::unique_ptr<FintocProvider>> FintocProvider::Create(
    net::http::HttpClient* http, FintocOptions options, std::shared_ptr<JwsSigner> signer) {
  RETURN_IF_ERROR(ValidateOptions(options, /*need_key_path=*/false));
  if (http == nullptr || signer == nullptr) {
    return absl::InvalidArgumentError("FintocProvider needs an HTTP client and a JWS signer");
  }
  while (!options.base_url.empty() && options.base_url.back() == '/') options.base_url.pop_back();
  return std::unique_ptr<FintocProvider>(
      new FintocProvider(http, std::move(options), std::move(signer)));
}

FintocProvider::FintocProvider(net::http::HttpClient* http, FintocOptions options,
                               std::shared_ptr<JwsSigner> signer)
    : options_(std::move(options)),
      // Fintoc keeps an Idempotency-Key at least 24 h (docs/provider-idempotency.md).
      capabilities_{
          {"MXN"}, options_.max_payout_minor, /*debit_card_payouts=*/true, absl::Hours(24)},
      signer_(signer),
      session_(http, options_.base_url, options_.secret_key, options_.api_version,
               std::move(signer)) {}

absl::StatusOr<std::string> FintocProvider::ProviderIdempotencyKey(
    absl::string_view operation, absl::string_view caller, absl::string_view caller_key) const {
  return UuidV5(options_.idempotency_namespace, ProviderKeyName(caller, operation, caller_key));
}

void FintocProvider::CreatePayout(const PayoutOrder& order, const CallContext& context,
                                  Callback<Payout> done) {
  const std::string& source = order.source_account_native_id;
  if (absl::Status id = CheckNativeId(NativeId::kFintocAnyAccount, source, "source_account_id");
      !id.ok()) {
    return done(id);
  }
  if (absl::StartsWith(source, "acno_")) {
    return done(gateway::InvalidField(
        "source_account_id",
        "is a Fintoc account number, which only receives; pay from the account it belongs to"));
  }
  auto key = ProviderIdempotencyKey(kTransfer, context.caller, order.request.idempotency_key());
  if (!key.ok()) return done(absl::InternalError(key.status().message()));
  session_.Post(
      "/v2/transfers", TransferBody(order, source), *key, context.deadline,
      [order, key = *key,
       done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
        done(PayoutOutcome(kFintocReplies, order, key, response, "transfer reply",
                           [](const boost::json::object& body) { return ParseTransfer(body); }));
      });
}

void FintocProvider::GetPayout(const std::string& native_payout_id, const CallContext& context,
                               Callback<Payout> done) {
  if (absl::Status readable = CheckReadablePayoutId(native_payout_id); !readable.ok()) {
    return done(readable);
  }
  if (absl::Status id = CheckNativeId(NativeId::kFintocTransfer, native_payout_id, "payout_id");
      !id.ok()) {
    return done(id);
  }
  session_.Get(session_.Url(absl::StrCat("/v2/transfers/", native_payout_id)), context.deadline,
               [done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
                 if (!IsSuccess(response)) return done(ReplyError(kFintocReplies, response));
                 auto body = ParseJsonObject(response->body);
                 auto payout =
                     body.ok() ? ParseTransfer(*body) : absl::StatusOr<Payout>(body.status());
                 if (!payout.ok()) {
                   return done(UnreadableReply(kFintocReplies, "transfer", payout.status()));
                 }
                 done(std::move(payout));
               });
}

void FintocProvider::ListPayouts(const payments::v1::ListPayoutsRequest& filter,
                                 const PageQuery& page, const CallContext& context,
                                 Callback<payments::v1::ListPayoutsResponse> done) {
  std::string query = absl::StrCat("direction=outbound&limit=", ListLimit(page));
  std::string source_filter;
  auto source = gateway::ResourceId::Parse(filter.source_account_id(), gateway::kind::kAccount);
  if (!filter.source_account_id().empty() && !source.ok()) {
    return done(gateway::InvalidField("source_account_id", source.status().message()));
  }
  if (source.ok() && source->provider == payments::v1::PROVIDER_FINTOC) {
    if (absl::Status id =
            CheckNativeId(NativeId::kFintocAccount, source->native_id, "source_account_id");
        !id.ok()) {
      return done(id);
    }
    source_filter = filter.source_account_id();
    absl::StrAppend(&query, "&account_id=", source->native_id);
  }
  if (absl::string_view status = FintocStatusFilter(filter.status()); !status.empty()) {
    absl::StrAppend(&query, "&status=", status);
  }
  auto url = PageUrl(session_, page, "/v2/transfers", query, NativeId::kFintocTransfer);
  if (!url.ok()) return done(url.status());
  const payments::v1::PayoutStatus status_filter = filter.status();
  session_.Get(*std::move(url), context.deadline,
               [status_filter, source_filter,
                done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
                 if (!IsSuccess(response)) return done(ReplyError(kFintocReplies, response));
                 auto items = ParseList(response->body);
                 if (!items.ok()) {
                   return done(UnreadableReply(kFintocReplies, "list", items.status()));
                 }
                 payments::v1::ListPayoutsResponse out;
                 for (const auto& item : *items) {
                   auto payout = ParseTransfer(item);
                   if (!payout.ok()) {
                     return done(UnreadableReply(kFintocReplies, "transfer", payout.status()));
                   }
                   // Fintoc filters too; this holds even if it ignores a filter.
                   if (status_filter != payments::v1::PAYOUT_STATUS_UNSPECIFIED &&
                       payout->status() != status_filter) {
                     continue;
                   }
                   if (!source_filter.empty() && !payout->source_account_id().empty() &&
                       payout->source_account_id() != source_filter) {
                     continue;
                   }
                   *out.add_payouts() = *std::move(payout);
                 }
                 auto next = NextPageToken(*response, NativeId::kFintocTransfer);
                 if (!next.ok()) return done(next.status());
                 out.set_next_page_token(*std::move(next));
                 done(std::move(out));
               });
}

void FintocProvider::RefundTransaction(const RefundOrder& order, const CallContext& context,
                                       Callback<payments::v1::Refund> done) {
  const std::string& transfer_id = order.transaction_native_id;
  if (absl::Status id = CheckNativeId(NativeId::kFintocTransfer, transfer_id, "transaction_id");
      !id.ok()) {
    return done(id);
  }
  auto key =
      ProviderIdempotencyKey(kTransferReturn, context.caller, order.request.idempotency_key());
  if (!key.ok()) return done(absl::InternalError(key.status().message()));
  const absl::Time deadline = context.deadline;
  // Fintoc returns only whole inbound transfers: check that first, and post nothing otherwise.
  session_.Get(session_.Url(absl::StrCat("/v2/transfers/", transfer_id)), deadline,
               [this, order, key = *key, deadline,
                done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
                 if (!IsSuccess(response)) {
                   if (response.ok() && response->status == 404) {
                     return done(NotKnownTo("transaction_id", "Fintoc transfer"));
                   }
                   // Nothing was returned yet.
                   return done(LookupFailure(ReplyError(kFintocReplies, response)));
                 }
                 auto original = ParseJsonObject(response->body);
                 if (!original.ok()) {
                   return done(UnreadableReply(kFintocReplies, "transfer", original.status()));
                 }
                 if (absl::Status returnable = CheckReturnable(*original, order.request.amount());
                     !returnable.ok()) {
                   return done(returnable);
                 }
                 // The return body has only the transfer id: Fintoc takes no reason text.
                 session_.Post(
                     "/v2/transfers/return", ReturnBody(order.transaction_native_id), key, deadline,
                     [order, done = std::move(done)](
                         absl::StatusOr<net::http::HttpResponse> response) mutable {
                       done(MoneyMoveOutcome<payments::v1::Refund>(
                           kReturnReplies, response, "return reply",
                           [&order](const boost::json::object& body) {
                             return ParseReturn(body, order.request.transaction_id());
                           },
                           [&order](absl::string_view) {
                             payments::v1::Refund unknown =
                                 UnknownRefund(payments::v1::PROVIDER_FINTOC, order);
                             unknown.set_id(gateway::ResourceId{payments::v1::PROVIDER_FINTOC,
                                                                std::string(gateway::kind::kRefund),
                                                                order.transaction_native_id}
                                                .ToString());
                             return unknown;
                           }));
                     });
               });
}

void FintocProvider::ListAccounts(const PageQuery& page, const CallContext& context,
                                  Callback<payments::v1::ListAccountsResponse> done) {
  auto url = PageUrl(session_, page, "/v2/accounts", absl::StrCat("limit=", ListLimit(page)),
                     NativeId::kFintocAccount);
  if (!url.ok()) return done(url.status());
  session_.Get(*std::move(url), context.deadline,
               [done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
                 using Response = payments::v1::ListAccountsResponse;
                 if (!IsSuccess(response)) return done(ReplyError(kFintocReplies, response));
                 auto items = ParseList(response->body);
                 if (!items.ok()) {
                   return done(UnreadableReply(kFintocReplies, "list", items.status()));
                 }
                 Response out;
                 for (const auto& item : *items) {
                   auto account = ParseAccount(item);
                   if (!account.ok()) {
                     return done(UnreadableReply(kFintocReplies, "account", account.status()));
                   }
                   *out.add_accounts() = *std::move(account);
                 }
                 auto next = NextPageToken(*response, NativeId::kFintocAccount);
                 if (!next.ok()) return done(next.status());
                 out.set_next_page_token(*std::move(next));
                 done(std::move(out));
               });
}

void FintocProvider::GetAccount(const std::string& native_account_id, const CallContext& context,
                                Callback<payments::v1::Account> done) {
  if (absl::Status id = CheckNativeId(NativeId::kFintocAnyAccount, native_account_id, "account_id");
      !id.ok()) {
    return done(id);
  }
  // Both kinds are gateway accounts; Fintoc serves them from two collections.
  const bool account_number = absl::StartsWith(native_account_id, "acno_");
  session_.Get(session_.Url(absl::StrCat(account_number ? "/v2/account_numbers/" : "/v2/accounts/",
                                         native_account_id)),
               context.deadline,
               [account_number,
                done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
                 using Account = payments::v1::Account;
                 if (!IsSuccess(response)) return done(ReplyError(kFintocReplies, response));
                 auto body = ParseJsonObject(response->body);
                 auto account = !body.ok()       ? absl::StatusOr<Account>(body.status())
                                : account_number ? ParseAccountNumber(*body)
                                                 : ParseAccount(*body);
                 if (!account.ok()) {
                   return done(UnreadableReply(kFintocReplies, "account", account.status()));
                 }
                 done(std::move(account));
               });
}

void FintocProvider::CreateAccount(const payments::v1::CreateAccountRequest& request,
                                   const std::string& parent_native_id, const CallContext& context,
                                   Callback<payments::v1::Account> done) {
  if (parent_native_id.empty()) {
    return done(gateway::InvalidField(
        "parent_account_id", "is required: a Fintoc account number belongs to an account"));
  }
  if (!IsNativeId(NativeId::kFintocAccount, parent_native_id)) {
    return done(gateway::InvalidField("parent_account_id",
                                      "must be a Fintoc account (fintoc.acct.acc_...)"));
  }
  if (request.description().size() > kMaxAccountNumberDescription) {
    return done(gateway::InvalidField("description",
                                      "must be at most 40 characters for a Fintoc account number"));
  }
  std::string key;
  if (!request.idempotency_key().empty()) {
    auto derived =
        ProviderIdempotencyKey(kAccountNumber, context.caller, request.idempotency_key());
    if (!derived.ok()) return done(absl::InternalError(derived.status().message()));
    key = *std::move(derived);
  }
  const bool retryable = !key.empty();
  session_.Post(
      "/v2/account_numbers",
      AccountNumberBody(parent_native_id, request.description(), request.metadata()),
      std::move(key), context.deadline,
      [retryable,
       done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
        using Account = payments::v1::Account;
        if (!response.ok() && net::http::RequestMayHaveBeenSent(response.status())) {
          return done(absl::UnavailableError(
              absl::StrCat("the Fintoc account number may or may not have been created (",
                           response.status().message(), ")",
                           retryable ? "; retry with the same idempotency_key to find out" : "")));
        }
        // Fintoc answers 200, not 201, on success.
        if (!IsSuccess(response)) return done(ReplyError(kFintocReplies, response));
        auto body = ParseJsonObject(response->body);
        auto account =
            body.ok() ? ParseAccountNumber(*body) : absl::StatusOr<Account>(body.status());
        if (!account.ok()) {
          return done(UnreadableReply(kFintocReplies, "account number", account.status()));
        }
        done(std::move(account));
      });
}

void FintocProvider::ListBanks(const PageQuery& page, const CallContext& context,
                               Callback<payments::v1::ListBanksResponse> done) {
  done(absl::UnimplementedError(
      "Fintoc publishes no bank catalogue; list banks without a provider to get the gateway's "
      "built-in SPEI catalogue (Fintoc pays to any SPEI participant)"));
}

void FintocProvider::RegisterCounterparty(const payments::v1::RegisterCounterpartyRequest& request,
                                          const CallContext& context,
                                          Callback<payments::v1::RegisteredCounterparty> done) {
  // Fintoc takes the destination inline in every transfer and has nothing to register, so this
  // makes no call. The id is derived from the destination: registering it again gives the same
  // registration, as the API promises.
  const auto& counterparty = request.counterparty();
  const std::string destination = counterparty.has_debit_card()
                                      ? absl::StrCat("card:", counterparty.debit_card())
                                      : absl::StrCat("clabe:", counterparty.clabe());
  auto id =
      UuidV5(options_.idempotency_namespace,
             ProviderKeyName("", "counterparty",
                             absl::StrCat(destination, "|", counterparty.institution_code())));
  if (!id.ok()) return done(absl::InternalError(id.status().message()));
  done(Registered(payments::v1::PROVIDER_FINTOC, *id, counterparty, request.alias()));
}

void FintocProvider::ListCounterparties(const PageQuery& page, const CallContext& context,
                                        Callback<payments::v1::ListCounterpartiesResponse> done) {
  // Nothing is ever registered with Fintoc (see RegisterCounterparty).
  done(payments::v1::ListCounterpartiesResponse());
}

absl::Status FintocProvider::RotateSecretKey(std::string secret_key) {
  FintocOptions candidate = options_;
  candidate.secret_key = std::move(secret_key);
  RETURN_IF_ERROR(ValidateOptions(candidate, /*need_key_path=*/false));
  session_.SetSecretKey(std::move(candidate.secret_key));
  return absl::OkStatus();
}

}  // namespace providers::fintoc
