#include "gateway/reconciliation/reconcile_call.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/core/policy_metrics.h"
#include "gateway/policy/policy_checks.h"
#include "gateway/reconciliation/report_proto.h"
#include "vocabulary/error_details.h"
#include "vocabulary/proto_time.h"

namespace gateway {

absl::Status ValidateReconcileRequest(const payments::v1::ReconcileRequest& request,
                                      const providers::ProviderRegistry& providers) {
  if (!request.has_from()) return InvalidField("from", "required: the window's start");
  if (!request.has_to()) return InvalidField("to", "required: the window's end (exclusive)");
  const absl::Time from = TimeOf(request.from());
  const absl::Time to = TimeOf(request.to());
  if (from >= to) return InvalidField("to", "must be after from");
  if (to - from > kMaxReconcileWindow) {
    return InvalidField("to", "the window may be at most 31 days long");
  }
  if (request.provider() == payments::v1::PROVIDER_UNSPECIFIED) return absl::OkStatus();
  if (!payments::v1::Provider_IsValid(request.provider())) {
    return InvalidField("provider", "is no provider");
  }
  if (!providers.Find(request.provider()).ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "provider ", payments::v1::Provider_Name(request.provider()), " is not configured"));
  }
  return absl::OkStatus();
}

void Reconcile(ReconciliationRunner* runner, const PolicyBook* policies,
               const payments::v1::ReconcileRequest& request, const providers::CallContext& context,
               providers::Callback<payments::v1::ReconciliationReport> done) {
  if (policies != nullptr) {
    const auto policy = policies->For(context.caller);
    absl::Status allowed = CheckOperation(policy.get(), PolicyOperation::kReconciliation);
    if (!allowed.ok()) {
      CountPolicyRefusal(allowed);
      return done(allowed);
    }
  }
  if (absl::Status valid = ValidateReconcileRequest(request, *runner->providers()); !valid.ok()) {
    return done(valid);
  }
  const absl::Time from = TimeOf(request.from());
  const absl::Time to = TimeOf(request.to());
  auto answer = [from, to,
                 done = std::move(done)](absl::StatusOr<std::vector<ProviderRun>> runs) mutable {
    if (!runs.ok()) return done(runs.status());
    payments::v1::ReconciliationReport report;
    *report.mutable_from() = TimestampOf(from);
    *report.mutable_to() = TimestampOf(to);
    bool clean = true;
    for (const ProviderRun& run : *runs) {
      *report.add_providers() = ProviderReconciliationOf(run);
      clean = clean && run.report.Clean();
    }
    report.set_clean(clean);
    done(std::move(report));
  };
  if (request.provider() == payments::v1::PROVIDER_UNSPECIFIED) {
    return runner->RunAll(from, to, absl::Now(), std::move(answer));
  }
  runner->Run(request.provider(), from, to, absl::Now(),
              [answer = std::move(answer)](absl::StatusOr<ProviderRun> run) mutable {
                if (!run.ok()) return answer(run.status());
                std::vector<ProviderRun> runs;
                runs.push_back(*std::move(run));
                answer(std::move(runs));
              });
}

}  // namespace gateway
