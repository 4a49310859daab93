// A run's report as the API's ReconciliationReport
// (proto/payments/v1/reconciliation_service.proto): every class counted, the non-matched items with
// their account numbers masked.
#ifndef GATEWAY_RECONCILIATION_REPORT_PROTO_H_
#define GATEWAY_RECONCILIATION_REPORT_PROTO_H_

#include "gateway/reconciliation/reconciliation_runner.h"
#include "proto/payments/v1/reconciliation_service.pb.h"

namespace gateway {

payments::v1::ProviderReconciliation ProviderReconciliationOf(const ProviderRun& run);

}  // namespace gateway

#endif  // GATEWAY_RECONCILIATION_REPORT_PROTO_H_
