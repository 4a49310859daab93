#include "idempotency/instrumented_store.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/time/clock.h"

namespace idempotency {
namespace {

const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& result) {
  return result.status();
}

}  // namespace

InstrumentedStore::InstrumentedStore(std::unique_ptr<GatewayStore> inner,
                                     metrics::Counter* operations, metrics::Histogram* seconds)
    : inner_(std::move(inner)), operations_(operations), seconds_(seconds) {}

template <typename Call>
auto InstrumentedStore::Measure(const char* operation, Call call) -> decltype(call()) {
  const absl::Time start = absl::Now();
  auto result = call();
  // "OK", "UNAVAILABLE": abseil spells codes as gRPC does.
  operations_->Increment({operation, absl::StatusCodeToString(StatusOf(result).code())});
  seconds_->Observe({operation}, absl::Now() - start);
  return result;
}

absl::StatusOr<ClaimResult> InstrumentedStore::Claim(const ClaimRequest& request, absl::Time now) {
  return Measure("Claim", [&] { return inner_->Claim(request, now); });
}

absl::Status InstrumentedStore::Complete(const RecordKey& id, const std::string& owner,
                                         const IdempotencyRecord& answer) {
  return Measure("Complete", [&] { return inner_->Complete(id, owner, answer); });
}

absl::Status InstrumentedStore::Release(const RecordKey& id, const std::string& owner) {
  return Measure("Release", [&] { return inner_->Release(id, owner); });
}

absl::StatusOr<std::vector<IdempotencyRecord>> InstrumentedStore::Abandoned(absl::Time now,
                                                                            int limit) {
  return Measure("Abandoned", [&] { return inner_->Abandoned(now, limit); });
}

absl::StatusOr<LimitUsage> InstrumentedStore::SpendUsage(const SpendQuery& query, absl::Time now) {
  return Measure("SpendUsage", [&] { return inner_->SpendUsage(query, now); });
}

absl::StatusOr<int64_t> InstrumentedStore::SweepExpired(absl::Time now) {
  return Measure("SweepExpired", [&] { return inner_->SweepExpired(now); });
}

absl::Status InstrumentedStore::SavePayout(const StoredPayout& payout) {
  return Measure("SavePayout", [&] { return inner_->SavePayout(payout); });
}

absl::StatusOr<absl::optional<payments::v1::Payout>> InstrumentedStore::GetPayout(
    const std::string& caller, const std::string& payout_id) {
  return Measure("GetPayout", [&] { return inner_->GetPayout(caller, payout_id); });
}

absl::StatusOr<std::vector<payments::v1::Payout>> InstrumentedStore::ListPayouts(
    const PayoutQuery& query) {
  return Measure("ListPayouts", [&] { return inner_->ListPayouts(query); });
}

absl::StatusOr<absl::optional<StoredPayout>> InstrumentedStore::FindPayoutByProviderRef(
    payments::v1::Provider provider, const std::string& provider_payout_id,
    const std::string& tracking_key) {
  return Measure("FindPayoutByProviderRef", [&] {
    return inner_->FindPayoutByProviderRef(provider, provider_payout_id, tracking_key);
  });
}

absl::StatusOr<int64_t> InstrumentedStore::AppendPayoutEvent(
    const payments::v1::PayoutEvent& event) {
  return Measure("AppendPayoutEvent", [&] { return inner_->AppendPayoutEvent(event); });
}

absl::StatusOr<std::vector<std::pair<int64_t, payments::v1::PayoutEvent>>>
InstrumentedStore::EventsAfter(int64_t after_sequence, int limit) {
  return Measure("EventsAfter", [&] { return inner_->EventsAfter(after_sequence, limit); });
}

absl::StatusOr<int64_t> InstrumentedStore::SweepEvents(absl::Time before) {
  return Measure("SweepEvents", [&] { return inner_->SweepEvents(before); });
}

absl::Status InstrumentedStore::SaveReceived(const payments::v1::ReceivedTransaction& received) {
  return Measure("SaveReceived", [&] { return inner_->SaveReceived(received); });
}

absl::StatusOr<std::vector<payments::v1::ReceivedTransaction>> InstrumentedStore::ListReceived(
    payments::v1::Provider provider, const std::string& after_id, int limit) {
  return Measure("ListReceived", [&] { return inner_->ListReceived(provider, after_id, limit); });
}

absl::StatusOr<absl::optional<payments::v1::ReceivedTransaction>> InstrumentedStore::GetReceived(
    const std::string& id) {
  return Measure("GetReceived", [&] { return inner_->GetReceived(id); });
}

absl::StatusOr<std::vector<StoredPayout>> InstrumentedStore::PayoutsDueForResolve(
    absl::Time now, absl::Time pending_updated_before, int limit) {
  return Measure("PayoutsDueForResolve",
                 [&] { return inner_->PayoutsDueForResolve(now, pending_updated_before, limit); });
}

absl::Status InstrumentedStore::ScheduleResolve(const std::string& caller,
                                                const std::string& payout_id, int attempts,
                                                absl::Time next_attempt) {
  return Measure("ScheduleResolve", [&] {
    return inner_->ScheduleResolve(caller, payout_id, attempts, next_attempt);
  });
}

absl::StatusOr<PayoutWindowPage> InstrumentedStore::PayoutsCreatedWithin(
    const PayoutWindowQuery& query) {
  return Measure("PayoutsCreatedWithin", [&] { return inner_->PayoutsCreatedWithin(query); });
}

absl::StatusOr<bool> InstrumentedStore::TryTakeLease(const std::string& name,
                                                     const std::string& holder, absl::Time now,
                                                     absl::Duration ttl) {
  return Measure("TryTakeLease", [&] { return inner_->TryTakeLease(name, holder, now, ttl); });
}

absl::Status InstrumentedStore::BeginBatch() {
  return Measure("BeginBatch", [&] { return inner_->BeginBatch(); });
}

absl::Status InstrumentedStore::CommitBatch() {
  return Measure("CommitBatch", [&] { return inner_->CommitBatch(); });
}

}  // namespace idempotency
