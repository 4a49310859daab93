// ReconciliationService.Reconcile without the gRPC edge: the request checked (window, provider,
// the caller's policy), the run, the report.
#ifndef GATEWAY_RECONCILIATION_RECONCILE_CALL_H_
#define GATEWAY_RECONCILIATION_RECONCILE_CALL_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gateway/policy/policy_book.h"
#include "gateway/reconciliation/reconciliation_runner.h"
#include "proto/payments/v1/reconciliation_service.pb.h"
#include "vocabulary/provider_call.h"

namespace gateway {

// The longest window one call covers (the store and the provider's listing are paged, so this
// bounds the call's time, not its memory).
inline constexpr absl::Duration kMaxReconcileWindow = absl::Hours(24 * 31);

// INVALID_ARGUMENT naming the field (from, to, provider) or FAILED_PRECONDITION (the provider
// is not configured).
absl::Status ValidateReconcileRequest(const payments::v1::ReconcileRequest& request,
                                      const providers::ProviderRegistry& providers);

// `policies` may be null (open gateway). With policies, the caller needs the "reconciliation"
// operation. Runs the providers and answers the report.
void Reconcile(ReconciliationRunner* runner, const PolicyBook* policies,
               const payments::v1::ReconcileRequest& request, const providers::CallContext& context,
               providers::Callback<payments::v1::ReconciliationReport> done);

}  // namespace gateway

#endif  // GATEWAY_RECONCILIATION_RECONCILE_CALL_H_
