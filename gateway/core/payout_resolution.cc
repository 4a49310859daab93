// PayoutEngine, part two: the resolver. Unknown outcomes and long-pending payouts are re-asked
// with their own persisted backoff; abandoned claims (payouts, refunds, account creation) are
// taken over and re-run with the same provider key. See docs/api.md ("How the resolver settles
// unknown outcomes") and docs/provider-idempotency.md.
#include <atomic>
#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/core/engine_steps.h"
#include "gateway/core/payout_engine.h"
#include "gateway/logging/json_log.h"
#include "gateway/validation/request_validation.h"
#include "metrics/gateway_metrics.h"
#include "vocabulary/resource_id.h"
#include "vocabulary/status_macros.h"

namespace gateway {
namespace {

using idempotency::ClaimStore;
using idempotency::GatewayStore;
using idempotency::IdempotencyRecord;
using idempotency::PayoutStore;
using idempotency::StoredPayout;
using payments::v1::Payout;
using providers::Callback;
using namespace engine_steps;  // NOLINT(build/namespaces): the engine is made of these steps

constexpr char kNeedsReconciliation[] = "NEEDS_RECONCILIATION";

// A claim on an abandoned record's key, by this instance, for the same request.
idempotency::ClaimRequest TakeOver(const IdempotencyRecord& record, const EngineOptions& options) {
  idempotency::ClaimRequest claim;
  claim.id = record.id;
  claim.fingerprint = record.fingerprint;
  claim.request = record.request;
  claim.owner = options.instance_id;
  claim.lease = options.lease;
  claim.retention = options.retention;
  return claim;
}

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
            payments::v1::Provider provider, const EngineOptions& options,
            absl::AnyInvocable<void()> done, const std::string& searched = "") {
  CountResolve(provider, "needs_reconciliation");
  boost::json::object fields = {
      {"operation", record.id.operation},
      {"provider", std::string(ProviderName(provider))},
      {"why", "outcome unknown past half the provider's idempotency-key lifetime; not re-sent"}};
  if (!searched.empty()) fields["search"] = searched;
  Log(LogLevel::kError, "claim_needs_reconciliation", std::move(fields));
  const idempotency::ClaimRequest claim = TakeOver(record, options);
  const absl::Status answer = absl::UnknownError(
      absl::StrCat(kNeedsReconciliation, ": the provider may have acted on this ",
                   record.id.operation, " and its idempotency key is too old to re-send safely; ",
                   searched.empty() ? "check the provider's records" : searched));
  store->Run<bool>(
      [claim, answer](ClaimStore& s) -> absl::StatusOr<bool> {
        ASSIGN_OR_RETURN(auto taken, s.Claim(claim, absl::Now()));
        if (taken.outcome != idempotency::ClaimOutcome::kTakenOver) return false;
        RETURN_IF_ERROR(s.Complete(claim.id, claim.owner, ErrorAnswer(answer)));
        return true;
      },
      [done = std::move(done)](absl::StatusOr<bool>) mutable { done(); });
}

// Whether a provider key first sent at `first_sent` may no longer be re-sent: past half the
// provider's key lifetime, or always when the lifetime is unknown (zero).
bool KeyTooOld(absl::Time first_sent, const providers::Provider& provider) {
  const absl::Duration lifetime = provider.capabilities().idempotency_key_lifetime;
  return lifetime <= absl::ZeroDuration() || absl::Now() - first_sent >= lifetime / 2;
}

// An abandoned CreatePayout claim whose transfer the search by reference found: taken over and
// answered, for good, with the payout (saved like any provider answer).
void AnswerFound(idempotency::StoreExecutor* store, const IdempotencyRecord& record, Payout payout,
                 const EngineOptions& options, absl::AnyInvocable<void()> done) {
  CountResolve(payout.provider(), "found_by_reference");
  Log(LogLevel::kWarning, "claim_found_by_reference",
      {{"payout_id", payout.id()},
       {"provider", std::string(ProviderName(payout.provider()))},
       {"provider_payout_id", payout.provider_payout_id()}});
  const idempotency::ClaimRequest claim = TakeOver(record, options);
  store->Run<bool>(
      [claim, payout](GatewayStore& s) -> absl::StatusOr<bool> {
        ASSIGN_OR_RETURN(auto taken, s.Claim(claim, absl::Now()));
        if (taken.outcome != idempotency::ClaimOutcome::kTakenOver) return false;
        // On an error the lease runs out: searched again later.
        ASSIGN_OR_RETURN(auto saved, SaveAndLog(s, claim.id.caller, payout));
        RETURN_IF_ERROR(s.Complete(claim.id, claim.owner, ResponseAnswer(saved)));
        return true;
      },
      [done = std::move(done)](absl::StatusOr<bool>) mutable { done(); });
}

bool TooOld(const IdempotencyRecord& record, const providers::Provider& provider) {
  return KeyTooOld(record.created, provider);
}

// What a search by reference that found no single transfer says, for the payout's reason.
std::string SearchOutcome(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return absl::StrCat("the provider's records hold no matching transfer (", status.message(),
                          ")");
    case absl::StatusCode::kFailedPrecondition:
      return absl::StrCat("several of the provider's transfers match (", status.message(), ")");
    case absl::StatusCode::kUnimplemented:
      return absl::StrCat("the provider offers no search by reference (", status.message(), ")");
    default:
      return absl::StrCat("the search of the provider's records failed (", status.message(), ")");
  }
}

