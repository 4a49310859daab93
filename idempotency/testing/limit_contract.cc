#include "idempotency/testing/limit_contract.h"

#include <atomic>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace idempotency {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);
constexpr char kAccountA[] = "monato.acct.a1";
constexpr char kAccountB[] = "monato.acct.b2";
constexpr char kClabeX[] = "646180110400000007";
constexpr char kClabeY[] = "012180015555555555";

LimitRule Rule(const std::string& name, LimitScope scope, int64_t max_amount, int64_t max_count,
               absl::Duration window = absl::Hours(24), const std::string& currency = "MXN") {
  LimitRule rule;
  rule.name = name;
  rule.scope = scope;
  rule.window = window;
  rule.currency = currency;
  rule.max_amount_minor = max_amount;
  rule.max_count = max_count;
  return rule;
}

struct SpendArgs {
  int64_t amount = 100;
  std::vector<LimitRule> limits;
  std::string source = kAccountA;
  std::string destination = kClabeX;
  std::string caller = "billing";
  std::string fingerprint = "fp-1";
  std::string owner = "instance-a";
};

ClaimRequest SpendClaim(const std::string& key, const SpendArgs& args) {
  ClaimRequest request;
  request.id = RecordKey{args.caller, "CreatePayout", key};
  request.fingerprint = args.fingerprint;
  request.request = "serialized-request";
  request.owner = args.owner;
  request.lease = absl::Seconds(30);
  request.retention = absl::Hours(24);
  Spend spend;
  spend.payout_id = absl::StrCat("monato.payout.", key);
  spend.source_account_id = args.source;
  spend.destination = args.destination;
  spend.amount_minor = args.amount;
  spend.limits = args.limits;
  request.spend = std::move(spend);
  return request;
}

SpendArgs Amount(int64_t amount, std::vector<LimitRule> limits) {
  SpendArgs args;
  args.amount = amount;
  args.limits = std::move(limits);
  return args;
}

class Limits {
 public:
  explicit Limits(GatewayStore* store) : store_(store) {}
  // The outcome of claiming `key` with `args` at `now` (a failed call fails the test).
  ClaimResult Claim(const std::string& key, const SpendArgs& args, absl::Time now = kNow) {
    auto result = store_->Claim(SpendClaim(key, args), now);
    EXPECT_TRUE(result.ok()) << result.status();
    if (result.ok()) return *std::move(result);
    ClaimResult failed;
    failed.outcome = ClaimOutcome::kMismatch;  // never what a test expects of a spend claim
    return failed;
  }
  LimitUsage Usage(const LimitRule& rule, const std::string& scope_value = "",
                   absl::Time now = kNow, const std::string& caller = "billing") {
    auto usage = store_->SpendUsage(SpendQuery{caller, rule, scope_value}, now);
    EXPECT_TRUE(usage.ok()) << usage.status();
    return usage.ok() ? *std::move(usage) : LimitUsage{};
  }

 private:
  GatewayStore* store_;
};

payments::v1::Payout PayoutOf(const std::string& key, payments::v1::PayoutStatus status) {
  payments::v1::Payout payout;
  payout.set_id(absl::StrCat("monato.payout.", key));
  payout.set_provider(payments::v1::PROVIDER_MONATO);
  payout.set_source_account_id(kAccountA);
  payout.set_status(status);
  payout.mutable_amount()->set_amount_minor(100);
  payout.mutable_amount()->set_currency("MXN");
  return payout;
}

