// TEST ONLY: a third provider that keeps its transfers in memory, to prove that a provider is
// added by its own folder (docs/adding-a-provider.md). It answers payouts and reads;
// everything else is UNIMPLEMENTED. Its transfers move on when its webhook says so.
#ifndef TESTS_THIRD_PROVIDER_IN_MEMORY_PROVIDER_H_
#define TESTS_THIRD_PROVIDER_IN_MEMORY_PROVIDER_H_

#include <map>
#include <string>

#include "absl/synchronization/mutex.h"
#include "providers/provider.h"

namespace third_provider {

class InMemoryProvider : public providers::Provider {
 public:
  InMemoryProvider();

  // Money-moving requests received, over every instance (the test reads it after a replay).
  static int TransfersCreated();

  // The credential it was built with or rotated to (a real adapter would present it).
  void SetApiKey(std::string api_key);
  std::string api_key();
  // Where it was told to deliver its webhooks at start (a real one would call its API).
  void RegisterWebhookUrl(std::string url);
  std::string webhook_url();

  payments::v1::Provider id() const override { return payments::v1::PROVIDER_TEST_ONLY; }
  const providers::Capabilities& capabilities() const override { return capabilities_; }
  void CreatePayout(const providers::PayoutOrder& order, const providers::CallContext& context,
                    providers::Callback<payments::v1::Payout> done) override;
  // Not searchable: the resolver leaves such payouts to a person (NEEDS_RECONCILIATION).
  void FindPayoutByReference(const providers::PayoutOrder&, absl::Time,
                             const providers::CallContext&,
                             providers::Callback<payments::v1::Payout> done) override {
    done(absl::UnimplementedError("the test-only provider has no search"));
  }
  // Its transfers created in the window, in id order, paged by an index token.
  void ListSentPayouts(const providers::TimeWindow& window, const providers::PageQuery& page,
                       const providers::CallContext& context,
                       providers::Callback<payments::v1::ListPayoutsResponse> done) override;
  void GetPayout(const std::string& native_payout_id, const providers::CallContext& context,
                 providers::Callback<payments::v1::Payout> done) override;
  void ListPayouts(const payments::v1::ListPayoutsRequest& filter, const providers::PageQuery& page,
                   const providers::CallContext& context,
                   providers::Callback<payments::v1::ListPayoutsResponse> done) override;
  void RefundTransaction(const providers::RefundOrder& order, const providers::CallContext& context,
                         providers::Callback<payments::v1::Refund> done) override;
  void ListAccounts(const providers::PageQuery& page, const providers::CallContext& context,
                    providers::Callback<payments::v1::ListAccountsResponse> done) override;
  void GetAccount(const std::string& native_account_id, const providers::CallContext& context,
                  providers::Callback<payments::v1::Account> done) override;
  void CreateAccount(const payments::v1::CreateAccountRequest& request,
                     const std::string& parent_native_id, const providers::CallContext& context,
                     providers::Callback<payments::v1::Account> done) override;
  void ListBanks(const providers::PageQuery& page, const providers::CallContext& context,
                 providers::Callback<payments::v1::ListBanksResponse> done) override;
  void RegisterCounterparty(
      const payments::v1::RegisterCounterpartyRequest& request,
      const providers::CallContext& context,
      providers::Callback<payments::v1::RegisteredCounterparty> done) override;
  void ListCounterparties(
      const providers::PageQuery& page, const providers::CallContext& context,
      providers::Callback<payments::v1::ListCounterpartiesResponse> done) override;

 private:
  const providers::Capabilities capabilities_;
  absl::Mutex mu_;
  std::map<std::string, payments::v1::Payout> by_key_ ABSL_GUARDED_BY(mu_);  // Idempotency-Key
  std::map<std::string, payments::v1::Payout> by_id_ ABSL_GUARDED_BY(mu_);   // native id
  std::string api_key_ ABSL_GUARDED_BY(mu_);
  std::string webhook_url_ ABSL_GUARDED_BY(mu_);
};

}  // namespace third_provider

#endif  // TESTS_THIRD_PROVIDER_IN_MEMORY_PROVIDER_H_
