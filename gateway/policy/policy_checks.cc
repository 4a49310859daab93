#include "gateway/policy/policy_checks.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gateway/logging/masking.h"
#include "vocabulary/error_details.h"
#include "vocabulary/money.h"

namespace gateway {
namespace {

using idempotency::LimitRule;
using idempotency::LimitScope;

// Request values are shown cut short and printable (the checks may run before validation).
std::string Quoted(absl::string_view value) {
  constexpr size_t kMaxShown = 80;
  std::string out;
  for (char c : value.substr(0, kMaxShown)) {
    const unsigned char u = static_cast<unsigned char>(c);
    out.push_back(u >= 0x20 && u < 0x7f ? c : '?');
  }
  return absl::StrCat("\"", out, value.size() > kMaxShown ? "...\"" : "\"");
}

// "100.00 MXN"; an amount in a currency the gateway does not know stays in minor units.
std::string Money(int64_t amount_minor, const std::string& currency) {
  auto exponent = CurrencyExponent(currency);
  if (!exponent.ok()) return absl::StrCat(amount_minor, " minor units of ", Quoted(currency));
  return absl::StrCat(MinorUnitsToDecimal(amount_minor, *exponent), " ", currency);
}

std::string Payouts(int64_t count) {
  return absl::StrCat(count, count == 1 ? " payout" : " payouts");
}

std::string Denied(absl::string_view field, absl::string_view text) {
  return field.empty() ? std::string(text) : absl::StrCat(field, ": ", text);
}

// What the window's scope value may be shown as: destinations masked, never whole.
std::string ShownScopeValue(const idempotency::LimitUsage& usage) {
  return usage.rule.scope == LimitScope::kDestination ? MaskAccountNumber(usage.scope_value)
                                                      : usage.scope_value;
}

std::string Subject(const std::string& caller, const idempotency::LimitUsage& usage) {
  switch (usage.rule.scope) {
    case LimitScope::kCaller:
      return absl::StrCat("caller:", caller);
    case LimitScope::kSourceAccount:
      return absl::StrCat("source_account:", usage.scope_value);
    case LimitScope::kDestination:
      return absl::StrCat("destination:", ShownScopeValue(usage));
  }
  return "";
}

// "(per caller, 24h)", "(per source account "monato.acct.1", 1h30m)".
std::string ScopeAndWindow(const idempotency::LimitUsage& usage) {
  std::string scope =
      usage.rule.scope == LimitScope::kCaller
          ? "per caller"
          : absl::StrCat(usage.rule.scope == LimitScope::kSourceAccount ? "per source account "
                                                                        : "per destination ",
                         Quoted(ShownScopeValue(usage)));
  return absl::StrCat("(", scope, ", ", absl::FormatDuration(usage.rule.window), ")");
}

}  // namespace

absl::Status CheckOperation(const CallerPolicy* policy, PolicyOperation operation) {
  if (policy == nullptr || policy->Allows(operation)) return absl::OkStatus();
  std::vector<std::string> granted;
  for (PolicyOperation allowed : policy->operations) {
    granted.emplace_back(PolicyOperationName(allowed));
  }
  return WithReason(
      absl::PermissionDeniedError(absl::StrCat(
          "caller ", Quoted(policy->caller), " may not use ", PolicyOperationName(operation),
          " (its policy allows ", granted.empty() ? "none" : absl::StrJoin(granted, ", "), ")")),
      kOperationNotAllowed,
      {{"caller", policy->caller}, {"operation", std::string(PolicyOperationName(operation))}});
}

absl::Status CheckAccount(const CallerPolicy* policy, absl::string_view field,
                          absl::string_view account_id) {
  if (policy == nullptr || policy->AllowsAccount(account_id)) return absl::OkStatus();
  // Payouts pay from their source account; the other operations use theirs.
  const bool source = absl::EndsWith(field, "source_account_id");
  return WithReason(
      absl::PermissionDeniedError(
          Denied(field, absl::StrCat("caller ", Quoted(policy->caller),
                                     source ? " may not pay from " : " may not use the account ",
                                     Quoted(account_id)))),
      kAccountNotAllowed, {{"caller", policy->caller}, {"account_id", std::string(account_id)}});
}

absl::Status CheckPayout(const CallerPolicy* policy, const providers::PayoutOrder& order) {
  if (policy == nullptr) return absl::OkStatus();
  const auto& request = order.request;
  if (absl::Status status = CheckOperation(policy, PolicyOperation::kPayouts); !status.ok()) {
    return status;
  }
  if (absl::Status status = CheckAccount(policy, "source_account_id", request.source_account_id());
      !status.ok()) {
    return status;
  }
  const std::string& currency = request.amount().currency();
  if (currency != policy->currency) {
    return WithReason(
        absl::PermissionDeniedError(Denied(
            "amount.currency", absl::StrCat("caller ", Quoted(policy->caller), " may pay only in ",
                                            policy->currency, ", not ", Quoted(currency)))),
        kCurrencyNotAllowed, {{"caller", policy->caller}, {"currency", currency}});
  }
  const int64_t amount = request.amount().amount_minor();
  if (policy->max_per_payout_minor >= 0 && amount > policy->max_per_payout_minor) {
    return WithReason(absl::PermissionDeniedError(Denied(
                          "amount.amount_minor",
                          absl::StrCat("caller ", Quoted(policy->caller), " may pay at most ",
                                       Money(policy->max_per_payout_minor, policy->currency),
                                       " per payout; this payout is ", Money(amount, currency)))),
                      kAmountAboveCallerMaximum,
                      {{"caller", policy->caller},
                       {"max_per_payout_minor", absl::StrCat(policy->max_per_payout_minor)},
                       {"amount_minor", absl::StrCat(amount)}});
  }
  return absl::OkStatus();
}

absl::optional<idempotency::Spend> SpendOf(const CallerPolicy* policy,
                                           const providers::PayoutOrder& order,
                                           const std::string& payout_id) {
  if (policy == nullptr) return absl::nullopt;
  const auto& request = order.request;
  idempotency::Spend spend;
  spend.payout_id = payout_id;
  spend.source_account_id = request.source_account_id();
  const auto& counterparty = request.counterparty();
  spend.destination = counterparty.destination_case() == payments::v1::Counterparty::kDebitCard
                          ? counterparty.debit_card()
                          : counterparty.clabe();
  spend.currency = request.amount().currency();
  spend.amount_minor = request.amount().amount_minor();
  spend.limits = policy->limits;
  return spend;
}

absl::Status LimitRefusal(const std::string& caller, const idempotency::LimitVerdict& verdict,
                          int64_t amount_minor) {
  const idempotency::LimitUsage& usage = verdict.usage;
  const LimitRule& rule = usage.rule;
  const bool by_amount = rule.max_amount_minor >= 0;
  const bool by_count = rule.max_count >= 0;
  // "100.00 MXN and 3 payouts allowed, 95.00 MXN and 3 used" (only the maxima the limit has).
  std::vector<std::string> allowed, used, left;
  if (by_amount) {
    allowed.push_back(Money(rule.max_amount_minor, rule.currency));
    used.push_back(Money(usage.used_amount_minor, rule.currency));
    left.push_back(Money(std::max<int64_t>(0, rule.max_amount_minor - usage.used_amount_minor),
                         rule.currency));
  }
  if (by_count) {
    allowed.push_back(Payouts(rule.max_count));
    used.push_back(by_amount ? absl::StrCat(usage.used_count) : Payouts(usage.used_count));
    left.push_back(Payouts(std::max<int64_t>(0, rule.max_count - usage.used_count)));
  }
  const std::string window = absl::FormatDuration(rule.window);
  std::string message = absl::StrCat("limit \"", rule.name, "\" ", ScopeAndWindow(usage),
                                     " reached: ", absl::StrJoin(allowed, " and "), " allowed, ",
                                     absl::StrJoin(used, " and "), " used");
  if (amount_minor >= 0) {
    absl::StrAppend(&message, "; this payout is ", Money(amount_minor, rule.currency));
  }
  absl::Status status = absl::ResourceExhaustedError(message);
  status = WithQuotaViolation(
      status, Subject(caller, usage),
      absl::StrCat("limit \"", rule.name, "\" over ", window, ": ", absl::StrJoin(allowed, " and "),
                   " allowed, ", absl::StrJoin(used, " and "), " used, ",
                   absl::StrJoin(left, " and "), " left"));
  std::map<std::string, std::string> metadata = {
      {"caller", caller},
      {"limit", rule.name},
      {"scope", std::string(LimitScopeName(rule.scope))},
      {"window", window},
      {"used_amount_minor", absl::StrCat(usage.used_amount_minor)},
      {"used_count", absl::StrCat(usage.used_count)},
  };
  if (by_amount) metadata["allowed_amount_minor"] = absl::StrCat(rule.max_amount_minor);
  if (by_count) metadata["allowed_count"] = absl::StrCat(rule.max_count);
  if (amount_minor >= 0) metadata["amount_minor"] = absl::StrCat(amount_minor);
  return WithReason(status, kCallerLimitReached, metadata);
}

}  // namespace gateway