// The provider's view of a transfer whose outcome was unknown, laid over the stored payout; the
// provider's reply (to a re-sent key, or found by reference) also dates the transfer.
Payout Resolved(const Payout& stored, const Payout& fresh) {
  Payout merged = MergeRead(stored, fresh);
  if (fresh.has_create_time()) *merged.mutable_create_time() = fresh.create_time();
  return merged;
}

}  // namespace

void PayoutEngine::Refresh(StoredPayout stored, bool from_resolver, Callback<Payout> done) {
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
    if (from_resolver) ScheduleNext(caller, payout.id(), attempt, wait);
  };
  const absl::Duration backoff =
      ResolveBackoff(attempt, options_.resolve_backoff_initial, options_.resolve_backoff_max);
  const bool resend = stored.payout.provider_payout_id().empty();
  // An unknown outcome: ask again with the same key, so the provider replays or creates once;
  // but only while the provider surely still remembers the key. After that a re-send could be
  // a second money movement: the resolver only searches the provider's records by reference.
  if (resend && KeyTooOld(FirstSent(stored), **provider)) {
    if (!from_resolver) return done(std::move(stored.payout));  // the resolver searches
    return SearchByReference(std::move(stored), *provider, std::move(done));
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
    Save(caller, Resolved(stored, *fresh), std::move(done));
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

void PayoutEngine::ScheduleNext(const std::string& caller, const std::string& payout_id,
                                int attempt, absl::Duration wait) {
  store_->Run<bool>(
      [caller, payout_id, attempt,
       next = absl::Now() + wait](PayoutStore& s) -> absl::StatusOr<bool> {
        RETURN_IF_ERROR(s.ScheduleResolve(caller, payout_id, attempt, next));
        return true;
      },
      [](absl::StatusOr<bool>) {});
}

void PayoutEngine::SearchByReference(StoredPayout stored, providers::Provider* provider,
                                     Callback<Payout> done) {
  providers::CallContext context;
  context.caller = stored.caller;
  context.deadline = absl::Now() + absl::Seconds(30);  // a listing may take a few pages
  const int attempt = stored.resolve_attempts + 1;
  const absl::Time first_sent = FirstSent(stored);
  auto answer = [this, caller = stored.caller, stored = stored.payout, attempt,
                 done = std::move(done)](absl::StatusOr<Payout> found) mutable {
    if (found.ok()) {
      CountResolve(stored.provider(), "found_by_reference");
      Log(LogLevel::kWarning, "payout_found_by_reference",
          {{"payout_id", stored.id()},
           {"provider", std::string(ProviderName(stored.provider()))},
           {"provider_payout_id", found->provider_payout_id()},
           {"status", StatusLabel(found->status())}});
      Payout resolved = Resolved(stored, *found);
      resolved.set_status_reason(found->status_reason());  // no longer "needs reconciliation"
      return Save(caller, std::move(resolved), std::move(done));
    }
    // Nothing settled: search again after this payout's own backoff, never re-send.
    ScheduleNext(
        caller, stored.id(), attempt,
        ResolveBackoff(attempt, options_.resolve_backoff_initial, options_.resolve_backoff_max));
    CountResolve(stored.provider(), "needs_reconciliation");
    const std::string reason =
        absl::StrCat(kNeedsReconciliation,
                     ": the outcome is unknown and the provider's idempotency key is too old to "
                     "re-send safely; ",
                     SearchOutcome(found.status()))
            .substr(0, 600);
    if (stored.status_reason() == reason) return done(std::move(stored));
    if (!absl::StartsWith(stored.status_reason(), kNeedsReconciliation)) {
      Log(LogLevel::kError, "payout_needs_reconciliation",
          {{"payout_id", stored.id()},
           {"provider", std::string(ProviderName(stored.provider()))},
           {"why",
            "unknown outcome past half the provider's idempotency-key lifetime; no longer "
            "re-sent, and the search by reference settled nothing"},
           {"search", std::string(found.status().message())}});
    }
    stored.set_status_reason(reason);
    Save(caller, std::move(stored), std::move(done));
  };
  auto order = OrderOf(RequestOf(stored.payout), provider);
  if (!order.ok()) {
    return answer(absl::UnavailableError(
        absl::StrCat("the stored request no longer validates: ", order.status().message())));
  }
  provider->FindPayoutByReference(*order, first_sent, context, std::move(answer));
}

bool PayoutEngine::ResumeAbandoned(const IdempotencyRecord& record,
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
    auto order = OrderOf(request, *provider);
    if (TooOld(record, **provider)) {
      if (!order.ok()) {
        GiveUp(store_, record, source->provider, options_, std::move(done));
        return true;
      }
      // Not re-sent: the provider's records are searched by reference first.
      const std::string payout_id =
          PayoutIdFor(source->provider, record.id.caller, request.idempotency_key());
      providers::CallContext search = context;
      search.deadline = absl::Now() + absl::Seconds(30);  // a listing may take a few pages
      (*provider)->FindPayoutByReference(
          *order, record.created, search,
          [this, record, payout_id, provider_id = source->provider,
           done = std::move(done)](absl::StatusOr<Payout> found) mutable {
            if (!found.ok()) {
              return GiveUp(store_, record, provider_id, options_, std::move(done),
                            SearchOutcome(found.status()));
            }
            Payout payout = *std::move(found);
            payout.set_id(payout_id);
            if (!payout.has_create_time())
              *payout.mutable_create_time() = TimestampOf(record.created);
            AnswerFound(store_, record, std::move(payout), options_, std::move(done));
          });
      return true;
    }
    if (!order.ok()) return false;
    // A take-over: the claim (and its reservation) already exists, so nothing is reserved.
    CreatePayout(request, *order, *provider, /*spend=*/absl::nullopt, context,
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

void PayoutEngine::ResolveOnce(absl::Duration stale_after, absl::AnyInvocable<void(int)> done) {
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
      [now, stale_after](GatewayStore& s) -> absl::StatusOr<Work> {
        ASSIGN_OR_RETURN(auto abandoned, s.Abandoned(now, 100));
        // UNKNOWN payouts when their own next attempt is due; PENDING ones also only when no
        // news came for `stale_after` (a webhook normally settles them).
        ASSIGN_OR_RETURN(auto unsettled, s.PayoutsDueForResolve(now, now - stale_after, 100));
        return std::make_pair(std::move(abandoned), std::move(unsettled));
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
