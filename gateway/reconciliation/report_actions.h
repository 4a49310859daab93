// What a reconciliation run's report asks of the gateway (docs/reconciliation.md): each status
// the provider's side wins applied through the engine's monotonic status path (the one webhooks
// use), and the provider's id (and tracking key, and status) recorded on a payout paired without
// it; and the stuck payouts counted for the metrics.
#ifndef GATEWAY_RECONCILIATION_REPORT_ACTIONS_H_
#define GATEWAY_RECONCILIATION_REPORT_ACTIONS_H_

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gateway/core/payout_engine.h"
#include "gateway/reconciliation/reconciliation_metrics.h"
#include "idempotency/store_executor.h"
#include "proto/payments/v1/common.pb.h"
#include "providers/webhook_event.h"
#include "reconciliation/item.h"

namespace gateway {

class ReportActions : public std::enable_shared_from_this<ReportActions> {
 public:
  ReportActions(idempotency::StoreExecutor* store, PayoutEngine* engine,
                payments::v1::Provider provider)
      : store_(store), engine_(engine), provider_(provider) {}

  // A non-matched item of the report. `provider_status`: the provider's own status text of its
  // transfer; `caller`: the caller of a record without provider id (null when unknown).
  void Note(const reconciliation::Item& item, const std::string& provider_status,
            const std::string* caller);

  // Applies, then records, one at a time through the store; then `done` (on a store thread).
  void Run(std::function<void()> done) {
    done_ = std::move(done);
    ApplyNext(0);
  }

  const StuckCounts& stuck() const { return stuck_; }
  // After Run: the statuses applied, and the failures, by gateway payout id.
  std::map<std::string, payments::v1::PayoutStatus> applied;
  std::map<std::string, std::string> apply_errors;

 private:
  void ApplyNext(size_t index);
  void AdoptNext(size_t index);

  idempotency::StoreExecutor* const store_;
  PayoutEngine* const engine_;
  const payments::v1::Provider provider_;
  std::function<void()> done_;

  struct Adoption {
    std::string caller;
    std::string payout_id;
    std::string provider_payout_id;
    std::string tracking_key;
    payments::v1::PayoutStatus status;  // UNSPECIFIED: none to apply
    std::string provider_status;
  };
  std::vector<Adoption> adoptions_;
  std::vector<std::pair<std::string, providers::WebhookEvent>> applies_;
  StuckCounts stuck_;
};

}  // namespace gateway

#endif  // GATEWAY_RECONCILIATION_REPORT_ACTIONS_H_
