// What one internal service may do with the gateway's money (docs/policies.md): the operations
// it may use, the source accounts it may pay from, the most one payout may move, and its
// rolling limits (enforced by the store with the claim: idempotency/spending_limits.h).
#ifndef GATEWAY_POLICY_CALLER_POLICY_H_
#define GATEWAY_POLICY_CALLER_POLICY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "idempotency/spending_limits.h"

namespace gateway {

// The money-moving and account-changing operations a policy grants by name. Reads (lists,
// gets, ValidateClabe, ListBanks, the caller's own limits) need no grant; what they show is
// scoped by the allowed accounts.
enum class PolicyOperation {
  kPayouts,         // "payouts": CreatePayout
  kRefunds,         // "refunds": RefundTransaction
  kAccounts,        // "accounts": CreateAccount
  kCounterparties,  // "counterparties": RegisterCounterparty
  // "reconciliation": ReconciliationService.Reconcile, which reads every caller's payouts and
  // may apply a provider's status to them.
  kReconciliation,
};

// The name used in the policy file, errors and metrics ("payouts", ...).
absl::string_view PolicyOperationName(PolicyOperation operation);
// The inverse; false for a name that is no operation.
bool ParsePolicyOperation(absl::string_view name, PolicyOperation* out);

// The name of a limit's scope in the policy file, errors and metrics ("caller",
// "source_account", "destination").
absl::string_view LimitScopeName(idempotency::LimitScope scope);
// The inverse; false for a name that is no scope.
bool ParseLimitScope(absl::string_view name, idempotency::LimitScope* out);

struct CallerPolicy {
  std::string caller;
  std::vector<PolicyOperation> operations;
  // Gateway account ids, or patterns where `*` stands for any run of characters
  // ("monato.acct.*"). For payouts the source account; for CreateAccount the parent account;
  // for refunds and received money the account that received the money.
  std::vector<std::string> source_accounts;
  std::string currency = "MXN";
  int64_t max_per_payout_minor = -1;  // negative: no maximum
  std::vector<idempotency::LimitRule> limits;

  bool Allows(PolicyOperation operation) const;
  bool AllowsAccount(absl::string_view account_id) const;
};

}  // namespace gateway

#endif  // GATEWAY_POLICY_CALLER_POLICY_H_
