#include "gateway/reconciliation/reconciliation_metrics.h"

#include <string>

#include "absl/strings/string_view.h"
#include "metrics/gateway_metrics.h"
#include "reconciliation/item.h"
#include "vocabulary/resource_id.h"

namespace gateway {
namespace {

// "UNKNOWN", "PENDING": the status label of gateway_payout_transitions_total.
std::string StatusLabelOf(payments::v1::PayoutStatus status) {
  std::string name = payments::v1::PayoutStatus_Name(status);
  absl::string_view view(name);
  const absl::string_view prefix = "PAYOUT_STATUS_";
  if (view.substr(0, prefix.size()) == prefix) view.remove_prefix(prefix.size());
  return std::string(view);
}

}  // namespace

ReconciliationMetrics& RecMetrics() {
  static ReconciliationMetrics* const families = [] {
    metrics::Registry& r = metrics::Metrics().registry;
    auto* m = new ReconciliationMetrics;
    m->items = r.AddGauge("gateway_reconciliation_items",
                          "Items of the last reconciliation run, by class (docs/reconciliation.md; "
                          "every class is set each run, 0 included).",
                          {"provider", "class"});
    m->last_run =
        r.AddGauge("gateway_reconciliation_last_run_timestamp_seconds",
                   "When the last reconciliation run of the provider finished.", {"provider"});
    m->last_clean_run =
        r.AddGauge("gateway_reconciliation_last_clean_run_timestamp_seconds",
                   "When the last reconciliation run of the provider that matched every item "
                   "finished.",
                   {"provider"});
    m->runs = r.AddCounter("gateway_reconciliation_runs_total",
                           "Reconciliation runs, by result (ok: a report; error: the store or the "
                           "provider's listing could not be read).",
                           {"provider", "result"});
    m->payouts_stuck =
        r.AddGauge("gateway_payouts_stuck",
                   "Payouts UNKNOWN or PENDING longer than reconciliation.stuck_after, as the "
                   "last reconciliation run found them (class stuck).",
                   {"provider", "status"});
    return m;
  }();
  return *families;
}

std::string ProviderLabel(payments::v1::Provider provider) {
  return std::string(ProviderName(provider));
}

void RecordRun(const reconciliation::Report& report, const StuckCounts& stuck,
               absl::Time finished) {
  ReconciliationMetrics& m = RecMetrics();
  const std::string provider = ProviderLabel(report.provider);
  for (int i = 0; i < reconciliation::kItemClassCount; ++i) {
    const auto item_class = static_cast<reconciliation::ItemClass>(i);
    m.items->Set({provider, std::string(reconciliation::ClassName(item_class))},
                 report.Count(item_class));
  }
  m.payouts_stuck->Set({provider, StatusLabelOf(payments::v1::PAYOUT_STATUS_UNKNOWN)},
                       stuck.unknown);
  m.payouts_stuck->Set({provider, StatusLabelOf(payments::v1::PAYOUT_STATUS_PENDING)},
                       stuck.pending);
  const int64_t seconds = absl::ToUnixSeconds(finished);
  m.last_run->Set({provider}, seconds);
  if (report.Clean()) m.last_clean_run->Set({provider}, seconds);
  m.runs->Increment({provider, "ok"});
}

void RecordFailedRun(payments::v1::Provider provider) {
  RecMetrics().runs->Increment({ProviderLabel(provider), "error"});
}

}  // namespace gateway
