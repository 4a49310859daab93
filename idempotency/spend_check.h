// The limit arithmetic every store shares (idempotency/spending_limits.h): which rules of a
// Spend apply, which scope value each sums over, and whether the payout fits. The store only
// supplies the sums of its counted reservations, read inside the claim's transaction (or under
// its lock), so the check and the insert of the claim and its reservation are one atomic step.
#ifndef IDEMPOTENCY_SPEND_CHECK_H_
#define IDEMPOTENCY_SPEND_CHECK_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "idempotency/claim_store.h"
#include "idempotency/spending_limits.h"

namespace idempotency {

// How both durable stores write a scope in limit_totals.scope: 0 caller, 1 source account,
// 2 destination (their SQL matches a reservation to its totals by these codes).
int32_t LimitScopeCode(LimitScope scope);

// The value a rule sums over for `caller`'s spend: the caller, the source account or the
// destination.
std::string ScopeValueOf(const std::string& caller, const LimitRule& rule, const Spend& spend);

// The start of `rule`'s window ending at `now`, in microseconds: a reservation counts while it
// was created strictly after this.
int64_t WindowStartMicros(const LimitRule& rule, absl::Time now);

// What a store sums for one query: the counted reservations' amount and count, filled into
// `usage` (rule and scope_value included).
using UsageReader = std::function<absl::StatusOr<LimitUsage>(const SpendQuery&)>;

struct SpendCheck {
  // The first rule (in the spend's order) the payout would pass, with its usage BEFORE it: the
  // store must then store nothing.
  absl::optional<LimitVerdict> reached;
  // Otherwise each applying rule's usage AFTER the payout, in the spend's order.
  std::vector<LimitUsage> usage;
};

// Checks `spend` of `caller` against its rules of the spend's currency (other currencies do not
// apply). An amount sum that would overflow counts as passing the limit.
absl::StatusOr<SpendCheck> CheckSpend(const std::string& caller, const Spend& spend,
                                      const UsageReader& used);

// The answer to a claim refused by a limit: the key and the verdict, nothing stored.
ClaimResult LimitReachedResult(const RecordKey& id, LimitVerdict verdict);

// `used` plus one more reservation of `amount_minor`, saturating instead of overflowing.
LimitUsage WithSpend(LimitUsage used, int64_t amount_minor);

}  // namespace idempotency

#endif  // IDEMPOTENCY_SPEND_CHECK_H_
