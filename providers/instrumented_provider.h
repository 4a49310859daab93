// A Provider decorator that counts and times every call into the wrapped adapter
// (gateway_provider_requests_total, gateway_provider_request_seconds), by operation and by the
// gRPC code name of the outcome. It changes nothing else.
#ifndef PROVIDERS_INSTRUMENTED_PROVIDER_H_
#define PROVIDERS_INSTRUMENTED_PROVIDER_H_

#include <memory>
#include <string>

#include "metrics/registry.h"
#include "providers/provider.h"

namespace providers {

class InstrumentedProvider : public Provider {
 public:
  InstrumentedProvider(std::unique_ptr<Provider> inner, metrics::Counter* requests,
                       metrics::Histogram* latency);

  payments::v1::Provider id() const override { return inner_->id(); }
  const Capabilities& capabilities() const override { return inner_->capabilities(); }

  void CreatePayout(const PayoutOrder& order, const CallContext& context,
                    Callback<payments::v1::Payout> done) override;
  void GetPayout(const std::string& native_payout_id, const CallContext& context,
                 Callback<payments::v1::Payout> done) override;
  void ListPayouts(const payments::v1::ListPayoutsRequest& filter, const PageQuery& page,
                   const CallContext& context,
                   Callback<payments::v1::ListPayoutsResponse> done) override;
  void RefundTransaction(const RefundOrder& order, const CallContext& context,
                         Callback<payments::v1::Refund> done) override;
  void FindPayoutByReference(const PayoutOrder& order, absl::Time sent_after,
                             const CallContext& context,
                             Callback<payments::v1::Payout> done) override;
  void ListSentPayouts(const TimeWindow& window, const PageQuery& page, const CallContext& context,
                       Callback<payments::v1::ListPayoutsResponse> done) override;
  void ListAccounts(const PageQuery& page, const CallContext& context,
                    Callback<payments::v1::ListAccountsResponse> done) override;
  void GetAccount(const std::string& native_account_id, const CallContext& context,
                  Callback<payments::v1::Account> done) override;
  void CreateAccount(const payments::v1::CreateAccountRequest& request,
                     const std::string& parent_native_id, const CallContext& context,
                     Callback<payments::v1::Account> done) override;
  void ListBanks(const PageQuery& page, const CallContext& context,
                 Callback<payments::v1::ListBanksResponse> done) override;
  void RegisterCounterparty(const payments::v1::RegisterCounterpartyRequest& request,
                            const CallContext& context,
                            Callback<payments::v1::RegisteredCounterparty> done) override;
  void ListCounterparties(const PageQuery& page, const CallContext& context,
                          Callback<payments::v1::ListCounterpartiesResponse> done) override;

 private:
  // Wraps `done` so that its outcome and the time since now are recorded first.
  template <typename T>
  Callback<T> Measured(const char* operation, Callback<T> done);

  std::unique_ptr<Provider> inner_;
  std::string name_;  // "monato", "fintoc"
  metrics::Counter* requests_;
  metrics::Histogram* latency_;
};

// The canonical gRPC name of an absl status code ("OK", "UNAVAILABLE", ...).
std::string CodeLabel(absl::StatusCode code);

}  // namespace providers

#endif  // PROVIDERS_INSTRUMENTED_PROVIDER_H_
