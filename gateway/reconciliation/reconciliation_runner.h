// One reconciliation run (docs/reconciliation.md, "How a run works"): the window is cut into
// slices of bounded size (slice_planner.h); for each, the gateway's payouts of one provider and
// slice (with their neighbours within the grace) are paged from the store into a
// reconciliation::Classifier, then the provider's listing paged through it (or, for a provider
// without a listing, each payout read by its provider id), and the items the slice owns are
// merged into one report; then every status the report says to apply goes through the engine's
// monotonic status path (the one webhooks use), and the metrics and the JSON summary line are
// written. Nothing here blocks a gRPC or Asio thread: the store is read through StoreExecutor and
// the provider asynchronously; `done` runs on whichever thread finished the last step.
#ifndef GATEWAY_RECONCILIATION_RECONCILIATION_RUNNER_H_
#define GATEWAY_RECONCILIATION_RECONCILIATION_RUNNER_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/core/payout_engine.h"
#include "idempotency/store_executor.h"
#include "proto/payments/v1/common.pb.h"
#include "providers/provider.h"
#include "providers/provider_registry.h"
#include "reconciliation/report.h"
#include "vocabulary/provider_call.h"

namespace gateway {

struct RunnerOptions {
  // A transfer dated this far outside the window still pairs (clocks differ).
  absl::Duration grace = absl::Minutes(15);
  // UNKNOWN or PENDING longer than this is stuck.
  absl::Duration stuck_after = absl::Hours(1);
  int store_page_size = 500;
  // Fintoc answers at most 300 a page.
  int provider_page_size = 300;
  // Reads by id in flight at once, for a provider without a listing.
  int max_reads_in_flight = 8;
  // Non-matched items kept in the report (the counts stay complete).
  size_t max_items = 1000;
  // Each provider call's deadline.
  absl::Duration call_timeout = absl::Seconds(30);
  // A run is cut into slices of at most this many gateway records (with their neighbours
  // within the grace), so its memory is bounded whatever the window holds (docs/reconciliation.md,
  // "How a run works"). A slice is never shorter than max(2 * grace, 1 s): a burst denser than
  // that is taken whole, with a warning in the log.
  size_t max_records_per_slice = 10000;
};

// One provider's run.
struct ProviderRun {
  reconciliation::Report report;
  // The statuses applied through the monotonic path, and the applies that failed (the payout
  // keeps its status; the next run tries again), by gateway payout id.
  std::map<std::string, payments::v1::PayoutStatus> applied;
  std::map<std::string, std::string> apply_errors;
  // How many slices the window was cut into (RunnerOptions::max_records_per_slice).
  int slices = 0;
};

class ReconciliationRunner {
 public:
  // Everything must outlive the runner and every run in flight.
  ReconciliationRunner(idempotency::StoreExecutor* store,
                       const providers::ProviderRegistry* providers, PayoutEngine* engine,
                       RunnerOptions options);

  const RunnerOptions& options() const { return options_; }
  const providers::ProviderRegistry* providers() const { return providers_; }

  // Reconciles `provider` over [from, to) as of `now`. FAILED_PRECONDITION when the provider is
  // not configured; UNAVAILABLE when the store or the provider's listing could not be read
  // (nothing is reported then; the metrics count the run as an error).
  void Run(payments::v1::Provider provider, absl::Time from, absl::Time to, absl::Time now,
           providers::Callback<ProviderRun> done);

  // Each configured provider in turn (registry order). The first failure ends it.
  void RunAll(absl::Time from, absl::Time to, absl::Time now,
              providers::Callback<std::vector<ProviderRun>> done);

 private:
  idempotency::StoreExecutor* store_;
  const providers::ProviderRegistry* providers_;
  PayoutEngine* engine_;
  const RunnerOptions options_;
};

}  // namespace gateway

#endif  // GATEWAY_RECONCILIATION_RECONCILIATION_RUNNER_H_
