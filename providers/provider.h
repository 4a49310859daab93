// The seam between the gateway core and each payment provider (Envoy-style small interface).
// An adapter translates: it builds the provider's requests and parses its replies into the
// payments.v1 types, with gateway ids ("<provider>.<kind>.<native id>"). Network I/O,
// deadlines, retries, idempotency and token caches live in shared code, not here.
//
// Every method is asynchronous: it returns at once and calls `done` exactly once, on any
// thread, possibly before returning. No method may block on the network.
#ifndef PROVIDERS_PROVIDER_H_
#define PROVIDERS_PROVIDER_H_

#include <string>

#include "absl/time/time.h"

#include "proto/payments/v1/account_service.pb.h"
#include "proto/payments/v1/payout_service.pb.h"
#include "vocabulary/provider_call.h"  // Callback, CallContext, Capabilities

namespace providers {

// A CreatePayoutRequest that passed validation (text already folded to SPEI's ASCII, RFC
// defaulted to "ND"), with its source account resolved to the provider's own id.
struct PayoutOrder {
  payments::v1::CreatePayoutRequest request;
  std::string source_account_native_id;
};

// A RefundTransactionRequest that passed validation.
struct RefundOrder {
  payments::v1::RefundTransactionRequest request;
  std::string transaction_native_id;
};

// [from, to) of creation times.
struct TimeWindow {
  absl::Time from;
  absl::Time to;
};

// A page request in the provider's own terms: its page token, not the gateway's.
struct PageQuery {
  int page_size = 50;
  std::string page_token;
};

class Provider {
 public:
  virtual ~Provider() = default;

  virtual payments::v1::Provider id() const = 0;
  virtual const Capabilities& capabilities() const = 0;

  // Payouts.
  virtual void CreatePayout(const PayoutOrder& order, const CallContext& context,
                            Callback<payments::v1::Payout> done) = 0;
  virtual void GetPayout(const std::string& native_payout_id, const CallContext& context,
                         Callback<payments::v1::Payout> done) = 0;
  // `filter` carries the caller's filters (source account, status) as gateway values.
  virtual void ListPayouts(const payments::v1::ListPayoutsRequest& filter, const PageQuery& page,
                           const CallContext& context,
                           Callback<payments::v1::ListPayoutsResponse> done) = 0;
  virtual void RefundTransaction(const RefundOrder& order, const CallContext& context,
                                 Callback<payments::v1::Refund> done) = 0;
  // The provider's transfer that `order` created, found without its id (for an unknown outcome
  // whose key is too old to re-send): the one transfer whose source account, amount, currency,
  // counterparty account number, numeric reference and description are those sent, created at
  // or after `sent_after` (less a margin for clock skew). OK with it when exactly one matches;
  // NOT_FOUND when the provider's listing, read to the end, holds none; FAILED_PRECONDITION
  // when several match (a person must decide); UNIMPLEMENTED when the provider offers no way
  // to search; other errors (UNAVAILABLE, ...) when the search could not finish. Only reads.
  virtual void FindPayoutByReference(const PayoutOrder& order, absl::Time sent_after,
                                     const CallContext& context,
                                     Callback<payments::v1::Payout> done) = 0;
  // Reconciliation: the payouts the provider itself records as sent from the gateway's
  // accounts, created within `window` (the adapter may widen the query by a clock-skew
  // margin; the core filters), one page at a time, as the provider reports them: id (gateway
  // id form "<provider>.payout.<native>"), provider_payout_id, source_account_id, amount,
  // counterparty (clabe at least), numeric_reference, description, tracking_key, status
  // (mapped), provider_status, create_time. No gateway-only fields (idempotency_key empty).
  // UNIMPLEMENTED when the provider documents no such listing (the core then reads each
  // gateway record with GetPayout, and orphans cannot be detected). Only reads.
  virtual void ListSentPayouts(const TimeWindow& window, const PageQuery& page,
                               const CallContext& context,
                               Callback<payments::v1::ListPayoutsResponse> done) = 0;

  // Accounts, banks and counterparties.
  virtual void ListAccounts(const PageQuery& page, const CallContext& context,
                            Callback<payments::v1::ListAccountsResponse> done) = 0;
  virtual void GetAccount(const std::string& native_account_id, const CallContext& context,
                          Callback<payments::v1::Account> done) = 0;
  // request.parent_account_id, when set, is already resolved to `parent_native_id`.
  virtual void CreateAccount(const payments::v1::CreateAccountRequest& request,
                             const std::string& parent_native_id, const CallContext& context,
                             Callback<payments::v1::Account> done) = 0;
  virtual void ListBanks(const PageQuery& page, const CallContext& context,
                         Callback<payments::v1::ListBanksResponse> done) = 0;
  virtual void RegisterCounterparty(const payments::v1::RegisterCounterpartyRequest& request,
                                    const CallContext& context,
                                    Callback<payments::v1::RegisteredCounterparty> done) = 0;
  virtual void ListCounterparties(const PageQuery& page, const CallContext& context,
                                  Callback<payments::v1::ListCounterpartiesResponse> done) = 0;
};

}  // namespace providers

#endif  // PROVIDERS_PROVIDER_H_
