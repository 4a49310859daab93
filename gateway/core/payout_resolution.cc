// PayoutLedger, part two: the resolver. Unknown outcomes and long-pending payouts are re-asked
// with their own persisted backoff; abandoned claims (payouts, refunds, account creation) are
// taken over and re-run with the same provider key. See docs/api.md ("How the resolver settles
// unknown outcomes") and docs/provider-idempotency.md.
#include <atomic>
#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/core/ledger_steps.h"
#include "gateway/core/payout_ledger.h"
#include "vocabulary/resource_id.h"
#include "gateway/logging/json_log.h"
#include "gateway/validation/request_validation.h"
#include "metrics/gateway_metrics.h"

namespace gateway {
namespace {

using idempotency::IdempotencyRecord;
using idempotency::IdempotencyStore;
using idempotency::StoredPayout;
using payments::v1::Payout;
using providers::Callback;
using namespace ledger_steps;  // NOLINT(build/namespaces): the ledger is made of these steps

constexpr char kNeedsReconciliation[] = "NEEDS_RECONCILIATION";

void CountResolve(payments::v1::Provider provider, const char* result) {
  metrics::Metrics().resolver_attempts->Increment(
      {std::string(ProviderName(provider)), std::string(result)});
}

// When the provider key of `stored` was first sent, as far as the records tell.
absl::Time FirstSent(const StoredPayout& stored) {
  if (stored.payout.has_create_time()) return TimeOf(stored.payout.create_time());
  return stored.first_saved;  // InfinitePast when unknown: too old to re-send
}

// Past half the provider's key lifetime an abandoned claim is not re-run (a re-send could move
// money a second time): it is taken over and answered, for good, with an error that says it
// needs reconciliation.
void GiveUp(idempotency::StoreExecutor* store, const IdempotencyRecord& record,
            payments::v1::Provider provider, const LedgerOptions& options,
            absl::AnyInvocable<void()> done) {
  CountResolve(provider, "needs_reconciliation");
  Log(LogLevel::kError, "claim_needs_reconciliation",
      {{"operation", record.id.operation},
       {"provider", std::string(ProviderName(provider))},
       {"why", "outcome unknown past half the provider's idempotency-key lifetime; not re-sent"}});
  idempotency::ClaimRequest claim;
  claim.id = record.id;
  claim.fingerprint = record.fingerprint;
  claim.request = record.request;
  claim.owner = options.instance_id;
  claim.lease = options.lease;
  claim.retention = options.retention;
  const absl::Status answer = absl::UnknownError(absl::StrCat(
      kNeedsReconciliation, ": the provider may have acted on this ", record.id.operation,
      " and its idempotency key is too old to re-send safely; check the provider's records"));
  store->Run<bool>(
      [claim, answer](IdempotencyStore& s) -> absl::StatusOr<bool> {
        auto taken = s.Claim(claim, absl::Now());
        if (!taken.ok()) return taken.status();
        if (taken->outcome != idempotency::ClaimOutcome::kTakenOver) return false;
        if (absl::Status completed = s.Complete(claim.id, claim.owner, ErrorAnswer(answer));
            !completed.ok()) {
          return completed;
        }
        return true;
      },
      [done = std::move(done)](absl::StatusOr<bool>) mutable { done(); });
}

bool TooOld(const IdempotencyRecord& record, const providers::Provider& provider) {
  return absl::Now() - record.created >= provider.capabilities().idempotency_key_lifetime / 2;
}

}  // namespace

void PayoutLedger::Refresh(StoredPayout stored, bool from_resolver, Callback<Payout> done) {
  auto provider = providers_->Find(stored.payout.provider());
  if (!provider.ok()) return done(std::move(stored.payout));
  providers::CallContext context;
  context.caller = stored.caller;
  context.deadline = absl::Now() + absl::Seconds(10);
  const std::string caller = stored.caller;
  const int attempt = stored.resolve_attempts + 1;
  // Nothing learned: the next attempt of this payout waits its own backoff, persisted, so the
  // resolver's next pass asks about other payouts first.
  auto reschedule = [this, from_resolver, caller, attempt](const Payout& payout,
                                                           absl::Duration wait) {
    if (!from_resolver) return;
    store_->Run<bool>(
        [caller, id = payout.id(), attempt,
         next = absl::Now() + wait](IdempotencyStore& s) -> absl::StatusOr<bool> {
          if (absl::Status saved = s.ScheduleResolve(caller, id, attempt, next); !saved.ok()) {
            return saved;
          }
          return true;
        },
        [](absl::StatusOr<bool>) {});
  };
  const absl::Duration backoff =
      ResolveBackoff(attempt, options_.resolve_backoff_initial, options_.resolve_backoff_max);
  const bool resend = stored.payout.provider_payout_id().empty();
  // An unknown outcome: ask again with the same key, so the provider replays or creates once;
  // but only while the provider surely still remembers the key. After that a re-send could be
  // a second money movement: leave it UNKNOWN for a person to reconcile.
  // Decided before `merge` takes `done`.
  const absl::Duration key_lifetime = (*provider)->capabilities().idempotency_key_lifetime;
  if (resend && absl::Now() - FirstSent(stored) >= key_lifetime / 2) {
    Payout payout = std::move(stored.payout);
    reschedule(payout, options_.resolve_backoff_max);
    if (absl::StartsWith(payout.status_reason(), kNeedsReconciliation)) return done(payout);
    CountResolve(payout.provider(), "needs_reconciliation");
    Log(LogLevel::kError, "payout_needs_reconciliation",
        {{"payout_id", payout.id()},
         {"provider", std::string(ProviderName(payout.provider()))},
         {"why",
          "unknown outcome past half the provider's idempotency-key lifetime; "
          "no longer re-sent"}});
    payout.set_status_reason(absl::StrCat(
        kNeedsReconciliation,
        ": the outcome is unknown and the provider's idempotency key is too old to re-send "
        "safely; check the provider's records by reference before doing anything else"));
    return Save(caller, std::move(payout), std::move(done));
  }
  auto merge = [this, caller, stored = stored.payout, resend, reschedule, backoff,
                done = std::move(done)](absl::StatusOr<Payout> fresh) mutable {
    if (!fresh.ok() && resend && DefiniteRefusal(fresh.status())) {
      // The provider replays a refusal for this key: the first attempt moved no money.
      CountResolve(stored.provider(), "refused");
      Payout failed = stored;
      failed.set_status(payments::v1::PAYOUT_STATUS_FAILED);
      failed.set_status_reason(std::string(fresh.status().message()).substr(0, 300));
      return Save(caller, std::move(failed), std::move(done));
    }
    if (!fresh.ok() || fresh->status() == payments::v1::PAYOUT_STATUS_UNKNOWN) {
      CountResolve(stored.provider(), fresh.ok() ? "still_unknown" : "error");
      reschedule(stored, backoff);
      return done(std::move(stored));  // nothing new learned
    }
    CountResolve(stored.provider(), "resolved");
    Payout merged = MergeRead(stored, *fresh);
    // A re-sent key's reply also dates the transfer.
    if (fresh->has_create_time()) *merged.mutable_create_time() = fresh->create_time();
    Save(caller, std::move(merged), std::move(done));
  };
  if (!resend) {
    return (*provider)->GetPayout(stored.payout.provider_payout_id(), context, std::move(merge));
  }
  auto order = OrderOf(RequestOf(stored.payout), *provider);
  if (!order.ok()) {  // not the provider's answer: never a refusal
    return merge(absl::UnavailableError(std::string(order.status().message())));
  }
  (*provider)->CreatePayout(*order, context, std::move(merge));
}

bool PayoutLedger::ResumeAbandoned(const IdempotencyRecord& record,
                                   absl::AnyInvocable<void()> done) {
  providers::CallContext context;
  context.caller = record.id.caller;
  context.deadline = absl::Now() + absl::Seconds(10);
  if (record.id.operation == "CreatePayout") {
    payments::v1::CreatePayoutRequest request;
    if (!request.ParseFromString(record.request)) return false;
    auto source = ResourceId::Parse(request.source_account_id(), kind::kAccount);
    if (!source.ok()) return false;
    auto provider = providers_->Find(source->provider);
    if (!provider.ok()) return false;
    if (TooOld(record, **provider)) {
      GiveUp(store_, record, source->provider, options_, std::move(done));
      return true;
    }
    auto order = OrderOf(request, *provider);
    if (!order.ok()) return false;
    CreatePayout(request, *order, *provider, context,
                 [done = std::move(done)](absl::StatusOr<Payout>) mutable { done(); });
    return true;
  }
  if (record.id.operation == "RefundTransaction") {
    payments::v1::RefundTransactionRequest request;
    if (!request.ParseFromString(record.request)) return false;
    auto order = ValidateRefund(request);
    if (!order.ok()) return false;
    auto id = ResourceId::Parse(request.transaction_id(), kind::kTransaction);
    if (!id.ok()) return false;
    auto provider = providers_->Find(id->provider);
    if (!provider.ok()) return false;
    if (TooOld(record, **provider)) {
      GiveUp(store_, record, id->provider, options_, std::move(done));
      return true;
    }
    RefundTransaction(
        request, *order, *provider, context,
        [done = std::move(done)](absl::StatusOr<payments::v1::Refund>) mutable { done(); });
    return true;
  }
  if (record.id.operation == "CreateAccount") {
    payments::v1::CreateAccountRequest request;
    if (!request.ParseFromString(record.request)) return false;
    auto parent = ValidateCreateAccount(request);
    if (!parent.ok()) return false;
    auto provider = providers_->Find(request.provider());
    if (!provider.ok()) return false;
    if (TooOld(record, **provider)) {
      GiveUp(store_, record, request.provider(), options_, std::move(done));
      return true;
    }
    CreateAccount(
        request, parent->native_id, *provider, context,
        [done = std::move(done)](absl::StatusOr<payments::v1::Account>) mutable { done(); });
    return true;
  }
  return false;
}

void PayoutLedger::ResolveOnce(absl::Duration stale_after, absl::AnyInvocable<void(int)> done) {
  struct Pass {
    std::atomic<int> pending{1};
    std::atomic<int> looked_at{0};
    absl::AnyInvocable<void(int)> done;
    void Finish() {
      if (--pending == 0) done(looked_at.load());
    }
  };
  auto pass = std::make_shared<Pass>();
  pass->done = std::move(done);
  const absl::Time now = absl::Now();
  using Work = std::pair<std::vector<IdempotencyRecord>, std::vector<StoredPayout>>;
  store_->Run<Work>(
      [now, stale_after](IdempotencyStore& s) -> absl::StatusOr<Work> {
        auto abandoned = s.Abandoned(now, 100);
        if (!abandoned.ok()) return abandoned.status();
        // UNKNOWN payouts when their own next attempt is due; PENDING ones also only when no
        // news came for `stale_after` (a webhook normally settles them).
        auto unsettled = s.UnsettledPayouts(now, now - stale_after, 100);
        if (!unsettled.ok()) return unsettled.status();
        return std::make_pair(*std::move(abandoned), *std::move(unsettled));
      },
      [this, pass](absl::StatusOr<Work> work) {
        if (work.ok()) {
          // Claims whose owner died or whose outcome is unknown: take them over and re-run
          // them with the same provider key.
          for (const IdempotencyRecord& record : work->first) {
            ++pass->pending;
            if (ResumeAbandoned(record, [pass] { pass->Finish(); })) {
              ++pass->looked_at;
            } else {
              --pass->pending;
            }
          }
          for (StoredPayout& stored : work->second) {
            ++pass->pending;
            ++pass->looked_at;
            Refresh(std::move(stored), /*from_resolver=*/true,
                    [pass](absl::StatusOr<Payout>) { pass->Finish(); });
          }
        }
        pass->Finish();
      });
}

}  // namespace gateway
