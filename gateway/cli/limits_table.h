// payctl limits: a caller's policy and the usage of its limits (payments.v1.CallerLimits) as a
// plain-text table for an operator. Amounts are pesos with 2 decimals from minor units, made
// with integer arithmetic only.
#ifndef GATEWAY_CLI_LIMITS_TABLE_H_
#define GATEWAY_CLI_LIMITS_TABLE_H_

#include <cstdint>
#include <string>

#include "proto/payments/v1/limits_service.pb.h"

namespace gateway {

// 195 -> "1.95", -5 -> "-0.05", 100000 -> "1000.00" (no grouping; every int64 exact).
std::string FormatMinorUnits(int64_t amount_minor);

// The caller, whether policies are enabled, operations, accounts, max per payout and one row
// per limit: limit, per, window, used/allowed amount, used/allowed count, scope value. "-" in
// an allowed column means no maximum.
std::string FormatCallerLimits(const payments::v1::CallerLimits& limits);

}  // namespace gateway

#endif  // GATEWAY_CLI_LIMITS_TABLE_H_
