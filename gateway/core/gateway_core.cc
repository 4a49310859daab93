#include "gateway/core/gateway_core.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gateway/core/page_token.h"
#include "gateway/core/policy_metrics.h"
#include "gateway/core/provider_pages.h"
#include "gateway/policy/policy_checks.h"
#include "gateway/validation/clabe.h"
#include "gateway/validation/request_validation.h"
#include "vocabulary/error_details.h"
#include "vocabulary/resource_id.h"
#include "vocabulary/status_macros.h"

namespace gateway {
namespace {

using providers::PageQuery;
using providers::Provider;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = kMaxProviderPageSize;
constexpr int kDefaultBankPageSize = 100;
constexpr int kMaxBankPageSize = 500;

// A received transaction the gateway has no account for (never recorded, or recorded before
// received money named its account): a scoped caller may not refund it.
absl::Status UnknownReceivingAccount(const CallerPolicy& policy,
                                     const std::string& transaction_id) {
  return WithReason(absl::PermissionDeniedError(absl::StrCat(
                        "transaction_id: the gateway has no record of the account that received ",
                        transaction_id, ", so caller \"", policy.caller, "\" may not refund it")),
                    kAccountNotAllowed,
                    {{"caller", policy.caller}, {"transaction_id", transaction_id}});
}

// A refusal by the caller's policy, counted by reason; OK passes through.
absl::Status Policed(absl::Status status) {
  if (!status.ok()) CountPolicyRefusal(status);
  return status;
}

}  // namespace

GatewayCore::GatewayCore(const providers::ProviderRegistry* providers, const BankCatalog* banks,
                         PayoutEventHub* events, PayoutEngine* engine, const PolicyBook* policies)
    : providers_(providers), banks_(*banks), events_(events), engine_(engine), policies_(policies) {
  if (policies_ != nullptr) {
    // Lists show what the caller's policy allows: its accounts and the money they received
    // (received money saved before it named its account is shown to no scoped caller).
    SetAccountVisibility([policies](const std::string& caller, absl::string_view account_id) {
      const auto policy = policies->For(caller);
      return policy == nullptr || (!account_id.empty() && policy->AllowsAccount(account_id));
    });
  }
}

absl::StatusOr<std::vector<Provider*>> GatewayCore::ListScope(payments::v1::Provider filter) const {
  if (!payments::v1::Provider_IsValid(filter)) {
    return InvalidField("provider", "is not a Provider value");
  }
  if (filter == payments::v1::PROVIDER_UNSPECIFIED) return providers_->All();
  ASSIGN_OR_RETURN(auto provider, providers_->Find(filter));
  return std::vector<Provider*>{provider};
}

std::shared_ptr<const CallerPolicy> GatewayCore::PolicyOf(const CallContext& context) const {
  return policies_ == nullptr ? nullptr : policies_->For(context.caller);
}

Provider* GatewayCore::ProviderOfAccount(const std::string& account_id) const {
  auto id = ResourceId::Parse(account_id, kind::kAccount);
  if (!id.ok()) return nullptr;
  auto provider = providers_->Find(id->provider);
  return provider.ok() ? *provider : nullptr;
}

void GatewayCore::CreatePayout(const payments::v1::CreatePayoutRequest& request,
                               const CallContext& context, Callback<payments::v1::Payout> done) {
  Provider* provider = ProviderOfAccount(request.source_account_id());
  auto order =
      ValidateCreatePayout(request, banks_, provider ? &provider->capabilities() : nullptr);
  if (!order.ok()) return done(order.status());
  // The policy after validation: a caller learns what is wrong with its request without
  // learning what its policy allows.
  const auto policy = PolicyOf(context);
  if (absl::Status allowed = Policed(CheckPayout(policy.get(), *order)); !allowed.ok()) {
    return done(allowed);
  }
  if (provider == nullptr) return done(providers_->Find(order->request.provider()).status());
  // Only a policy's spend needs the payout id here (deriving it is a SHA-1).
  auto spend = policy == nullptr ? absl::nullopt
                                 : SpendOf(policy.get(), *order,
                                           PayoutEngine::PayoutIdFor(provider->id(), context.caller,
                                                                     request.idempotency_key()));
  engine_->CreatePayout(request, *std::move(order), provider, std::move(spend), context,
                        std::move(done));
}

void GatewayCore::GetPayout(const payments::v1::GetPayoutRequest& request,
                            const CallContext& context, Callback<payments::v1::Payout> done) {
  auto id = ValidateId("payout_id", request.payout_id(), kind::kPayout);
  if (!id.ok()) return done(id.status());
  engine_->GetPayout(request.payout_id(), context, std::move(done));
}

void GatewayCore::ListPayouts(const payments::v1::ListPayoutsRequest& request,
                              const CallContext& context,
                              Callback<payments::v1::ListPayoutsResponse> done) {
  if (absl::Status valid = ValidateListPayouts(request); !valid.ok()) return done(valid);
  auto page_size = ValidatePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize);
  if (!page_size.ok()) return done(page_size.status());
  if (!request.page_token().empty()) {
    auto after = ResourceId::Parse(request.page_token(), kind::kPayout);
    if (!after.ok()) {
      return done(InvalidField("page_token", "is not a token from a previous page of this list"));
    }
  }
  // The gateway's own records: every payout it made for this caller, across providers.
  engine_->ListPayouts(request, *page_size, context, std::move(done));
}

