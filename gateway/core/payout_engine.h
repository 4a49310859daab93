// Exactly one money movement per idempotency key (docs/design.md#idempotency):
//   claim the key (durably, before any provider call) -> call the provider -> store the answer.
// Same key + same request replays the stored answer (no provider call); a different request is
// FAILED_PRECONDITION; a call still running is ABORTED; a claim whose owner died is taken over
// after its lease and resumed with the SAME provider idempotency key, so the provider
// deduplicates. Payouts get gateway ids derived from (caller, key), stable from the first
// attempt, and live in the store, which backs GetPayout and ListPayouts.
#ifndef GATEWAY_CORE_PAYOUT_ENGINE_H_
#define GATEWAY_CORE_PAYOUT_ENGINE_H_

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "gateway/core/payout_events.h"
#include "gateway/validation/bank_catalog.h"
#include "idempotency/spending_limits.h"
#include "idempotency/store_executor.h"
#include "proto/payments/v1/account_service.pb.h"
#include "proto/payments/v1/payout_service.pb.h"
#include "providers/provider.h"
#include "providers/provider_registry.h"
#include "providers/webhook_event.h"

namespace gateway {

struct EngineOptions {
  std::string instance_id;  // this gateway process: the owner of its claims
  // Longer than any provider call (timeout plus retries) may take.
  absl::Duration lease = absl::Seconds(30);
  absl::Duration retention = absl::Hours(24);
  // Each unresolved payout's own backoff between re-asks: doubled per attempt, capped.
  absl::Duration resolve_backoff_initial = absl::Seconds(5);
  absl::Duration resolve_backoff_max = absl::Minutes(10);
};

class PayoutEngine {
 public:
  // `banks` re-validates stored requests so a resumed call sends the exact normalized body.
  PayoutEngine(idempotency::StoreExecutor* store, const providers::ProviderRegistry* providers,
               const BankCatalog* banks, PayoutEventHub* events, EngineOptions options);

  // `request` as the caller sent it (its fingerprint), `order` validated and normalized.
  // `spend` (from the caller's policy; nullopt when open) is checked against the caller's
  // limits and reserved in the claim's own store transaction: a reached limit is answered
  // RESOURCE_EXHAUSTED (LimitRefusal) with nothing sent and nothing stored, so the same key
  // may be used again once the window frees up.
  void CreatePayout(const payments::v1::CreatePayoutRequest& request, providers::PayoutOrder order,
                    providers::Provider* provider, absl::optional<idempotency::Spend> spend,
                    const providers::CallContext& context,
                    providers::Callback<payments::v1::Payout> done);
  // The stored payout, refreshed from the provider when it is not final yet.
  void GetPayout(const std::string& payout_id, const providers::CallContext& context,
                 providers::Callback<payments::v1::Payout> done);
  // This caller's payouts from the store, in creation order (page token: the last id).
  void ListPayouts(const payments::v1::ListPayoutsRequest& request, int page_size,
                   const providers::CallContext& context,
                   providers::Callback<payments::v1::ListPayoutsResponse> done);
  // Idempotent refunds and account creation: the first answer is stored and replayed.
  void RefundTransaction(const payments::v1::RefundTransactionRequest& request,
                         const providers::RefundOrder& order, providers::Provider* provider,
                         const providers::CallContext& context,
                         providers::Callback<payments::v1::Refund> done);
  void CreateAccount(const payments::v1::CreateAccountRequest& request,
                     const std::string& parent_native_id, providers::Provider* provider,
                     const providers::CallContext& context,
                     providers::Callback<payments::v1::Account> done);

  // A verified provider event about one of this gateway's payouts: applied (monotonically)
  // and published to WatchPayouts. When the provider signs nothing (confirm_by_reading), the
  // transfer is re-read from the provider and what it says now is applied instead.
  // NOT_FOUND when the gateway made no such payout; UNAVAILABLE when the confirming read or the
  // store failed (nothing was applied: the provider's redelivery should be).
  void ApplyProviderEvent(const providers::WebhookEvent& event,
                          providers::Callback<payments::v1::Payout> done);

