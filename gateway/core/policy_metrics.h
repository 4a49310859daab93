// What the caller policies did, as metrics (docs/policies.md#metrics): refusals by reason, and
// each rolling limit's use against what it allows, per caller.
#ifndef GATEWAY_CORE_POLICY_METRICS_H_
#define GATEWAY_CORE_POLICY_METRICS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "idempotency/spending_limits.h"

namespace gateway {

// Counts a refusal by the policy (gateway_policy_refusals_total{reason}); a status that is not
// a policy refusal (validation, unknown provider...) is not counted.
void CountPolicyRefusal(const absl::Status& status);

// Sets gateway_caller_limit_used/allowed{caller, limit, unit} from a window's content. Only
// called for callers the policies file names with limits (their names come from the file).
void RecordLimitUsage(const std::string& caller, const std::vector<idempotency::LimitUsage>& usage);

}  // namespace gateway

#endif  // GATEWAY_CORE_POLICY_METRICS_H_
