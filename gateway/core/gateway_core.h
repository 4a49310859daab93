// The gateway core: validates every request, routes it to the provider its ids (or its
// provider field) name, and hands back the provider's answer. Adapters translate; the core
// acts. gRPC types stay at the edge (gateway/server); errors here are absl::Status with
// google.rpc details in their payloads.
#ifndef GATEWAY_CORE_GATEWAY_CORE_H_
#define GATEWAY_CORE_GATEWAY_CORE_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "gateway/core/payout_engine.h"
#include "gateway/core/payout_events.h"
#include "gateway/policy/policy_book.h"
#include "gateway/validation/bank_catalog.h"
#include "proto/payments/v1/account_service.pb.h"
#include "proto/payments/v1/limits_service.pb.h"
#include "proto/payments/v1/payout_service.pb.h"
#include "providers/provider.h"
#include "providers/provider_registry.h"

namespace gateway {

using providers::Callback;
using providers::CallContext;

class GatewayCore {
 public:
  // Whether `caller` may see the account with gateway id `account_id` ("" for received money
  // saved before it named its account). Called on any thread, concurrently.
  using AccountVisibility =
      std::function<bool(const std::string& caller, absl::string_view account_id)>;

  // `providers`, `events` and `engine` must outlive the core; `engine` was built on `banks`.
  // `policies` (may be null: open, as with no policies file) must outlive the core too.
  GatewayCore(const providers::ProviderRegistry* providers, const BankCatalog* banks,
              PayoutEventHub* events, PayoutEngine* engine, const PolicyBook* policies = nullptr);

  // Each method calls `done` exactly once, possibly on another thread.
  void CreatePayout(const payments::v1::CreatePayoutRequest& request, const CallContext& context,
                    Callback<payments::v1::Payout> done);
  void GetPayout(const payments::v1::GetPayoutRequest& request, const CallContext& context,
                 Callback<payments::v1::Payout> done);
  void ListPayouts(const payments::v1::ListPayoutsRequest& request, const CallContext& context,
                   Callback<payments::v1::ListPayoutsResponse> done);
  void RefundTransaction(const payments::v1::RefundTransactionRequest& request,
                         const CallContext& context, Callback<payments::v1::Refund> done);

  void ListAccounts(const payments::v1::ListAccountsRequest& request, const CallContext& context,
                    Callback<payments::v1::ListAccountsResponse> done);
  void GetAccount(const payments::v1::GetAccountRequest& request, const CallContext& context,
                  Callback<payments::v1::Account> done);
  void CreateAccount(const payments::v1::CreateAccountRequest& request, const CallContext& context,
                     Callback<payments::v1::Account> done);
  void ListBanks(const payments::v1::ListBanksRequest& request, const CallContext& context,
                 Callback<payments::v1::ListBanksResponse> done);
  void RegisterCounterparty(const payments::v1::RegisterCounterpartyRequest& request,
                            const CallContext& context,
                            Callback<payments::v1::RegisteredCounterparty> done);
  void ListCounterparties(const payments::v1::ListCounterpartiesRequest& request,
                          const CallContext& context,
                          Callback<payments::v1::ListCounterpartiesResponse> done);

  void ListReceivedTransactions(const payments::v1::ListReceivedTransactionsRequest& request,
                                const CallContext& context,
                                Callback<payments::v1::ListReceivedTransactionsResponse> done);

  // The caller's own policy and the usage of each of its limits (gateway/core/caller_limits.cc).
  void GetCallerLimits(const payments::v1::GetCallerLimitsRequest& request,
                       const CallContext& context, Callback<payments::v1::CallerLimits> done);

  // No provider involved: answers at once.
  payments::v1::ValidateClabeResponse ValidateClabe(
      const payments::v1::ValidateClabeRequest& request) const;

  // Scopes ListAccounts and ListReceivedTransactions: what `visible` refuses is skipped and the
  // page fills from the next items. Default (or null): everything is visible. Set it before
  // serving; it is not synchronized with calls in flight.
  void SetAccountVisibility(AccountVisibility visible) { visible_ = std::move(visible); }

  PayoutEventHub& events() { return *events_; }
  // The caller policies in force (null: open).
  const PolicyBook* policies() const { return policies_; }

 private:
  // The providers a list covers: the one named, or all configured ones.
  absl::StatusOr<std::vector<providers::Provider*>> ListScope(payments::v1::Provider filter) const;
  // The caller's policy: null when the gateway is open (no policies file).
  std::shared_ptr<const CallerPolicy> PolicyOf(const CallContext& context) const;
  // The capabilities of the provider an account id names, or null when there is none.
  providers::Provider* ProviderOfAccount(const std::string& account_id) const;

  const providers::ProviderRegistry* providers_;
  const BankCatalog& banks_;
  PayoutEventHub* events_;
  PayoutEngine* engine_;
  const PolicyBook* policies_;
  AccountVisibility visible_;
};

}  // namespace gateway

#endif  // GATEWAY_CORE_GATEWAY_CORE_H_