  // The store, for reads outside the engine's own flows (the caller's limit usage).
  idempotency::StoreExecutor* store() const { return store_; }

  // The providers, for the webhook service's confirming reads of received money.
  const providers::ProviderRegistry* providers() const { return providers_; }

  // Money received, from the store (page token: the last id the previous page looked at).
  // Rows `keep` refuses (null: none) are skipped and the page fills from the next ones, reading
  // at most kMaxStorePagesPerList store pages; then what was found is answered with a token.
  static constexpr int kMaxStorePagesPerList = 20;
  void ListReceived(const payments::v1::ListReceivedTransactionsRequest& request, int page_size,
                    std::function<bool(const payments::v1::ReceivedTransaction&)> keep,
                    providers::Callback<payments::v1::ListReceivedTransactionsResponse> done);

  // One pass of the resolver: takes over claims whose owner died (payouts, refunds, account
  // creation) and re-asks the provider about UNKNOWN payouts that are due (each has its own
  // persisted backoff; same provider key, and only during the first half of the provider's key
  // lifetime, then only reads) and PENDING ones not updated for `stale_after`.
  // Calls `done` with how many it looked at.
  void ResolveOnce(absl::Duration stale_after, absl::AnyInvocable<void(int)> done);

  // The gateway id of the payout a caller's key creates (vocabulary/payout_id.h).
  static std::string PayoutIdFor(payments::v1::Provider provider, const std::string& caller,
                                 const std::string& key);

 private:
  struct Flow;
  void Resume(const payments::v1::CreatePayoutRequest& request, const std::string& caller,
              absl::AnyInvocable<void()> done);
  // Asks the provider what became of a payout that is not final and saves what it learns.
  // `from_resolver`: also persist the payout's next attempt when nothing was learned.
  void Refresh(idempotency::StoredPayout stored, bool from_resolver,
               providers::Callback<payments::v1::Payout> done);
  // An unknown outcome whose key is too old to re-send: the provider's records are searched by
  // reference instead; one match is saved as the payout's provider view, anything else leaves
  // it UNKNOWN with a NEEDS_RECONCILIATION reason and its next search after its own backoff.
  void SearchByReference(idempotency::StoredPayout stored, providers::Provider* provider,
                         providers::Callback<payments::v1::Payout> done);
  // Persists when the resolver next looks at an unresolved payout.
  void ScheduleNext(const std::string& caller, const std::string& payout_id, int attempt,
                    absl::Duration wait);
  // Re-runs an abandoned claim (its owner died or its outcome is unknown) with the same key.
  // False when the record cannot be resumed.
  bool ResumeAbandoned(const idempotency::IdempotencyRecord& record,
                       absl::AnyInvocable<void()> done);
  // The provider call's deadline: the caller's, but never past the claim's lease (less a
  // margin), so no other replica takes the claim over while this one may still send.
  providers::CallContext WithinLease(providers::CallContext context) const;
  void Save(const std::string& caller, payments::v1::Payout payout,
            providers::Callback<payments::v1::Payout> done);
  // Save, then store the payout as the idempotency answer of `id`, in one store trip.
  void SaveAndComplete(const std::string& caller, payments::v1::Payout payout,
                       idempotency::RecordKey id, providers::Callback<payments::v1::Payout> done);
  // The normalized order for a stored request, as the first attempt built it.
  absl::StatusOr<providers::PayoutOrder> OrderOf(const payments::v1::CreatePayoutRequest& request,
                                                 providers::Provider* provider) const;

  idempotency::StoreExecutor* store_;
  const providers::ProviderRegistry* providers_;
  const BankCatalog* banks_;
  PayoutEventHub* events_;
  const EngineOptions options_;
};

}  // namespace gateway

#endif  // GATEWAY_CORE_PAYOUT_ENGINE_H_