TEST_P(LimitContractTest, TheLastAllowedAmountPassesExactlyAtTheLimitAndTheNextIsRefused) {
  Limits limits(store_.get());
  const LimitRule daily = Rule("daily-total", LimitScope::kCaller, 1000, -1);
  auto first = limits.Claim("a1", Amount(400, {daily}));
  EXPECT_EQ(first.outcome, ClaimOutcome::kClaimed);
  ASSERT_EQ(first.usage.size(), 1u);
  EXPECT_EQ(first.usage[0].used_amount_minor, 400);
  EXPECT_EQ(first.usage[0].used_count, 1);
  auto last = limits.Claim("a2", Amount(600, {daily}));
  EXPECT_EQ(last.outcome, ClaimOutcome::kClaimed);
  ASSERT_EQ(last.usage.size(), 1u);
  EXPECT_EQ(last.usage[0].rule.name, "daily-total");
  EXPECT_EQ(last.usage[0].scope_value, "billing");
  EXPECT_EQ(last.usage[0].used_amount_minor, 1000);
  EXPECT_EQ(last.usage[0].used_count, 2);
  auto refused = limits.Claim("a3", Amount(1, {daily}));
  EXPECT_EQ(refused.outcome, ClaimOutcome::kLimitReached);
  EXPECT_EQ(refused.record.id.key, "a3");
  ASSERT_TRUE(refused.limit_reached.has_value());
  EXPECT_EQ(refused.limit_reached->usage.rule.name, "daily-total");
  EXPECT_EQ(refused.limit_reached->usage.scope_value, "billing");
  EXPECT_EQ(refused.limit_reached->usage.used_amount_minor, 1000);  // before this payout
  EXPECT_EQ(refused.limit_reached->usage.used_count, 2);
  EXPECT_TRUE(refused.usage.empty());
  EXPECT_EQ(limits.Usage(daily).used_amount_minor, 1000);
}

TEST_P(LimitContractTest, TheLastAllowedCountPassesAndTheNextIsRefused) {
  Limits limits(store_.get());
  const LimitRule count = Rule("daily-count", LimitScope::kCaller, -1, 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limits.Claim(absl::StrCat("c", i), Amount(5, {count})).outcome,
              ClaimOutcome::kClaimed);
  }
  auto refused = limits.Claim("c3", Amount(5, {count}));
  EXPECT_EQ(refused.outcome, ClaimOutcome::kLimitReached);
  ASSERT_TRUE(refused.limit_reached.has_value());
  EXPECT_EQ(refused.limit_reached->usage.used_count, 3);
  EXPECT_EQ(refused.limit_reached->usage.used_amount_minor, 15);
}

