#include "gateway/core/payout_engine.h"

#include "gateway/core/engine_steps.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gateway/core/policy_metrics.h"
#include "gateway/policy/policy_checks.h"
#include "gateway/validation/request_validation.h"
#include "idempotency/fingerprint.h"
#include "metrics/gateway_metrics.h"
#include "vocabulary/error_details.h"
#include "vocabulary/idempotency_keys.h"
#include "vocabulary/outcome_unknown.h"
#include "vocabulary/payout_id.h"
#include "vocabulary/payout_status_rules.h"
#include "vocabulary/resource_id.h"
#include "vocabulary/status_macros.h"

namespace gateway {
namespace {

using idempotency::ClaimOutcome;
using idempotency::ClaimRequest;
using idempotency::ClaimResult;
using idempotency::ClaimStore;
using idempotency::GatewayStore;
using idempotency::IdempotencyRecord;
using idempotency::PayoutStore;
using idempotency::ReceivedMoneyStore;
using idempotency::RecordKey;
using payments::v1::Payout;
using providers::Callback;
using namespace engine_steps;  // NOLINT(build/namespaces): the engine is made of these steps

ClaimRequest MakeClaim(const std::string& caller, const std::string& operation,
                       const google::protobuf::Message& request, const std::string& key,
                       const EngineOptions& options) {
  ClaimRequest claim;
  claim.id = RecordKey{caller, operation, key};
  claim.fingerprint = idempotency::Fingerprint(request);
  claim.request = idempotency::DeterministicBytes(request);
  claim.owner = options.instance_id;
  claim.lease = options.lease;
  claim.retention = options.retention;
  return claim;
}

}  // namespace

PayoutEngine::PayoutEngine(idempotency::StoreExecutor* store,
                           const providers::ProviderRegistry* providers, const BankCatalog* banks,
                           PayoutEventHub* events, EngineOptions options)
    : store_(store),
      providers_(providers),
      banks_(banks),
      events_(events),
      options_(std::move(options)) {}

providers::CallContext PayoutEngine::WithinLease(providers::CallContext context) const {
  // A quarter of the lease is left for storing the answer before the lease runs out.
  context.deadline = std::min(context.deadline, absl::Now() + options_.lease * 3 / 4);
  return context;
}

absl::StatusOr<providers::PayoutOrder> PayoutEngine::OrderOf(
    const payments::v1::CreatePayoutRequest& request, providers::Provider* provider) const {
  return ValidateCreatePayout(request, *banks_, &provider->capabilities());
}

std::string PayoutEngine::PayoutIdFor(payments::v1::Provider provider, const std::string& caller,
                                      const std::string& key) {
  return gateway::PayoutIdFor(provider, caller, key);
}

void PayoutEngine::CreatePayout(const payments::v1::CreatePayoutRequest& request,
                                providers::PayoutOrder order, providers::Provider* provider,
                                absl::optional<idempotency::Spend> spend,
                                const providers::CallContext& context, Callback<Payout> done) {
  ClaimRequest claim =
      MakeClaim(context.caller, "CreatePayout", request, request.idempotency_key(), options_);
  std::string payout_id = PayoutIdFor(provider->id(), context.caller, request.idempotency_key());
  claim.spend = std::move(spend);
  RecordKey id = claim.id;
  // Moved, not copied: the claim (with the request's bytes) and the order are used once each.
  store_->Run<ClaimResult>(
      [claim = std::move(claim)](ClaimStore& s) { return s.Claim(claim, absl::Now()); },
      [this, order = std::move(order), provider, context, payout_id = std::move(payout_id),
       id = std::move(id), done = std::move(done)](absl::StatusOr<ClaimResult> claimed) mutable {
        if (!claimed.ok()) return done(StoreDown(claimed.status()));
        CountClaim(id.operation, claimed->outcome);
        if (claimed->outcome == ClaimOutcome::kLimitReached) {
          // Nothing was stored and nothing is sent: the key stays free for a later retry.
          if (!claimed->limit_reached.has_value()) {
            return done(absl::InternalError("the store refused a limit without saying which"));
          }
          RecordLimitUsage(context.caller, {claimed->limit_reached->usage});
          absl::Status refused = LimitRefusal(context.caller, *claimed->limit_reached,
                                              order.request.amount().amount_minor());
          CountPolicyRefusal(refused);
          return done(std::move(refused));
        }
        // What this payout leaves of each limit (only a new claim under a policy has usage).
        if (!claimed->usage.empty()) RecordLimitUsage(context.caller, claimed->usage);
        if (auto refused = RefusalFor(*claimed); refused.has_value()) return done(*refused);
        switch (claimed->outcome) {
          case ClaimOutcome::kMismatch:
          case ClaimOutcome::kInFlight:
          case ClaimOutcome::kLimitReached:
            return;  // refused above
          case ClaimOutcome::kCompleted: {
            // The payout as it is now (its status may have moved on since the first answer).
            store_->Run<absl::optional<Payout>>(
                [caller = context.caller, payout_id](PayoutStore& s) {
                  return s.GetPayout(caller, payout_id);
                },
                [record = std::move(claimed->record),
                 done = std::move(done)](absl::StatusOr<absl::optional<Payout>> stored) mutable {
                  if (stored.ok() && stored->has_value()) return done(**std::move(stored));
                  Payout first;
                  if (!first.ParseFromString(record.response)) {
                    return done(absl::DataLossError("stored payout is unreadable"));
                  }
                  done(std::move(first));
                });
            return;
          }
          case ClaimOutcome::kClaimed:
          case ClaimOutcome::kTakenOver:
            break;
        }
        // The claim is on disk: now, and only now, the provider is called.
        provider->CreatePayout(order, WithinLease(context),
                               [this, payout_id, id, caller = context.caller,
                                done = std::move(done)](absl::StatusOr<Payout> result) mutable {
                                 if (!result.ok()) {
                                   return StoreAnswer<Payout>(store_, id, options_.instance_id,
                                                              std::move(result), std::move(done));
                                 }
                                 Payout payout = *std::move(result);
                                 payout.set_id(payout_id);
                                 // About when the provider key was first sent: the resolver
                                 // re-sends it only while the provider remembers the key.
                                 if (!payout.has_create_time()) {
                                   *payout.mutable_create_time() = TimestampOf(absl::Now());
                                 }
                                 SaveAndComplete(caller, std::move(payout), id, std::move(done));
                               });
      });
}

void PayoutEngine::SaveAndComplete(const std::string& caller, Payout payout, RecordKey id,
                                   Callback<Payout> done) {
  // One store trip (and, with group commit, one transaction) for the record, its log entry and
  // the idempotency answer: a payout costs two store round trips, the claim and this.
  // Both steps share the one payout: the answer is kept for a failed commit, not copied.
  auto shared = std::make_shared<const Payout>(std::move(payout));
  store_->Run<Payout>(
      [caller, shared, id = std::move(id),
       owner = options_.instance_id](GatewayStore& s) -> absl::StatusOr<Payout> {
        auto saved = SaveAndLog(s, caller, *shared);
        Payout answer = saved.ok() ? *std::move(saved) : *shared;
        // If the answer cannot be stored, the claim's lease runs out and the resolver asks the
        // provider again with the same key; the caller still gets the truth now.
        (void)s.Complete(id, owner, ResponseAnswer(answer));
        return answer;
      },
      [shared, done = std::move(done)](absl::StatusOr<Payout> answered) mutable {
        done(answered.ok() ? *std::move(answered) : *shared);
      });
}

void PayoutEngine::Save(const std::string& caller, Payout payout, Callback<Payout> done) {
  store_->Run<Payout>(
      [caller, payout](GatewayStore& s) -> absl::StatusOr<Payout> {
        return SaveAndLog(s, caller, payout);
      },
      [payout, done = std::move(done)](absl::StatusOr<Payout> saved) mutable {
        // The truth, even if it could not be stored (the resolver stores it later).
        done(saved.ok() ? *std::move(saved) : std::move(payout));
      });
}

void PayoutEngine::GetPayout(const std::string& payout_id, const providers::CallContext& context,
                             Callback<Payout> done) {
  store_->Run<absl::optional<Payout>>(
      [caller = context.caller, payout_id](PayoutStore& s) {
        return s.GetPayout(caller, payout_id);
      },
      [this, caller = context.caller, payout_id,
       done = std::move(done)](absl::StatusOr<absl::optional<Payout>> stored) mutable {
        if (!stored.ok()) return done(StoreDown(stored.status()));
        if (!stored->has_value()) {
          return done(absl::NotFoundError(absl::StrCat("no payout ", payout_id)));
        }
        if (idempotency::IsFinal((*stored)->status())) return done(**stored);
        Refresh(idempotency::StoredPayout{caller, **std::move(stored)}, /*from_resolver=*/false,
                std::move(done));
      });
}

void PayoutEngine::ApplyProviderEvent(const providers::WebhookEvent& event, Callback<Payout> done) {
  store_->Run<absl::optional<idempotency::StoredPayout>>(
      [event](PayoutStore& s) {
        return s.FindPayoutByProviderRef(event.provider, event.provider_payout_id,
                                         event.tracking_key);
      },
      [this, event, done = std::move(done)](
          absl::StatusOr<absl::optional<idempotency::StoredPayout>> found) mutable {
        if (!found.ok()) return done(StoreDown(found.status()));
        if (!found->has_value()) {
          return done(absl::NotFoundError("no payout of this gateway matches the event"));
        }
        idempotency::StoredPayout stored = **std::move(found);
        // Unlike Save, a store failure is an error here: the webhook is then answered 5xx and
        // the provider's redelivery applies it.
        auto apply = [this, caller = stored.caller](Payout updated, Callback<Payout> done) {
          store_->Run<Payout>(
              [caller, updated](GatewayStore& s) { return SaveAndLog(s, caller, updated); },
              [done = std::move(done)](absl::StatusOr<Payout> saved) mutable {
                done(saved.ok() ? std::move(saved) : StoreDown(saved.status()));
              });
        };
        if (!event.confirm_by_reading) {
          Payout updated = stored.payout;
          updated.set_status(event.status);
          updated.set_provider_status(event.provider_status);
          if (!event.reason.empty()) updated.set_status_reason(event.reason);
          if (!event.tracking_key.empty()) updated.set_tracking_key(event.tracking_key);
          return apply(std::move(updated), std::move(done));
        }
        // The provider signs nothing: what it says when asked is applied, and a failed read is
        // an error (UNAVAILABLE), never "applied".
        auto provider = providers_->Find(stored.payout.provider());
        const std::string native = stored.payout.provider_payout_id().empty()
                                       ? event.provider_payout_id
                                       : stored.payout.provider_payout_id();
        if (!provider.ok() || native.empty()) {
          return done(absl::UnavailableError("the event cannot be confirmed by reading"));
        }
        providers::CallContext context;
        context.caller = stored.caller;
        context.deadline = absl::Now() + absl::Seconds(10);
        (*provider)->GetPayout(
            native, context,
            [payout = std::move(stored.payout), apply = std::move(apply),
             done = std::move(done)](absl::StatusOr<Payout> fresh) mutable {
              if (!fresh.ok()) {
                return done(absl::UnavailableError(absl::StrCat(
                    "could not confirm the event by reading: ", fresh.status().message())));
              }
              if (fresh->status() == payments::v1::PAYOUT_STATUS_UNKNOWN) {
                return done(absl::UnavailableError("the provider's read gave no status"));
              }
              apply(MergeRead(std::move(payout), *fresh), std::move(done));
            });
      });
}

void PayoutEngine::ListPayouts(const payments::v1::ListPayoutsRequest& request, int page_size,
                               const providers::CallContext& context,
                               Callback<payments::v1::ListPayoutsResponse> done) {
  idempotency::PayoutQuery query;
  query.caller = context.caller;
  query.source_account_id = request.source_account_id();
  query.provider = request.provider();
  query.status = request.status();
  query.limit = page_size + 1;  // one more tells whether there is a next page
  query.after_id = request.page_token();
  store_->Run<std::vector<Payout>>(
      [query](PayoutStore& s) { return s.ListPayouts(query); },
      [page_size, done = std::move(done)](absl::StatusOr<std::vector<Payout>> payouts) mutable {
        if (!payouts.ok()) return done(StoreDown(payouts.status()));
        payments::v1::ListPayoutsResponse response;
        FillPage(*payouts, page_size, response.mutable_payouts(), &response);
        done(std::move(response));
      });
}

void PayoutEngine::ListReceived(const payments::v1::ListReceivedTransactionsRequest& request,
                                int page_size,
                                std::function<bool(const payments::v1::ReceivedTransaction&)> keep,
                                Callback<payments::v1::ListReceivedTransactionsResponse> done) {
  using Response = payments::v1::ListReceivedTransactionsResponse;
  store_->Run<Response>(
      [request, page_size,
       keep = std::move(keep)](ReceivedMoneyStore& s) -> absl::StatusOr<Response> {
        Response response;
        std::string after = request.page_token();
        for (int read = 0; read < kMaxStorePagesPerList; ++read) {
          // One more row than the page holds tells whether anything follows the last one shown.
          ASSIGN_OR_RETURN(auto rows, s.ListReceived(request.provider(), after, page_size + 1));
          for (auto& row : rows) {
            if (response.transactions_size() == page_size) {
              response.set_next_page_token(after);
              return response;
            }
            after = row.id();
            if (!keep || keep(row)) *response.add_transactions() = std::move(row);
          }
          if (static_cast<int>(rows.size()) <= page_size) return response;  // the end
        }
        response.set_next_page_token(after);  // looked at enough rows for one call
        return response;
      },
      [done = std::move(done)](absl::StatusOr<Response> response) mutable {
        if (!response.ok()) return done(StoreDown(response.status()));
        done(std::move(response));
      });
}

void PayoutEngine::RefundTransaction(const payments::v1::RefundTransactionRequest& request,
                                     const providers::RefundOrder& order,
                                     providers::Provider* provider,
                                     const providers::CallContext& context,
                                     Callback<payments::v1::Refund> done) {
  RunOnce<payments::v1::Refund>(
      store_,
      MakeClaim(context.caller, "RefundTransaction", request, request.idempotency_key(), options_),
      [provider, order,
       context = WithinLease(context)](Callback<payments::v1::Refund> answer) mutable {
        provider->RefundTransaction(order, context, std::move(answer));
      },
      std::move(done));
}

void PayoutEngine::CreateAccount(const payments::v1::CreateAccountRequest& request,
                                 const std::string& parent_native_id, providers::Provider* provider,
                                 const providers::CallContext& context,
                                 Callback<payments::v1::Account> done) {
  RunOnce<payments::v1::Account>(
      store_,
      MakeClaim(context.caller, "CreateAccount", request, request.idempotency_key(), options_),
      [provider, request, parent_native_id,
       context = WithinLease(context)](Callback<payments::v1::Account> answer) mutable {
        provider->CreateAccount(request, parent_native_id, context, std::move(answer));
      },
      std::move(done));
}

}  // namespace gateway
