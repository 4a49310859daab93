// A caller's policy applied to one request, before anything is claimed or sent: clear
// PERMISSION_DENIED refusals for what the policy does not grant, the Spend a payout claim
// reserves, and the RESOURCE_EXHAUSTED refusal for a limit the store found reached
// (docs/policies.md#refusals). A null policy means "open": every check passes.
#ifndef GATEWAY_POLICY_POLICY_CHECKS_H_
#define GATEWAY_POLICY_POLICY_CHECKS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/types/optional.h"
#include "gateway/policy/caller_policy.h"
#include "idempotency/spending_limits.h"
#include "providers/provider.h"

namespace gateway {

// The ErrorInfo reasons of the refusals (also the refusal metrics' reason label).
inline constexpr absl::string_view kOperationNotAllowed = "OPERATION_NOT_ALLOWED";
inline constexpr absl::string_view kAccountNotAllowed = "ACCOUNT_NOT_ALLOWED";
inline constexpr absl::string_view kCurrencyNotAllowed = "CURRENCY_NOT_ALLOWED";
inline constexpr absl::string_view kAmountAboveCallerMaximum = "AMOUNT_ABOVE_CALLER_MAXIMUM";
inline constexpr absl::string_view kCallerLimitReached = "CALLER_LIMIT_REACHED";

// PERMISSION_DENIED with ErrorInfo reason OPERATION_NOT_ALLOWED {caller, operation}.
absl::Status CheckOperation(const CallerPolicy* policy, PolicyOperation operation);
// PERMISSION_DENIED with ErrorInfo reason ACCOUNT_NOT_ALLOWED {caller, account_id}; the
// message names the field (e.g. "source_account_id").
absl::Status CheckAccount(const CallerPolicy* policy, absl::string_view field,
                          absl::string_view account_id);
// A payout: operation, source account, currency and the maximum per payout (PERMISSION_DENIED
// with reason CURRENCY_NOT_ALLOWED {caller, currency} for a currency other than the policy's,
// AMOUNT_ABOVE_CALLER_MAXIMUM {caller, max_per_payout_minor, amount_minor} for the last).
absl::Status CheckPayout(const CallerPolicy* policy, const providers::PayoutOrder& order);

// The spend a payout claim reserves (nullopt when the policy is open: nothing is recorded).
absl::optional<idempotency::Spend> SpendOf(const CallerPolicy* policy,
                                           const providers::PayoutOrder& order,
                                           const std::string& payout_id);

// RESOURCE_EXHAUSTED for a reached limit: the message says which limit, its window, what is
// allowed and used, and how much the refused payout was ("this payout is 10.00 MXN"; omitted
// when `amount_minor` is negative); google.rpc.QuotaFailure (subject "caller:<c>",
// "source_account:<id>" or "destination:<masked>", description with the limit name, window,
// allowed, used and left) and ErrorInfo reason CALLER_LIMIT_REACHED {caller, limit, scope,
// window, allowed_amount_minor, used_amount_minor, allowed_count, used_count, amount_minor};
// allowed_amount_minor / allowed_count are absent when the limit has no such maximum. The
// destination is never shown unmasked.
absl::Status LimitRefusal(const std::string& caller, const idempotency::LimitVerdict& verdict,
                          int64_t amount_minor);

}  // namespace gateway

#endif  // GATEWAY_POLICY_POLICY_CHECKS_H_
