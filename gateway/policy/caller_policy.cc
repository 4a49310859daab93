#include "gateway/policy/caller_policy.h"

#include <algorithm>

namespace gateway {
namespace {

// `*` stands for any run of characters (none included); every other character matches itself.
// Iterative with one backtrack point, so a pattern with many stars stays linear-ish, never
// exponential.
bool Matches(absl::string_view pattern, absl::string_view text) {
  size_t p = 0, t = 0;
  size_t star = absl::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != absl::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

absl::string_view PolicyOperationName(PolicyOperation operation) {
  switch (operation) {
    case PolicyOperation::kPayouts:
      return "payouts";
    case PolicyOperation::kRefunds:
      return "refunds";
    case PolicyOperation::kAccounts:
      return "accounts";
    case PolicyOperation::kCounterparties:
      return "counterparties";
    case PolicyOperation::kReconciliation:
      return "reconciliation";
  }
  return "unknown";
}

bool ParsePolicyOperation(absl::string_view name, PolicyOperation* out) {
  for (PolicyOperation operation :
       {PolicyOperation::kPayouts, PolicyOperation::kRefunds, PolicyOperation::kAccounts,
        PolicyOperation::kCounterparties, PolicyOperation::kReconciliation}) {
    if (PolicyOperationName(operation) == name) {
      *out = operation;
      return true;
    }
  }
  return false;
}

absl::string_view LimitScopeName(idempotency::LimitScope scope) {
  switch (scope) {
    case idempotency::LimitScope::kCaller:
      return "caller";
    case idempotency::LimitScope::kSourceAccount:
      return "source_account";
    case idempotency::LimitScope::kDestination:
      return "destination";
  }
  return "unknown";
}

bool ParseLimitScope(absl::string_view name, idempotency::LimitScope* out) {
  for (idempotency::LimitScope scope :
       {idempotency::LimitScope::kCaller, idempotency::LimitScope::kSourceAccount,
        idempotency::LimitScope::kDestination}) {
    if (LimitScopeName(scope) == name) {
      *out = scope;
      return true;
    }
  }
  return false;
}

bool CallerPolicy::Allows(PolicyOperation operation) const {
  return std::find(operations.begin(), operations.end(), operation) != operations.end();
}

bool CallerPolicy::AllowsAccount(absl::string_view account_id) const {
  if (account_id.empty()) return false;
  for (const std::string& pattern : source_accounts) {
    if (Matches(pattern, account_id)) return true;
  }
  return false;
}

}  // namespace gateway
