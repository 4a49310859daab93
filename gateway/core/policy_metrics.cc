#include "gateway/core/policy_metrics.h"

#include "gateway/policy/policy_checks.h"
#include "metrics/gateway_metrics.h"
#include "vocabulary/error_details.h"

namespace gateway {

void CountPolicyRefusal(const absl::Status& status) {
  const std::string reason = ReasonOf(status);
  const char* label = nullptr;
  if (reason == kOperationNotAllowed) {
    label = "operation_not_allowed";
  } else if (reason == kAccountNotAllowed) {
    label = "account_not_allowed";
  } else if (reason == kCurrencyNotAllowed) {
    label = "currency_not_allowed";
  } else if (reason == kAmountAboveCallerMaximum) {
    label = "amount_above_maximum";
  } else if (reason == kCallerLimitReached) {
    label = "limit_reached";
  }
  if (label != nullptr) metrics::Metrics().policy_refusals->Increment({label});
}

void RecordLimitUsage(const std::string& caller,
                      const std::vector<idempotency::LimitUsage>& usage) {
  metrics::GatewayMetrics& m = metrics::Metrics();
  for (const idempotency::LimitUsage& limit : usage) {
    const idempotency::LimitRule& rule = limit.rule;
    if (rule.max_amount_minor >= 0) {
      m.caller_limit_used->Set({caller, rule.name, "minor"}, limit.used_amount_minor);
      m.caller_limit_allowed->Set({caller, rule.name, "minor"}, rule.max_amount_minor);
    }
    if (rule.max_count >= 0) {
      m.caller_limit_used->Set({caller, rule.name, "count"}, limit.used_count);
      m.caller_limit_allowed->Set({caller, rule.name, "count"}, rule.max_count);
    }
  }
}

}  // namespace gateway
