// Rolling spending limits, enforced by the store in the same transaction as the idempotency
// claim (docs/policies.md): a new payout claim carries the Spend it would add; the store sums
// the caller's reservations still counted inside each limit's window and either inserts the
// claim and its reservation together, or inserts nothing and says which limit was reached.
//
// A reservation is counted from its claim until it is given back: Release (nothing reached the
// provider), an error answer stored by Complete (the provider definitely refused), or the
// payout saved as FAILED or REJECTED. An UNKNOWN or PENDING payout keeps it. A replay of a
// claimed key never adds a second reservation.
#ifndef IDEMPOTENCY_SPENDING_LIMITS_H_
#define IDEMPOTENCY_SPENDING_LIMITS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace idempotency {

// What one limit adds up. Every limit belongs to one caller: "per source account" is that
// caller's payouts from one account, "per destination" its payouts to one counterparty.
enum class LimitScope {
  kCaller,         // all of the caller's payouts
  kSourceAccount,  // the caller's payouts from one source account (gateway account id)
  kDestination,    // the caller's payouts to one counterparty account (CLABE or card number)
};

// One rolling limit: within any `window` ending now, at most `max_amount_minor` (in
// `currency`) and at most `max_count` payouts. A negative maximum means "no maximum".
struct LimitRule {
  std::string name;  // from the policy file, e.g. "daily-total"; shown in refusals and metrics
  LimitScope scope = LimitScope::kCaller;
  absl::Duration window = absl::Hours(24);
  std::string currency = "MXN";
  int64_t max_amount_minor = -1;
  int64_t max_count = -1;
};

// The spend a new payout claim reserves against its caller's limits.
struct Spend {
  std::string payout_id;          // the gateway payout id the claim creates
  std::string source_account_id;  // gateway account id, e.g. "monato.acct.123"
  std::string destination;        // the counterparty's CLABE or card number, digits only
  std::string currency = "MXN";
  int64_t amount_minor = 0;
  std::vector<LimitRule> limits;  // may be empty: the spend is recorded, nothing is checked
};

// What a window holds for one limit and one scope value.
struct LimitUsage {
  LimitRule rule;
  std::string scope_value;  // the caller, the source account id or the destination
  int64_t used_amount_minor = 0;
  int64_t used_count = 0;
};

// Why a claim was refused: the first limit (in the Spend's order) the payout would exceed;
// `usage` is the window's content BEFORE this payout (so what is left is max - used).
struct LimitVerdict {
  LimitUsage usage;
};

// Usage of one limit for one scope value (payctl limits, metrics).
struct SpendQuery {
  std::string caller;
  LimitRule rule;
  std::string scope_value;  // ignored for kCaller
};

// Reservations older than this are swept; a limit's window may not be longer.
inline constexpr absl::Duration kLongestLimitWindow = absl::Hours(24 * 31);

}  // namespace idempotency

#endif  // IDEMPOTENCY_SPENDING_LIMITS_H_
