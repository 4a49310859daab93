// A run's outcome as metrics (names fixed: deploy/monitoring's alert rules use them):
//   gateway_reconciliation_items{provider,class}                  gauge, the last run's counts
//   gateway_reconciliation_last_run_timestamp_seconds{provider}   gauge
//   gateway_reconciliation_last_clean_run_timestamp_seconds{provider}  gauge
//   gateway_reconciliation_runs_total{provider,result}            counter, result ok|error
//   gateway_payouts_stuck{provider,status}                        gauge, the last run's stuck
#ifndef GATEWAY_RECONCILIATION_RECONCILIATION_METRICS_H_
#define GATEWAY_RECONCILIATION_RECONCILIATION_METRICS_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "metrics/registry.h"
#include "proto/payments/v1/common.pb.h"
#include "reconciliation/report.h"

namespace gateway {

struct ReconciliationMetrics {
  metrics::Gauge* items;
  metrics::Gauge* last_run;
  metrics::Gauge* last_clean_run;
  metrics::Counter* runs;
  metrics::Gauge* payouts_stuck;
};

// The families, added to the gateway's registry on first use (the process calls it at start so
// that /metrics lists them before the first run).
ReconciliationMetrics& RecMetrics();

// "monato", "fintoc": the provider label the other gateway metrics use.
std::string ProviderLabel(payments::v1::Provider provider);

// The run's items of class stuck by the gateway's status (counted as they are found, so the
// report's cap on listed items does not cap them).
struct StuckCounts {
  int64_t unknown = 0;
  int64_t pending = 0;
};

// A finished run: every class's count (0 included), the run's time, the clean run's time when
// nothing is unmatched, the stuck payouts per status, and runs_total{result="ok"}.
void RecordRun(const reconciliation::Report& report, const StuckCounts& stuck, absl::Time finished);
// A run that failed: runs_total{result="error"}; the gauges keep the last finished run's values.
void RecordFailedRun(payments::v1::Provider provider);

}  // namespace gateway

#endif  // GATEWAY_RECONCILIATION_RECONCILIATION_METRICS_H_
