#include "gateway/core/engine_steps.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "metrics/gateway_metrics.h"
#include "vocabulary/error_details.h"
#include "vocabulary/outcome_unknown.h"
#include "vocabulary/payout_status_rules.h"
#include "vocabulary/resource_id.h"
#include "vocabulary/status_macros.h"

namespace gateway::engine_steps {

// Errors after which nothing happened at the provider: the key is given back for a retry.
bool NothingHappened(const absl::Status& status) {
  if (net::http::RequestMayHaveBeenSent(status)) return false;
  switch (status.code()) {
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kCancelled:
      return true;
    default:
      return false;
  }
}

bool KeepClaimed(const absl::Status& status) {
  return net::http::RequestMayHaveBeenSent(status) || status.code() == absl::StatusCode::kAborted;
}

bool DefiniteRefusal(const absl::Status& status) {
  if (net::http::RequestMayHaveBeenSent(status)) return false;
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kOutOfRange:
      return true;
    default:  // transport trouble, our own credentials, rate limits, "in progress": ask again
      return false;
  }
}

absl::Duration ResolveBackoff(int attempts, absl::Duration initial, absl::Duration max) {
  absl::Duration wait = initial;
  for (int i = 1; i < attempts && wait < max; ++i) wait *= 2;
  return std::min(wait, max);
}

Payout MergeRead(Payout stored, const Payout& fresh) {
  stored.set_status(fresh.status());
  stored.set_provider_status(fresh.provider_status());
  if (!fresh.provider_payout_id().empty()) {
    stored.set_provider_payout_id(fresh.provider_payout_id());
  }
  if (!fresh.status_reason().empty()) stored.set_status_reason(fresh.status_reason());
  if (!fresh.tracking_key().empty()) stored.set_tracking_key(fresh.tracking_key());
  if (fresh.has_update_time()) *stored.mutable_update_time() = fresh.update_time();
  return stored;
}

IdempotencyRecord ErrorAnswer(const absl::Status& status) {
  IdempotencyRecord answer;
  answer.status_code = static_cast<int32_t>(status.code());
  answer.status_message = std::string(status.message());
  answer.status_details = EncodeStatusDetails(status);
  return answer;
}

IdempotencyRecord ResponseAnswer(const google::protobuf::Message& response) {
  IdempotencyRecord answer;
  answer.response = response.SerializeAsString();
  return answer;
}

absl::Status StoredError(const IdempotencyRecord& record) {
  return DecodeStatus(record.status_code, record.status_message, record.status_details);
}

absl::Status StoreDown(const absl::Status& status) {
  return absl::UnavailableError(
      absl::StrCat("the idempotency store is unavailable (nothing was sent): ", status.message()));
}

absl::Status KeyReused() {
  return WithReason(absl::FailedPreconditionError(
                        "idempotency_key was already used for a different request; use a new "
                        "key for a new request"),
                    "IDEMPOTENCY_KEY_REUSED");
}

absl::Status KeyInUse() {
  return WithReason(absl::AbortedError("a call with this idempotency_key is still in progress; "
                                       "retry later with the same key"),
                    "IDEMPOTENCY_KEY_IN_USE");
}

absl::optional<absl::Status> RefusalFor(const ClaimResult& claimed) {
  switch (claimed.outcome) {
    case ClaimOutcome::kMismatch:
      return KeyReused();
    case ClaimOutcome::kInFlight:
      return KeyInUse();
    case ClaimOutcome::kLimitReached:
      // Only a payout claim carries a spend, and CreatePayout answers its refusal (with the
      // caller and the verdict) before asking here.
      return absl::InternalError("a claim that reserves nothing was refused for a limit");
    case ClaimOutcome::kCompleted:
      if (claimed.record.status_code != 0) return StoredError(claimed.record);
      return absl::nullopt;
    case ClaimOutcome::kClaimed:
    case ClaimOutcome::kTakenOver:
      return absl::nullopt;
  }
  return absl::nullopt;
}

// "SUCCEEDED" for PAYOUT_STATUS_SUCCEEDED: the status label of gateway_payouts_total.
std::string StatusLabel(payments::v1::PayoutStatus status) {
  std::string name = payments::v1::PayoutStatus_Name(status);
  absl::string_view view(name);
  absl::ConsumePrefix(&view, "PAYOUT_STATUS_");
  return std::string(view);
}

// gateway_idempotency_claims_total: how often keys are new, replayed, reused or busy.
void CountClaim(const std::string& operation, ClaimOutcome outcome) {
  const char* result = "new";
  switch (outcome) {
    case ClaimOutcome::kClaimed:
      result = "new";
      break;
    case ClaimOutcome::kTakenOver:
      result = "taken_over";
      break;
    case ClaimOutcome::kInFlight:
      result = "in_use";
      break;
    case ClaimOutcome::kCompleted:
      result = "replay";
      break;
    case ClaimOutcome::kMismatch:
      result = "conflict";
      break;
    case ClaimOutcome::kLimitReached:
      result = "limit_reached";
      break;
  }
  metrics::Metrics().idempotency_claims->Increment({operation, result});
}

// The caller's request back from a payout record (to re-ask the provider with the same key).
payments::v1::CreatePayoutRequest RequestOf(const Payout& payout) {
  payments::v1::CreatePayoutRequest request;
  request.set_idempotency_key(payout.idempotency_key());
  request.set_source_account_id(payout.source_account_id());
  request.set_provider(payout.provider());
  *request.mutable_amount() = payout.amount();
  *request.mutable_counterparty() = payout.counterparty();
  request.set_description(payout.description());
  request.set_numeric_reference(payout.numeric_reference());
  *request.mutable_metadata() = payout.metadata();
  return request;
}

// Saves the payout (statuses only move forward) and logs a status change for WatchPayouts.
// Runs on a store thread; returns the payout as stored.
absl::StatusOr<Payout> SaveAndLog(GatewayStore& s, const std::string& caller,
                                  const Payout& payout) {
  ASSIGN_OR_RETURN(auto before, s.GetPayout(caller, payout.id()));
  const auto previous =
      before.has_value() ? before->status() : payments::v1::PAYOUT_STATUS_UNSPECIFIED;
  RETURN_IF_ERROR(s.SavePayout({caller, payout}));
  // What SavePayout stored, without reading it back: the new payout, or for a stale update
  // (a status the stored one may not move to) the stored payout unchanged. Every store applies
  // this rule (PayoutStore::SavePayout).
  const bool stale =
      before.has_value() && idempotency::NextStatus(previous, payout.status()) != payout.status();
  const Payout& now = stale ? *before : payout;
  if (previous != now.status()) {
    // The log every replica's WatchPayouts subscribers read (PayoutEventTailer).
    payments::v1::PayoutEvent event;
    *event.mutable_payout() = now;
    event.set_previous_status(previous);
    event.set_caller(caller);
    *event.mutable_event_time() = TimestampOf(absl::Now());
    RETURN_IF_ERROR(s.AppendPayoutEvent(event).status());
    metrics::Metrics().payout_transitions->Increment(
        {std::string(ProviderName(now.provider())), StatusLabel(now.status())});
  }
  return now;
}

}  // namespace gateway::engine_steps
