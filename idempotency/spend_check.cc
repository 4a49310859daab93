#include "idempotency/spend_check.h"

#include <cstdint>
#include <limits>
#include <utility>

namespace idempotency {

int32_t LimitScopeCode(LimitScope scope) {
  switch (scope) {
    case LimitScope::kSourceAccount:
      return 1;
    case LimitScope::kDestination:
      return 2;
    case LimitScope::kCaller:
      break;
  }
  return 0;
}

std::string ScopeValueOf(const std::string& caller, const LimitRule& rule, const Spend& spend) {
  switch (rule.scope) {
    case LimitScope::kSourceAccount:
      return spend.source_account_id;
    case LimitScope::kDestination:
      return spend.destination;
    case LimitScope::kCaller:
      break;
  }
  return caller;
}

int64_t WindowStartMicros(const LimitRule& rule, absl::Time now) {
  return absl::ToUnixMicros(now - rule.window);
}

ClaimResult LimitReachedResult(const RecordKey& id, LimitVerdict verdict) {
  ClaimResult refused;
  refused.outcome = ClaimOutcome::kLimitReached;
  refused.record.id = id;
  refused.limit_reached = std::move(verdict);
  return refused;
}

LimitUsage WithSpend(LimitUsage used, int64_t amount_minor) {
  if (__builtin_add_overflow(used.used_amount_minor, amount_minor, &used.used_amount_minor)) {
    used.used_amount_minor = std::numeric_limits<int64_t>::max();
  }
  if (__builtin_add_overflow(used.used_count, int64_t{1}, &used.used_count)) {
    used.used_count = std::numeric_limits<int64_t>::max();
  }
  return used;
}

absl::StatusOr<SpendCheck> CheckSpend(const std::string& caller, const Spend& spend,
                                      const UsageReader& used) {
  SpendCheck check;
  for (const LimitRule& rule : spend.limits) {
    if (rule.currency != spend.currency) continue;  // a limit in another currency
    SpendQuery query{caller, rule, ScopeValueOf(caller, rule, spend)};
    absl::StatusOr<LimitUsage> before = used(query);
    if (!before.ok()) return before.status();
    before->rule = rule;
    before->scope_value = query.scope_value;
    int64_t amount_after = 0;
    const bool amount_overflows =
        __builtin_add_overflow(before->used_amount_minor, spend.amount_minor, &amount_after);
    const bool over_amount =
        rule.max_amount_minor >= 0 && (amount_overflows || amount_after > rule.max_amount_minor);
    const bool over_count = rule.max_count >= 0 && before->used_count >= rule.max_count;
    if (over_amount || over_count) {
      check.reached = LimitVerdict{*std::move(before)};
      check.usage.clear();
      return check;
    }
    check.usage.push_back(WithSpend(*std::move(before), spend.amount_minor));
  }
  return check;
}

}  // namespace idempotency