void GatewayCore::RefundTransaction(const payments::v1::RefundTransactionRequest& request,
                                    const CallContext& context,
                                    Callback<payments::v1::Refund> done) {
  auto order = ValidateRefund(request);
  if (!order.ok()) return done(order.status());
  auto id = ResourceId::Parse(request.transaction_id(), kind::kTransaction);
  auto provider = providers_->Find(id->provider);
  const auto policy = PolicyOf(context);
  if (policy == nullptr) {
    if (!provider.ok()) return done(provider.status());
    return engine_->RefundTransaction(request, *order, *provider, context, std::move(done));
  }
  if (absl::Status allowed = Policed(CheckOperation(policy.get(), PolicyOperation::kRefunds));
      !allowed.ok()) {
    return done(allowed);
  }
  // A scoped caller refunds only money that came into one of its accounts: the gateway's own
  // record of the transaction says which (GetReceived).
  engine_->store()->Run<absl::optional<payments::v1::ReceivedTransaction>>(
      [transaction_id = request.transaction_id()](idempotency::ReceivedMoneyStore& s) {
        return s.GetReceived(transaction_id);
      },
      [this, request, order = *std::move(order), provider, policy, context, done = std::move(done)](
          absl::StatusOr<absl::optional<payments::v1::ReceivedTransaction>> found) mutable {
        if (!found.ok()) {
          return done(absl::UnavailableError(absl::StrCat(
              "the store is unavailable (nothing was sent): ", found.status().message())));
        }
        absl::Status allowed =
            found->has_value() && !(*found)->account_id().empty()
                ? CheckAccount(policy.get(), "transaction_id", (*found)->account_id())
                : UnknownReceivingAccount(*policy, request.transaction_id());
        if (!Policed(allowed).ok()) return done(allowed);
        if (!provider.ok()) return done(provider.status());
        engine_->RefundTransaction(request, order, *provider, context, std::move(done));
      });
}

void GatewayCore::ListAccounts(const payments::v1::ListAccountsRequest& request,
                               const CallContext& context,
                               Callback<payments::v1::ListAccountsResponse> done) {
  auto page_size = ValidatePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize);
  if (!page_size.ok()) return done(page_size.status());
  auto scope = ListScope(request.provider());
  if (!scope.ok()) return done(scope.status());
  using Pages = ProviderPages<payments::v1::ListAccountsResponse, payments::v1::Account>;
  Pages::Keep keep;
  if (visible_) {
    keep = [visible = visible_, caller = context.caller](const payments::v1::Account& account) {
      return visible(caller, account.id());
    };
  }
  Pages::List(
      *std::move(scope), request.page_token(), *page_size,
      [context](Provider* p, const PageQuery& page,
                Callback<payments::v1::ListAccountsResponse> reply) {
        p->ListAccounts(page, context, std::move(reply));
      },
      [](payments::v1::ListAccountsResponse& r) { return r.mutable_accounts(); }, std::move(keep),
      std::move(done));
}

void GatewayCore::GetAccount(const payments::v1::GetAccountRequest& request,
                             const CallContext& context, Callback<payments::v1::Account> done) {
  auto id = ValidateId("account_id", request.account_id(), kind::kAccount);
  if (!id.ok()) return done(id.status());
  if (absl::Status allowed =
          Policed(CheckAccount(PolicyOf(context).get(), "account_id", request.account_id()));
      !allowed.ok()) {
    return done(allowed);
  }
  auto provider = providers_->Find(id->provider);
  if (!provider.ok()) return done(provider.status());
  (*provider)->GetAccount(id->native_id, context, std::move(done));
}

void GatewayCore::CreateAccount(const payments::v1::CreateAccountRequest& request,
                                const CallContext& context, Callback<payments::v1::Account> done) {
  auto parent = ValidateCreateAccount(request);
  if (!parent.ok()) return done(parent.status());
  const auto policy = PolicyOf(context);
  absl::Status allowed = CheckOperation(policy.get(), PolicyOperation::kAccounts);
  if (allowed.ok() && !request.parent_account_id().empty()) {
    allowed = CheckAccount(policy.get(), "parent_account_id", request.parent_account_id());
  }
  if (!Policed(allowed).ok()) return done(allowed);
  auto provider = providers_->Find(request.provider());
  if (!provider.ok()) return done(provider.status());
  engine_->CreateAccount(request, parent->native_id, *provider, context, std::move(done));
}

