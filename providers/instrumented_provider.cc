#include "providers/instrumented_provider.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "vocabulary/resource_id.h"

namespace providers {

std::string CodeLabel(absl::StatusCode code) {
  // "UNAVAILABLE", "DEADLINE_EXCEEDED": abseil spells codes as gRPC does.
  return absl::StatusCodeToString(code);
}

InstrumentedProvider::InstrumentedProvider(std::unique_ptr<Provider> inner,
                                           metrics::Counter* requests, metrics::Histogram* latency)
    : inner_(std::move(inner)),
      name_(gateway::ProviderName(inner_->id())),
      requests_(requests),
      latency_(latency) {}

template <typename T>
Callback<T> InstrumentedProvider::Measured(const char* operation, Callback<T> done) {
  return [this, operation, start = absl::Now(),
          done = std::move(done)](absl::StatusOr<T> result) mutable {
    requests_->Increment({name_, operation, CodeLabel(result.status().code())});
    latency_->Observe({name_, operation}, absl::Now() - start);
    done(std::move(result));
  };
}

void InstrumentedProvider::CreatePayout(const PayoutOrder& order, const CallContext& context,
                                        Callback<payments::v1::Payout> done) {
  inner_->CreatePayout(order, context, Measured("CreatePayout", std::move(done)));
}

void InstrumentedProvider::GetPayout(const std::string& native_payout_id,
                                     const CallContext& context,
                                     Callback<payments::v1::Payout> done) {
  inner_->GetPayout(native_payout_id, context, Measured("GetPayout", std::move(done)));
}

void InstrumentedProvider::ListPayouts(const payments::v1::ListPayoutsRequest& filter,
                                       const PageQuery& page, const CallContext& context,
                                       Callback<payments::v1::ListPayoutsResponse> done) {
  inner_->ListPayouts(filter, page, context, Measured("ListPayouts", std::move(done)));
}

void InstrumentedProvider::RefundTransaction(const RefundOrder& order, const CallContext& context,
                                             Callback<payments::v1::Refund> done) {
  inner_->RefundTransaction(order, context, Measured("RefundTransaction", std::move(done)));
}

void InstrumentedProvider::FindPayoutByReference(const PayoutOrder& order, absl::Time sent_after,
                                                 const CallContext& context,
                                                 Callback<payments::v1::Payout> done) {
  inner_->FindPayoutByReference(order, sent_after, context,
                                Measured("FindPayoutByReference", std::move(done)));
}

void InstrumentedProvider::ListSentPayouts(const TimeWindow& window, const PageQuery& page,
                                           const CallContext& context,
                                           Callback<payments::v1::ListPayoutsResponse> done) {
  inner_->ListSentPayouts(window, page, context, Measured("ListSentPayouts", std::move(done)));
}

void InstrumentedProvider::ListAccounts(const PageQuery& page, const CallContext& context,
                                        Callback<payments::v1::ListAccountsResponse> done) {
  inner_->ListAccounts(page, context, Measured("ListAccounts", std::move(done)));
}

void InstrumentedProvider::GetAccount(const std::string& native_account_id,
                                      const CallContext& context,
                                      Callback<payments::v1::Account> done) {
  inner_->GetAccount(native_account_id, context, Measured("GetAccount", std::move(done)));
}

void InstrumentedProvider::CreateAccount(const payments::v1::CreateAccountRequest& request,
                                         const std::string& parent_native_id,
                                         const CallContext& context,
                                         Callback<payments::v1::Account> done) {
  inner_->CreateAccount(request, parent_native_id, context,
                        Measured("CreateAccount", std::move(done)));
}

void InstrumentedProvider::ListBanks(const PageQuery& page, const CallContext& context,
                                     Callback<payments::v1::ListBanksResponse> done) {
  inner_->ListBanks(page, context, Measured("ListBanks", std::move(done)));
}

void InstrumentedProvider::RegisterCounterparty(
    const payments::v1::RegisterCounterpartyRequest& request, const CallContext& context,
    Callback<payments::v1::RegisteredCounterparty> done) {
  inner_->RegisterCounterparty(request, context, Measured("RegisterCounterparty", std::move(done)));
}

void InstrumentedProvider::ListCounterparties(
    const PageQuery& page, const CallContext& context,
    Callback<payments::v1::ListCounterpartiesResponse> done) {
  inner_->ListCounterparties(page, context, Measured("ListCounterparties", std::move(done)));
}

}  // namespace providers
