// GatewayCore::GetCallerLimits: the caller's own policy and, for each of its rolling limits,
// what the window ending now holds (payctl limits). The usage is read on the store's threads,
// all limits in one trip, so no gRPC thread waits on the database.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/core/gateway_core.h"
#include "gateway/logging/masking.h"
#include "gateway/policy/policy_checks.h"
#include "gateway/validation/clabe.h"
#include "gateway/validation/request_validation.h"
#include "gateway/validation/spei_text.h"
#include "idempotency/claim_store.h"
#include "vocabulary/error_details.h"
#include "vocabulary/resource_id.h"

namespace gateway {
namespace {

using idempotency::LimitRule;
using idempotency::LimitScope;
using idempotency::LimitUsage;
using idempotency::SpendQuery;
using payments::v1::CallerLimits;
using payments::v1::GetCallerLimitsRequest;
using payments::v1::LimitStatus;

constexpr size_t kClabeLength = 18;

absl::string_view ScopeName(LimitScope scope) {
  switch (scope) {
    case LimitScope::kCaller:
      return "caller";
    case LimitScope::kSourceAccount:
      return "source_account";
    case LimitScope::kDestination:
      return "destination";
  }
  return "caller";
}

// A CLABE (18 digits, check digit, known bank) or a debit card (15-16 digits, Luhn): the
// destinations a payout can have, so the only ones with any usage.
absl::Status ValidateDestination(const std::string& destination, const BankCatalog& banks) {
  if (destination.empty() || !std::all_of(destination.begin(), destination.end(),
                                          [](char c) { return absl::ascii_isdigit(c); })) {
    return InvalidField("destination",
                        "must be a CLABE (18 digits) or a debit card number "
                        "(15 or 16 digits), digits only");
  }
  if (destination.size() == kClabeLength) {
    ClabeCheck check = CheckClabe(destination, banks);
    if (!check.valid) return InvalidField("destination", check.reason);
    return absl::OkStatus();
  }
  if (!IsValidDebitCard(destination)) {
    return InvalidField("destination",
                        "must be a CLABE (18 digits) or a debit card number (15 or 16 digits "
                        "passing the Luhn check)");
  }
  return absl::OkStatus();
}

// One limit for one scope value; `query` unset: listed with no usage (nothing to ask).
struct Entry {
  LimitRule rule;
  std::string shown_value;  // what LimitStatus.scope_value shows (destinations masked)
  bool query = false;
  std::string scope_value;  // what the store is asked about
};

std::vector<Entry> EntriesFor(const CallerPolicy& policy, const std::string& source_account_id,
                              const std::string& destination) {
  std::vector<Entry> entries;
  for (const LimitRule& rule : policy.limits) {
    switch (rule.scope) {
      case LimitScope::kCaller:
        entries.push_back({rule, "", true, policy.caller});
        break;
      case LimitScope::kSourceAccount: {
        std::vector<std::string> accounts;
        if (!source_account_id.empty()) {
          accounts.push_back(source_account_id);
        } else {
          // Patterns cannot be listed: their accounts are asked for one at a time.
          for (const std::string& account : policy.source_accounts) {
            if (!absl::StrContains(account, '*')) accounts.push_back(account);
          }
        }
        if (accounts.empty()) entries.push_back({rule, "", false, ""});
        for (const std::string& account : accounts)
          entries.push_back({rule, account, true, account});
        break;
      }
      case LimitScope::kDestination:
        if (destination.empty()) {
          entries.push_back({rule, "", false, ""});
        } else {
          entries.push_back({rule, MaskAccountNumber(destination), true, destination});
        }
        break;
    }
  }
  return entries;
}

payments::v1::Money MoneyOf(int64_t amount_minor, const std::string& currency) {
  payments::v1::Money money;
  money.set_amount_minor(amount_minor);
  money.set_currency(currency);
  return money;
}

LimitStatus StatusOf(const Entry& entry, const LimitUsage* usage) {
  LimitStatus status;
  status.set_name(entry.rule.name);
  status.set_scope(std::string(ScopeName(entry.rule.scope)));
  const absl::Duration window = entry.rule.window;
  const int64_t seconds = absl::ToInt64Seconds(window);
  status.mutable_window()->set_seconds(seconds);
  status.mutable_window()->set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(window - absl::Seconds(seconds))));
  if (entry.rule.max_amount_minor >= 0) {
    *status.mutable_max_amount() = MoneyOf(entry.rule.max_amount_minor, entry.rule.currency);
  }
  if (entry.rule.max_count >= 0) status.set_max_count(entry.rule.max_count);
  status.set_scope_value(entry.shown_value);
  *status.mutable_used_amount() =
      MoneyOf(usage != nullptr ? usage->used_amount_minor : 0, entry.rule.currency);
  status.set_used_count(usage != nullptr ? usage->used_count : 0);
  return status;
}

}  // namespace

void GatewayCore::GetCallerLimits(const GetCallerLimitsRequest& request, const CallContext& context,
                                  Callback<CallerLimits> done) {
  if (!request.source_account_id().empty()) {
    auto id = ValidateId("source_account_id", request.source_account_id(), kind::kAccount);
    if (!id.ok()) return done(id.status());
  }
  if (!request.destination().empty()) {
    if (auto valid = ValidateDestination(request.destination(), banks_); !valid.ok()) {
      return done(valid);
    }
  }
  CallerLimits answer;
  answer.set_caller(context.caller);
  std::shared_ptr<const CallerPolicy> policy = PolicyOf(context);
  if (policy == nullptr) {  // no policies file: open, nothing limited
    answer.set_policies_enabled(false);
    return done(std::move(answer));
  }
  if (!request.source_account_id().empty()) {
    if (auto allowed = CheckAccount(policy.get(), "source_account_id", request.source_account_id());
        !allowed.ok()) {
      return done(allowed);
    }
  }
  answer.set_policies_enabled(true);
  for (PolicyOperation operation : policy->operations) {
    answer.add_operations(std::string(PolicyOperationName(operation)));
  }
  for (const std::string& account : policy->source_accounts) answer.add_source_accounts(account);
  if (policy->max_per_payout_minor >= 0) {
    *answer.mutable_max_per_payout() = MoneyOf(policy->max_per_payout_minor, policy->currency);
  }
  std::vector<Entry> entries =
      EntriesFor(*policy, request.source_account_id(), request.destination());
  std::vector<SpendQuery> queries;
  for (const Entry& entry : entries) {
    if (entry.query) queries.push_back({context.caller, entry.rule, entry.scope_value});
  }
  engine_->store()->Run<std::vector<LimitUsage>>(
      [queries = std::move(queries)](
          idempotency::ClaimStore& store) -> absl::StatusOr<std::vector<LimitUsage>> {
        const absl::Time now = absl::Now();
        std::vector<LimitUsage> usages;
        for (const SpendQuery& query : queries) {
          auto usage = store.SpendUsage(query, now);
          if (!usage.ok()) return usage.status();
          usages.push_back(*std::move(usage));
        }
        return usages;
      },
      [answer = std::move(answer), entries = std::move(entries),
       done = std::move(done)](absl::StatusOr<std::vector<LimitUsage>> usages) mutable {
        if (!usages.ok()) {
          return done(absl::UnavailableError(absl::StrCat(
              "cannot read the limits' usage from the store: ", usages.status().message())));
        }
        size_t next = 0;
        for (const Entry& entry : entries) {
          const LimitUsage* usage = entry.query ? &(*usages)[next++] : nullptr;
          *answer.add_limits() = StatusOf(entry, usage);
        }
        done(std::move(answer));
      });
}

}  // namespace gateway