TEST_P(LimitContractTest, AnAmountThatWouldOverflowIsRefused) {
  Limits limits(store_.get());
  const LimitRule daily = Rule("daily-total", LimitScope::kCaller, INT64_MAX, -1);
  EXPECT_EQ(limits.Claim("o1", Amount(INT64_MAX - 10, {daily})).outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(limits.Claim("o2", Amount(INT64_MAX - 10, {daily})).outcome,
            ClaimOutcome::kLimitReached);
}

// Reservations made without a maximum can add up beyond int64: the sum saturates, over any
// limit, rather than failing or wrapping around.
TEST_P(LimitContractTest, AWindowBeyondInt64IsOverAnyLimit) {
  Limits limits(store_.get());
  ASSERT_EQ(limits.Claim("big1", Amount(INT64_MAX - 10, {})).outcome, ClaimOutcome::kClaimed);
  ASSERT_EQ(limits.Claim("big2", Amount(INT64_MAX - 10, {})).outcome, ClaimOutcome::kClaimed);
  const LimitRule daily = Rule("daily-total", LimitScope::kCaller, INT64_MAX, -1);
  EXPECT_EQ(limits.Usage(daily).used_amount_minor, INT64_MAX);
  EXPECT_EQ(limits.Usage(daily).used_count, 2);
  auto refused = limits.Claim("big3", Amount(1, {daily}));
  EXPECT_EQ(refused.outcome, ClaimOutcome::kLimitReached);
}

TEST_P(LimitContractTest, TheFirstReachedLimitInOrderIsTheVerdict) {
  Limits limits(store_.get());
  const LimitRule per_account = Rule("per-account", LimitScope::kSourceAccount, 150, -1);
  const LimitRule total = Rule("total", LimitScope::kCaller, 150, -1);
  EXPECT_EQ(limits.Claim("f1", Amount(100, {per_account, total})).outcome, ClaimOutcome::kClaimed);
  auto refused = limits.Claim("f2", Amount(100, {per_account, total}));
  ASSERT_EQ(refused.outcome, ClaimOutcome::kLimitReached);
  EXPECT_EQ(refused.limit_reached->usage.rule.name, "per-account");
  EXPECT_EQ(refused.limit_reached->usage.scope_value, kAccountA);
}

TEST_P(LimitContractTest, ARefusedClaimStoresNothingAndTheKeyIsClaimedOnceTheWindowFrees) {
  Limits limits(store_.get());
  const LimitRule hourly = Rule("hourly", LimitScope::kCaller, 100, -1, absl::Hours(1));
  ASSERT_EQ(limits.Claim("w1", Amount(100, {hourly})).outcome, ClaimOutcome::kClaimed);
  const absl::Time later = kNow + absl::Minutes(10);
  EXPECT_EQ(limits.Claim("w2", Amount(50, {hourly}), later).outcome, ClaimOutcome::kLimitReached);
  // Not in flight, not a mismatch: the refused claim left no record behind.
  EXPECT_EQ(limits.Claim("w2", Amount(50, {hourly}), later).outcome, ClaimOutcome::kLimitReached);
  SpendArgs other = Amount(50, {hourly});
  other.fingerprint = "fp-other";
  EXPECT_EQ(limits.Claim("w2", other, later).outcome, ClaimOutcome::kLimitReached);
  EXPECT_EQ(limits.Usage(hourly, "", later).used_amount_minor, 100);
  EXPECT_EQ(limits.Usage(hourly, "", later).used_count, 1);
  auto freed = limits.Claim("w2", Amount(50, {hourly}), kNow + absl::Hours(1));
  EXPECT_EQ(freed.outcome, ClaimOutcome::kClaimed);
  ASSERT_EQ(freed.usage.size(), 1u);
  EXPECT_EQ(freed.usage[0].used_amount_minor, 50);
}

TEST_P(LimitContractTest, AReservationExactlyAWindowOldNoLongerCounts) {
  Limits limits(store_.get());
  const LimitRule daily = Rule("daily", LimitScope::kCaller, 100, -1);
  ASSERT_EQ(limits.Claim("b1", Amount(100, {daily})).outcome, ClaimOutcome::kClaimed);
  const absl::Time almost = kNow + absl::Hours(24) - absl::Microseconds(1);
  EXPECT_EQ(limits.Usage(daily, "", almost).used_amount_minor, 100);
  EXPECT_EQ(limits.Claim("b2", Amount(1, {daily}), almost).outcome, ClaimOutcome::kLimitReached);
  const absl::Time exactly = kNow + absl::Hours(24);
  EXPECT_EQ(limits.Usage(daily, "", exactly).used_amount_minor, 0);
  EXPECT_EQ(limits.Usage(daily, "", exactly).used_count, 0);
  EXPECT_EQ(limits.Claim("b2", Amount(100, {daily}), exactly).outcome, ClaimOutcome::kClaimed);
}

TEST_P(LimitContractTest, SourceAccountAndDestinationScopesAreIndependent) {
  Limits limits(store_.get());
  const LimitRule per_account = Rule("per-account", LimitScope::kSourceAccount, 100, -1);
  const LimitRule per_destination = Rule("per-destination", LimitScope::kDestination, 150, -1);
  const LimitRule total = Rule("total", LimitScope::kCaller, -1, -1);
  SpendArgs a_x = Amount(100, {per_account, per_destination, total});
  ASSERT_EQ(limits.Claim("s1", a_x).outcome, ClaimOutcome::kClaimed);
  SpendArgs a_y = a_x;
  a_y.amount = 1;
  a_y.destination = kClabeY;
  auto refused = limits.Claim("s2", a_y);
  ASSERT_EQ(refused.outcome, ClaimOutcome::kLimitReached);
  EXPECT_EQ(refused.limit_reached->usage.rule.name, "per-account");
  EXPECT_EQ(refused.limit_reached->usage.scope_value, kAccountA);
  SpendArgs b_x = a_x;
  b_x.amount = 50;
  b_x.source = kAccountB;
  auto from_b = limits.Claim("s3", b_x);
  ASSERT_EQ(from_b.outcome, ClaimOutcome::kClaimed);
  ASSERT_EQ(from_b.usage.size(), 3u);
  EXPECT_EQ(from_b.usage[0].scope_value, kAccountB);
  EXPECT_EQ(from_b.usage[0].used_amount_minor, 50);
  EXPECT_EQ(from_b.usage[1].scope_value, kClabeX);
  EXPECT_EQ(from_b.usage[1].used_amount_minor, 150);
  EXPECT_EQ(from_b.usage[2].scope_value, "billing");
  EXPECT_EQ(from_b.usage[2].used_amount_minor, 150);
  EXPECT_EQ(from_b.usage[2].used_count, 2);
  SpendArgs b_x_more = b_x;
  b_x_more.amount = 1;
  auto to_x = limits.Claim("s4", b_x_more);
  ASSERT_EQ(to_x.outcome, ClaimOutcome::kLimitReached);
  EXPECT_EQ(to_x.limit_reached->usage.rule.name, "per-destination");
  EXPECT_EQ(to_x.limit_reached->usage.scope_value, kClabeX);
  SpendArgs b_y = b_x_more;
  b_y.destination = kClabeY;
  EXPECT_EQ(limits.Claim("s5", b_y).outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(limits.Usage(per_account, kAccountA).used_amount_minor, 100);
  EXPECT_EQ(limits.Usage(per_account, kAccountB).used_amount_minor, 51);
  EXPECT_EQ(limits.Usage(per_destination, kClabeY).used_amount_minor, 1);
  EXPECT_EQ(limits.Usage(total, "ignored").used_count, 3);
  EXPECT_EQ(limits.Usage(total, "ignored").scope_value, "billing");
}

TEST_P(LimitContractTest, EachCallerHasItsOwnWindow) {
  Limits limits(store_.get());
  const LimitRule daily = Rule("daily", LimitScope::kSourceAccount, 100, -1);
  ASSERT_EQ(limits.Claim("k", Amount(100, {daily})).outcome, ClaimOutcome::kClaimed);
  SpendArgs payroll = Amount(100, {daily});
  payroll.caller = "payroll";
  EXPECT_EQ(limits.Claim("k", payroll).outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(limits.Usage(daily, kAccountA, kNow, "payroll").used_amount_minor, 100);
}

TEST_P(LimitContractTest, RulesOfAnotherCurrencyDoNotApply) {
  Limits limits(store_.get());
  const LimitRule usd = Rule("usd", LimitScope::kCaller, 0, 0, absl::Hours(24), "USD");
  const LimitRule mxn = Rule("mxn", LimitScope::kCaller, 1000, -1);
  auto claimed = limits.Claim("m1", Amount(100, {usd, mxn}));
  ASSERT_EQ(claimed.outcome, ClaimOutcome::kClaimed);
  ASSERT_EQ(claimed.usage.size(), 1u);  // the USD rule is skipped
  EXPECT_EQ(claimed.usage[0].rule.name, "mxn");
  EXPECT_EQ(limits.Usage(usd).used_amount_minor, 0);  // MXN money is not USD money
  EXPECT_EQ(limits.Usage(usd).used_count, 0);
}

TEST_P(LimitContractTest, ASpendWithoutLimitsIsStillRecorded) {
  Limits limits(store_.get());
  auto claimed = limits.Claim("n1", Amount(70, {}));
  ASSERT_EQ(claimed.outcome, ClaimOutcome::kClaimed);
  EXPECT_TRUE(claimed.usage.empty());
  const LimitRule daily = Rule("daily", LimitScope::kCaller, 100, -1);
  EXPECT_EQ(limits.Usage(daily).used_amount_minor, 70);
  EXPECT_EQ(limits.Claim("n2", Amount(31, {daily})).outcome, ClaimOutcome::kLimitReached);
}

TEST_P(LimitContractTest, ReplaysInFlightTakeOversAndMismatchesNeverReserveAgain) {
  Limits limits(store_.get());
  const LimitRule once = Rule("once", LimitScope::kCaller, -1, 1);
  ASSERT_EQ(limits.Claim("r1", Amount(100, {once})).outcome, ClaimOutcome::kClaimed);
  SpendArgs other_owner = Amount(100, {once});
  other_owner.owner = "instance-b";
  auto in_flight = limits.Claim("r1", other_owner, kNow + absl::Seconds(1));
  EXPECT_EQ(in_flight.outcome, ClaimOutcome::kInFlight);
  EXPECT_FALSE(in_flight.limit_reached.has_value());
  SpendArgs mismatch = other_owner;
  mismatch.fingerprint = "fp-other";
  EXPECT_EQ(limits.Claim("r1", mismatch, kNow + absl::Seconds(1)).outcome, ClaimOutcome::kMismatch);
  auto taken = limits.Claim("r1", other_owner, kNow + absl::Seconds(31));
  EXPECT_EQ(taken.outcome, ClaimOutcome::kTakenOver);
  EXPECT_TRUE(taken.usage.empty());
  IdempotencyRecord answer;
  answer.response = "payout-bytes";
  ASSERT_TRUE(store_->Complete(SpendClaim("r1", other_owner).id, "instance-b", answer).ok());
  EXPECT_EQ(limits.Claim("r1", other_owner, kNow + absl::Seconds(40)).outcome,
            ClaimOutcome::kCompleted);
  EXPECT_EQ(limits.Usage(once, "", kNow + absl::Seconds(40)).used_count, 1);
  EXPECT_EQ(limits.Usage(once, "", kNow + absl::Seconds(40)).used_amount_minor, 100);
}

TEST_P(LimitContractTest, AKeyClaimedAgainAfterItsRetentionReservesAgain) {
  Limits limits(store_.get());
  const LimitRule two_days = Rule("two-days", LimitScope::kCaller, -1, -1, absl::Hours(48));
  ASSERT_EQ(limits.Claim("again", Amount(10, {two_days}), kNow - absl::Hours(25)).outcome,
            ClaimOutcome::kClaimed);
  auto again = limits.Claim("again", Amount(10, {two_days}));
  ASSERT_EQ(again.outcome, ClaimOutcome::kClaimed);
  ASSERT_EQ(again.usage.size(), 1u);
  EXPECT_EQ(again.usage[0].used_count, 2);
  // Releasing the new claim gives back its own reservation only.
  ASSERT_TRUE(store_->Release(SpendClaim("again", {}).id, "instance-a").ok());
  EXPECT_EQ(limits.Usage(two_days).used_count, 1);
}

TEST_P(LimitContractTest, ReleaseAndAnErrorAnswerGiveTheSpendBack) {
  Limits limits(store_.get());
  const LimitRule daily = Rule("daily", LimitScope::kCaller, -1, -1);
  for (const char* key : {"released", "refused", "answered"}) {
    ASSERT_EQ(limits.Claim(key, Amount(100, {daily})).outcome, ClaimOutcome::kClaimed);
  }
  EXPECT_EQ(limits.Usage(daily).used_amount_minor, 300);
  ASSERT_TRUE(store_->Release(SpendClaim("released", {}).id, "instance-a").ok());
  EXPECT_EQ(limits.Usage(daily).used_amount_minor, 200);
  IdempotencyRecord error;
  error.status_code = 9;
  error.status_message = "the provider refused the payout";
  ASSERT_TRUE(store_->Complete(SpendClaim("refused", {}).id, "instance-a", error).ok());
  EXPECT_EQ(limits.Usage(daily).used_amount_minor, 100);
  IdempotencyRecord ok;
  ok.response = "payout-bytes";
  ASSERT_TRUE(store_->Complete(SpendClaim("answered", {}).id, "instance-a", ok).ok());
  EXPECT_EQ(limits.Usage(daily).used_amount_minor, 100);
  EXPECT_EQ(limits.Usage(daily).used_count, 1);
}

TEST_P(LimitContractTest, FailedAndRejectedPayoutsGiveBackOthersKeep) {
  Limits limits(store_.get());
  const LimitRule daily = Rule("daily", LimitScope::kCaller, -1, -1);
  const std::vector<std::pair<const char*, payments::v1::PayoutStatus>> payouts = {
      {"unknown", payments::v1::PAYOUT_STATUS_UNKNOWN},
      {"pending", payments::v1::PAYOUT_STATUS_PENDING},
      {"succeeded", payments::v1::PAYOUT_STATUS_SUCCEEDED},
      {"failed", payments::v1::PAYOUT_STATUS_FAILED},
      {"rejected", payments::v1::PAYOUT_STATUS_REJECTED}};
  for (const auto& [key, status] : payouts) {
    ASSERT_EQ(limits.Claim(key, Amount(100, {daily})).outcome, ClaimOutcome::kClaimed);
    ASSERT_TRUE(
        store_->SavePayout({"billing", PayoutOf(key, payments::v1::PAYOUT_STATUS_UNKNOWN)}).ok());
  }
  EXPECT_EQ(limits.Usage(daily).used_count, 5);
  for (const auto& [key, status] : payouts) {
    ASSERT_TRUE(store_->SavePayout({"billing", PayoutOf(key, status)}).ok());
  }
  EXPECT_EQ(limits.Usage(daily).used_count, 3);
  EXPECT_EQ(limits.Usage(daily).used_amount_minor, 300);
  // Another caller's payout of the same id gives nothing of billing's back.
  ASSERT_TRUE(
      store_->SavePayout({"payroll", PayoutOf("pending", payments::v1::PAYOUT_STATUS_FAILED)})
          .ok());
  EXPECT_EQ(limits.Usage(daily).used_count, 3);
  // A stale FAILED after SUCCEEDED is not what the store keeps: the spend stays.
  ASSERT_TRUE(
      store_->SavePayout({"billing", PayoutOf("succeeded", payments::v1::PAYOUT_STATUS_FAILED)})
          .ok());
  EXPECT_EQ(limits.Usage(daily).used_count, 3);
  ASSERT_TRUE(
      store_->SavePayout({"billing", PayoutOf("succeeded", payments::v1::PAYOUT_STATUS_RETURNED)})
          .ok());
  EXPECT_EQ(limits.Usage(daily).used_count, 3);
}

TEST_P(LimitContractTest, APayoutFirstSavedAsRejectedGivesBackToo) {
  Limits limits(store_.get());
  const LimitRule daily = Rule("daily", LimitScope::kCaller, -1, -1);
  ASSERT_EQ(limits.Claim("first-rejected", Amount(100, {daily})).outcome, ClaimOutcome::kClaimed);
  ASSERT_EQ(limits.Claim("first-pending", Amount(100, {daily})).outcome, ClaimOutcome::kClaimed);
  ASSERT_TRUE(store_
                  ->SavePayout(
                      {"billing", PayoutOf("first-rejected", payments::v1::PAYOUT_STATUS_REJECTED)})
                  .ok());
  ASSERT_TRUE(
      store_
          ->SavePayout({"billing", PayoutOf("first-pending", payments::v1::PAYOUT_STATUS_PENDING)})
          .ok());
  EXPECT_EQ(limits.Usage(daily).used_count, 1);
  EXPECT_EQ(limits.Usage(daily).used_amount_minor, 100);
}

TEST_P(LimitContractTest, SweepDeletesReservationsOlderThanTheLongestWindow) {
  Limits limits(store_.get());
  const LimitRule long_window = Rule("long", LimitScope::kCaller, -1, -1, absl::Hours(24 * 40));
  ASSERT_EQ(
      limits.Claim("ancient", Amount(1, {}), kNow - kLongestLimitWindow - absl::Hours(1)).outcome,
      ClaimOutcome::kClaimed);
  ASSERT_EQ(
      limits.Claim("recent", Amount(10, {}), kNow - kLongestLimitWindow + absl::Hours(1)).outcome,
      ClaimOutcome::kClaimed);
  EXPECT_EQ(limits.Usage(long_window).used_amount_minor, 11);
  auto swept = store_->SweepExpired(kNow);
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(*swept, 2);  // the records; reservations are not counted
  EXPECT_EQ(limits.Usage(long_window).used_amount_minor, 10);
  EXPECT_EQ(limits.Usage(long_window).used_count, 1);
}

TEST_P(LimitContractTest, ConcurrentClaimsNeverPassACountLimit) {
  constexpr int kThreads = 16;
  constexpr int kAllowed = 5;
  const LimitRule count = Rule("count", LimitScope::kCaller, -1, kAllowed);
  std::atomic<int> claimed{0}, refused{0}, errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto result = store_->Claim(SpendClaim(absl::StrCat("race-", i), Amount(1, {count})), kNow);
      if (!result.ok()) {
        ++errors;
      } else if (result->outcome == ClaimOutcome::kClaimed) {
        ++claimed;
      } else if (result->outcome == ClaimOutcome::kLimitReached) {
        ++refused;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claimed.load(), kAllowed);
  EXPECT_EQ(refused.load(), kThreads - kAllowed);
  Limits limits(store_.get());
  EXPECT_EQ(limits.Usage(count).used_count, kAllowed);
}

}  // namespace
}  // namespace idempotency
