// An GatewayStore decorator that counts and times every store operation
// (gateway_store_operations_total{operation,outcome}, gateway_store_operation_seconds), so a
// benchmark or an operator can see how many store round trips a payout costs. It changes
// nothing else.
#ifndef IDEMPOTENCY_INSTRUMENTED_STORE_H_
#define IDEMPOTENCY_INSTRUMENTED_STORE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "idempotency/gateway_store.h"
#include "metrics/registry.h"

namespace idempotency {

class InstrumentedStore final : public GatewayStore {
 public:
  InstrumentedStore(std::unique_ptr<GatewayStore> inner, metrics::Counter* operations,
                    metrics::Histogram* seconds);

  // ClaimStore
  absl::StatusOr<ClaimResult> Claim(const ClaimRequest& request, absl::Time now) override;
  absl::Status Complete(const RecordKey& id, const std::string& owner,
                        const IdempotencyRecord& answer) override;
  absl::Status Release(const RecordKey& id, const std::string& owner) override;
  absl::StatusOr<std::vector<IdempotencyRecord>> Abandoned(absl::Time now, int limit) override;
  absl::StatusOr<int64_t> SweepExpired(absl::Time now) override;
  absl::StatusOr<LimitUsage> SpendUsage(const SpendQuery& query, absl::Time now) override;
  // PayoutStore
  absl::Status SavePayout(const StoredPayout& payout) override;
  absl::StatusOr<absl::optional<payments::v1::Payout>> GetPayout(
      const std::string& caller, const std::string& payout_id) override;
  absl::StatusOr<std::vector<payments::v1::Payout>> ListPayouts(const PayoutQuery& query) override;
  absl::StatusOr<absl::optional<StoredPayout>> FindPayoutByProviderRef(
      payments::v1::Provider provider, const std::string& provider_payout_id,
      const std::string& tracking_key) override;
  absl::StatusOr<std::vector<StoredPayout>> PayoutsDueForResolve(absl::Time now,
                                                                 absl::Time pending_updated_before,
                                                                 int limit) override;
  absl::Status ScheduleResolve(const std::string& caller, const std::string& payout_id,
                               int attempts, absl::Time next_attempt) override;
  absl::StatusOr<PayoutWindowPage> PayoutsCreatedWithin(const PayoutWindowQuery& query) override;
  // PayoutEventLog
  absl::StatusOr<int64_t> AppendPayoutEvent(const payments::v1::PayoutEvent& event) override;
  absl::StatusOr<std::vector<std::pair<int64_t, payments::v1::PayoutEvent>>> EventsAfter(
      int64_t after_sequence, int limit) override;
  absl::StatusOr<int64_t> SweepEvents(absl::Time before) override;
  // ReceivedMoneyStore
  absl::Status SaveReceived(const payments::v1::ReceivedTransaction& received) override;
  absl::StatusOr<std::vector<payments::v1::ReceivedTransaction>> ListReceived(
      payments::v1::Provider provider, const std::string& after_id, int limit) override;
  absl::StatusOr<absl::optional<payments::v1::ReceivedTransaction>> GetReceived(
      const std::string& id) override;
  // LeaseStore
  absl::StatusOr<bool> TryTakeLease(const std::string& name, const std::string& holder,
                                    absl::Time now, absl::Duration ttl) override;
  bool SupportsBatches() const override { return inner_->SupportsBatches(); }
  absl::Status BeginBatch() override;
  absl::Status CommitBatch() override;  // counted: each one is a disk flush
  bool BatchOpen() override { return inner_->BatchOpen(); }

 private:
  // Runs `call`, then counts it under `operation` with the gRPC code name of its status.
  template <typename Call>
  auto Measure(const char* operation, Call call) -> decltype(call());

  std::unique_ptr<GatewayStore> inner_;
  metrics::Counter* operations_;
  metrics::Histogram* seconds_;
};

}  // namespace idempotency

#endif  // IDEMPOTENCY_INSTRUMENTED_STORE_H_
