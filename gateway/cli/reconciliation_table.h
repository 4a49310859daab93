// payctl reconcile: a ReconciliationReport as plain-text tables for an operator: one line per
// provider (clean or not, what was read), the count of every class per provider, and one row
// per item that is not matched (ids on both sides, amounts, what differs, the status applied).
#ifndef GATEWAY_CLI_RECONCILIATION_TABLE_H_
#define GATEWAY_CLI_RECONCILIATION_TABLE_H_

#include <string>

#include "proto/payments/v1/reconciliation_service.pb.h"

namespace gateway {

std::string FormatReconciliationReport(const payments::v1::ReconciliationReport& report);

}  // namespace gateway

#endif  // GATEWAY_CLI_RECONCILIATION_TABLE_H_
