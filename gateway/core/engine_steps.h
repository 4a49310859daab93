// The steps every idempotent engine operation is made of: what a stored answer looks like,
// which errors give a key back, the StoreAnswer and RunOnce flows, paging, and saving a payout with
// its log entry. Internal to gateway/core (PayoutEngine); split out to keep each file small.
#ifndef GATEWAY_CORE_ENGINE_STEPS_H_
#define GATEWAY_CORE_ENGINE_STEPS_H_

#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/message.h>
#include <google/protobuf/repeated_ptr_field.h>
#include <google/protobuf/timestamp.pb.h>
#include "vocabulary/proto_time.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "idempotency/gateway_store.h"
#include "idempotency/store_executor.h"
#include "proto/payments/v1/account_service.pb.h"
#include "proto/payments/v1/payout_service.pb.h"
#include "providers/provider.h"
#include "vocabulary/status_macros.h"

namespace gateway::engine_steps {

using idempotency::ClaimOutcome;
using idempotency::ClaimRequest;
using idempotency::ClaimResult;
using idempotency::ClaimStore;
using idempotency::GatewayStore;
using idempotency::IdempotencyRecord;
using idempotency::RecordKey;
using payments::v1::Payout;
using providers::Callback;

// Errors after which nothing happened at the provider: the key is given back for a retry.
bool NothingHappened(const absl::Status& status);

// Errors after which the provider may have acted, or is still acting (its "in progress" 409,
// ABORTED): the key stays claimed (neither given back nor answered with a stored error), so
// the lease runs out and the resolver re-runs the call with the same provider key.
bool KeepClaimed(const absl::Status& status);

// A definite refusal the provider replays for the key of an unknown outcome (a 4xx, or a 409
// because the key came with another body): the first attempt moved no money.
bool DefiniteRefusal(const absl::Status& status);

// Answers whose outcome is unknown although the call returned: kept claimed like KeepClaimed.
inline bool UnknownAnswer(const google::protobuf::Message&) { return false; }
inline bool UnknownAnswer(const payments::v1::Refund& refund) {
  return refund.status() == payments::v1::PAYOUT_STATUS_UNKNOWN;
}

// The wait before the resolver's attempt number `attempts` (1, 2, ...): `initial` doubled per
// attempt, at most `max`.
absl::Duration ResolveBackoff(int attempts, absl::Duration initial, absl::Duration max);

// What the provider says of a transfer (a read, or the replayed reply to its key) laid over the
// stored payout: the provider knows the transfer, the gateway knows who asked for it.
Payout MergeRead(Payout stored, const Payout& fresh);

// A stored answer: the error a call ended with, or its response.
IdempotencyRecord ErrorAnswer(const absl::Status& status);
IdempotencyRecord ResponseAnswer(const google::protobuf::Message& response);
absl::Status StoredError(const IdempotencyRecord& record);

// What callers hear when the store fails, a key is reused for another request, or a call with
// the key is still in progress.
absl::Status StoreDown(const absl::Status& status);
absl::Status KeyReused();
absl::Status KeyInUse();

// What a claim answers at once, without running anything: the key was used for another
// request, a call with it is in progress, or it ended in an error that is replayed. Empty when
// the claim goes on (new, taken over, or a stored success to replay).
// kLimitReached is answered by CreatePayout itself (LimitRefusal needs the caller).
absl::optional<absl::Status> RefusalFor(const ClaimResult& claimed);

// "SUCCEEDED" for PAYOUT_STATUS_SUCCEEDED: the status label of gateway_payouts_total.
std::string StatusLabel(payments::v1::PayoutStatus status);

// gateway_idempotency_claims_total: how often keys are new, replayed, reused or busy.
void CountClaim(const std::string& operation, ClaimOutcome outcome);

// The caller's request back from a payout record (to re-ask the provider with the same key).
payments::v1::CreatePayoutRequest RequestOf(const Payout& payout);

// Saves the payout (statuses only move forward) and logs a status change for WatchPayouts.
// Runs on a store thread; returns the payout as stored.
absl::StatusOr<Payout> SaveAndLog(GatewayStore& s, const std::string& caller, const Payout& payout);

// Stores `answer` for a claimed key (or gives the key back, or keeps it claimed when the
// outcome is unknown), then answers the caller.
template <typename Response>
void StoreAnswer(idempotency::StoreExecutor* store, RecordKey id, std::string owner,
                 absl::StatusOr<Response> result, Callback<Response> done) {
  if (result.ok() ? UnknownAnswer(*result) : KeepClaimed(result.status())) {
    // Neither released (a retry would send again under a new claim) nor completed (the stored
    // error would be final): the resolver takes the claim over when its lease runs out.
    return done(std::move(result));
  }
  if (!result.ok() && NothingHappened(result.status())) {
    store->Run<bool>(
        [id, owner](ClaimStore& s) -> absl::StatusOr<bool> {
          RETURN_IF_ERROR(s.Release(id, owner));
          return true;
        },
        [result = std::move(result), done = std::move(done)](absl::StatusOr<bool>) mutable {
          done(std::move(result));
        });
    return;
  }
  IdempotencyRecord answer = result.ok() ? ResponseAnswer(*result) : ErrorAnswer(result.status());
  store->Run<bool>(
      [id, owner, answer](ClaimStore& s) -> absl::StatusOr<bool> {
        RETURN_IF_ERROR(s.Complete(id, owner, answer));
        return true;
      },
      // If the answer could not be stored, the claim's lease runs out and the resolver asks the
      // provider again with the same key; the caller still gets the truth now.
      [result = std::move(result), done = std::move(done)](absl::StatusOr<bool>) mutable {
        done(std::move(result));
      });
}

// Claim -> execute -> StoreAnswer, replaying stored answers: for refunds and account creation.
template <typename Response>
void RunOnce(idempotency::StoreExecutor* store, ClaimRequest claim,
             absl::AnyInvocable<void(Callback<Response>)> execute, Callback<Response> done) {
  store->Run<ClaimResult>(
      [claim](ClaimStore& s) { return s.Claim(claim, absl::Now()); },
      [store, id = claim.id, owner = claim.owner, execute = std::move(execute),
       done = std::move(done)](absl::StatusOr<ClaimResult> claimed) mutable {
        if (!claimed.ok()) return done(StoreDown(claimed.status()));
        CountClaim(id.operation, claimed->outcome);
        if (auto refused = RefusalFor(*claimed); refused.has_value()) return done(*refused);
        switch (claimed->outcome) {
          case ClaimOutcome::kMismatch:
          case ClaimOutcome::kInFlight:
          case ClaimOutcome::kLimitReached:
            return;  // refused above
          case ClaimOutcome::kCompleted: {
            Response response;
            if (!response.ParseFromString(claimed->record.response)) {
              return done(absl::DataLossError("stored answer is unreadable"));
            }
            return done(std::move(response));
          }
          case ClaimOutcome::kClaimed:
          case ClaimOutcome::kTakenOver:
            execute([store, id, owner,
                     done = std::move(done)](absl::StatusOr<Response> result) mutable {
              StoreAnswer<Response>(store, id, owner, std::move(result), std::move(done));
            });
            return;
        }
      });
}

// A page from `rows` read with page_size + 1: the extra row only says a next page exists,
// and the next page starts after the last id shown.
template <typename Row, typename Response>
void FillPage(const std::vector<Row>& rows, int page_size,
              google::protobuf::RepeatedPtrField<Row>* items, Response* response) {
  for (int i = 0; i < static_cast<int>(rows.size()) && i < page_size; ++i) *items->Add() = rows[i];
  if (static_cast<int>(rows.size()) > page_size) {
    response->set_next_page_token(items->Get(page_size - 1).id());
  }
}

}  // namespace gateway::engine_steps

#endif  // GATEWAY_CORE_ENGINE_STEPS_H_