void GatewayCore::ListBanks(const payments::v1::ListBanksRequest& request,
                            const CallContext& context,
                            Callback<payments::v1::ListBanksResponse> done) {
  auto page_size = ValidatePageSize(request.page_size(), kDefaultBankPageSize, kMaxBankPageSize);
  if (!page_size.ok()) return done(page_size.status());
  if (request.provider() != payments::v1::PROVIDER_UNSPECIFIED) {
    auto scope = ListScope(request.provider());
    if (!scope.ok()) return done(scope.status());
    return ProviderPages<payments::v1::ListBanksResponse, payments::v1::Bank>::List(
        *std::move(scope), request.page_token(), *page_size,
        [context](Provider* p, const PageQuery& page,
                  Callback<payments::v1::ListBanksResponse> reply) {
          p->ListBanks(page, context, std::move(reply));
        },
        [](payments::v1::ListBanksResponse& r) { return r.mutable_banks(); }, nullptr,
        std::move(done));
  }
  // The built-in catalogue, paged by offset.
  size_t offset = 0;
  if (!request.page_token().empty()) {
    std::string raw;
    if (!absl::WebSafeBase64Unescape(request.page_token(), &raw) || raw.rfind("banks:", 0) != 0 ||
        !absl::SimpleAtoi(raw.substr(6), &offset)) {
      return done(InvalidField("page_token", "is not a token from a previous page of this list"));
    }
  }
  const std::vector<BankInfo> all = banks_.All();
  payments::v1::ListBanksResponse response;
  const size_t end = std::min(all.size(), offset + static_cast<size_t>(*page_size));
  for (size_t i = offset; i < end; ++i) {
    auto* bank = response.add_banks();
    bank->set_banxico_code(all[i].banxico_code);
    bank->set_clabe_prefix(all[i].clabe_prefix);
    bank->set_name(all[i].name);
  }
  if (end < all.size()) {
    response.set_next_page_token(absl::WebSafeBase64Escape(absl::StrCat("banks:", end)));
  }
  done(std::move(response));
}

void GatewayCore::RegisterCounterparty(const payments::v1::RegisterCounterpartyRequest& request,
                                       const CallContext& context,
                                       Callback<payments::v1::RegisteredCounterparty> done) {
  auto provider = payments::v1::Provider_IsValid(request.provider())
                      ? providers_->Find(request.provider())
                      : absl::StatusOr<Provider*>(nullptr);
  Provider* found = provider.ok() ? *provider : nullptr;
  auto normalized =
      ValidateRegisterCounterparty(request, banks_, found ? &found->capabilities() : nullptr);
  if (!normalized.ok()) return done(normalized.status());
  if (absl::Status allowed =
          Policed(CheckOperation(PolicyOf(context).get(), PolicyOperation::kCounterparties));
      !allowed.ok()) {
    return done(allowed);
  }
  if (found == nullptr) return done(provider.status());
  found->RegisterCounterparty(*normalized, context, std::move(done));
}

void GatewayCore::ListCounterparties(const payments::v1::ListCounterpartiesRequest& request,
                                     const CallContext& context,
                                     Callback<payments::v1::ListCounterpartiesResponse> done) {
  auto page_size = ValidatePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize);
  if (!page_size.ok()) return done(page_size.status());
  auto scope = ListScope(request.provider());
  if (!scope.ok()) return done(scope.status());
  ProviderPages<payments::v1::ListCounterpartiesResponse, payments::v1::RegisteredCounterparty>::
      List(
          *std::move(scope), request.page_token(), *page_size,
          [context](Provider* p, const PageQuery& page,
                    Callback<payments::v1::ListCounterpartiesResponse> reply) {
            p->ListCounterparties(page, context, std::move(reply));
          },
          [](payments::v1::ListCounterpartiesResponse& r) { return r.mutable_counterparties(); },
          nullptr, std::move(done));
}

void GatewayCore::ListReceivedTransactions(
    const payments::v1::ListReceivedTransactionsRequest& request, const CallContext& context,
    Callback<payments::v1::ListReceivedTransactionsResponse> done) {
  if (!payments::v1::Provider_IsValid(request.provider())) {
    return done(InvalidField("provider", "is not a Provider value"));
  }
  auto page_size = ValidatePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize);
  if (!page_size.ok()) return done(page_size.status());
  if (!request.page_token().empty() &&
      !ResourceId::Parse(request.page_token(), kind::kTransaction).ok()) {
    return done(InvalidField("page_token", "is not a token from a previous page of this list"));
  }
  std::function<bool(const payments::v1::ReceivedTransaction&)> keep;
  if (visible_) {
    keep = [visible = visible_,
            caller = context.caller](const payments::v1::ReceivedTransaction& received) {
      return visible(caller, received.account_id());
    };
  }
  engine_->ListReceived(request, *page_size, std::move(keep), std::move(done));
}

payments::v1::ValidateClabeResponse GatewayCore::ValidateClabe(
    const payments::v1::ValidateClabeRequest& request) const {
  ClabeCheck check = CheckClabe(request.clabe(), banks_);
  payments::v1::ValidateClabeResponse response;
  response.set_valid(check.valid);
  response.set_reason(check.reason);
  response.set_bank_code(check.bank_code);
  response.set_plaza(check.plaza);
  response.set_expected_check_digit(check.expected_check_digit);
  if (check.bank != nullptr) {
    response.set_banxico_code(check.bank->banxico_code);
    response.set_bank_name(check.bank->name);
  }
  return response;
}

}  // namespace gateway
