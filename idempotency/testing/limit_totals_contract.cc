// The store contract for the limits' running totals (docs/design.md#limit-totals): whatever the
// order of claims, give-backs and `now`s, a limit's usage equals the full sum of the
// reservations in its window. Each test keeps its own model of the reservations and compares
// every limit and scope with it (ExpectModel), through the claims' usage (the totals moved and
// kept) and SpendUsage.
#include <atomic>
#include <iterator>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "idempotency/testing/limit_contract.h"

namespace idempotency {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);
constexpr char kCaller[] = "treasury";
const char* const kAccounts[] = {"fintoc.acct.a", "fintoc.acct.b"};
const char* const kClabes[] = {"646180110400000007", "012180015555555555", "072180000000000003"};

LimitRule RuleOf(LimitScope scope, absl::Duration window, const std::string& name = "rule") {
  LimitRule rule;
  rule.name = name;
  rule.scope = scope;
  rule.window = window;
  return rule;  // no maximum: these tests are about the sums, not the refusals
}

std::vector<LimitRule> AllScopes(absl::Duration window) {
  return {RuleOf(LimitScope::kCaller, window, "caller"),
          RuleOf(LimitScope::kSourceAccount, window, "account"),
          RuleOf(LimitScope::kDestination, window, "destination")};
}

struct Reserved {
  std::string key;
  absl::Time created;
  int64_t amount;
  std::string account;
  std::string destination;
  bool given_back = false;
};

class Model {
 public:
  explicit Model(GatewayStore* store) : store_(store) {}

  ClaimRequest Request(const std::string& key, int64_t amount, const std::string& account,
                       const std::string& destination, std::vector<LimitRule> limits) const {
    ClaimRequest request;
    request.id = RecordKey{kCaller, "CreatePayout", key};
    request.fingerprint = "fp";
    request.request = "request";
    request.owner = "instance-a";
    request.lease = absl::Seconds(30);
    request.retention = absl::Hours(24);
    Spend spend;
    spend.payout_id = absl::StrCat("fintoc.payout.", key);
    spend.source_account_id = account;
    spend.destination = destination;
    spend.amount_minor = amount;
    spend.limits = std::move(limits);
    request.spend = std::move(spend);
    return request;
  }

  // Claims and records the reservation; the claim's usage (after it) must match the model.
  void Claim(const std::string& key, int64_t amount, int account, int destination, absl::Time now,
             const std::vector<LimitRule>& limits) {
    auto result =
        store_->Claim(Request(key, amount, kAccounts[account], kClabes[destination], limits), now);
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(result->outcome, ClaimOutcome::kClaimed) << key;
    reserved_.push_back({key, now, amount, kAccounts[account], kClabes[destination]});
    ASSERT_EQ(result->usage.size(), limits.size());
    for (const LimitUsage& usage : result->usage) {
      const LimitUsage expected = Expected(usage.rule, usage.scope_value, now);
      EXPECT_EQ(usage.used_amount_minor, expected.used_amount_minor)
          << key << " " << usage.rule.name << " " << usage.scope_value << " at " << now;
      EXPECT_EQ(usage.used_count, expected.used_count)
          << key << " " << usage.rule.name << " " << usage.scope_value << " at " << now;
    }
  }

  void GaveBack(const std::string& key) {
    for (Reserved& reserved : reserved_) {
      if (reserved.key == key) reserved.given_back = true;
    }
  }

  LimitUsage Expected(const LimitRule& rule, const std::string& scope_value, absl::Time now) {
    LimitUsage usage;
    for (const Reserved& reserved : reserved_) {
      if (reserved.given_back || reserved.created <= now - rule.window) continue;
      if (rule.scope == LimitScope::kSourceAccount && reserved.account != scope_value) continue;
      if (rule.scope == LimitScope::kDestination && reserved.destination != scope_value) continue;
      usage.used_amount_minor += reserved.amount;
      ++usage.used_count;
    }
    return usage;
  }

  // Every scope value of every rule, read with SpendUsage, equals the model's full sum.
  void ExpectModel(const std::vector<LimitRule>& rules, absl::Time now) {
    for (const LimitRule& rule : rules) {
      std::vector<std::string> values = {kCaller};
      if (rule.scope == LimitScope::kSourceAccount)
        values.assign(std::begin(kAccounts), std::end(kAccounts));
      if (rule.scope == LimitScope::kDestination)
        values.assign(std::begin(kClabes), std::end(kClabes));
      for (const std::string& value : values) {
        auto usage = store_->SpendUsage(SpendQuery{kCaller, rule, value}, now);
        ASSERT_TRUE(usage.ok()) << usage.status();
        const LimitUsage expected = Expected(rule, value, now);
        EXPECT_EQ(usage->used_amount_minor, expected.used_amount_minor)
            << rule.name << " " << absl::FormatDuration(rule.window) << " " << value << " at "
            << now;
        EXPECT_EQ(usage->used_count, expected.used_count)
            << rule.name << " " << absl::FormatDuration(rule.window) << " " << value << " at "
            << now;
        EXPECT_GE(usage->used_amount_minor, 0);
      }
    }
  }

 private:
  GatewayStore* store_;
  std::vector<Reserved> reserved_;
};

TEST_P(LimitContractTest, TotalsShrinkExactlyAsTheWindowAdvances) {
  Model model(store_.get());
  const std::vector<LimitRule> hourly = AllScopes(absl::Hours(1));
  // Three hours of payouts, one every 5 minutes, each claim moving the totals forward.
  for (int i = 0; i < 36; ++i) {
    model.Claim(absl::StrCat("p", i), 100 + i, i % 2, i % 3, kStart + absl::Minutes(5 * i), hourly);
    model.ExpectModel(hourly, kStart + absl::Minutes(5 * i));
  }
  // Reads further on: the window empties exactly at the last reservation's age of an hour.
  const absl::Time last = kStart + absl::Minutes(5 * 35);
  for (absl::Duration later : {absl::Minutes(1), absl::Minutes(30), absl::Minutes(59),
                               absl::Hours(1) - absl::Microseconds(1), absl::Hours(1)}) {
    model.ExpectModel(hourly, last + later);
  }
  // A claim an hour after the last one finds the totals empty.
  model.Claim("after", 7, 0, 0, last + absl::Hours(1), hourly);
  model.ExpectModel(hourly, last + absl::Hours(1));
}

// Replicas' clocks differ, and a claim may come with an earlier `now` than the last one: the
// totals move back and count again what is back in the window.
TEST_P(LimitContractTest, TotalsMovedBackInTimeAddBackWhatIsInTheWindowAgain) {
  Model model(store_.get());
  const std::vector<LimitRule> hourly = AllScopes(absl::Hours(1));
  for (int i = 0; i < 12; ++i) {
    model.Claim(absl::StrCat("t", i), 10 * (i + 1), i % 2, i % 3, kStart + absl::Minutes(10 * i),
                hourly);
  }
  const absl::Time latest = kStart + absl::Minutes(110);
  model.ExpectModel(hourly, latest);
  // Back by 50 minutes, then forward, then far back (every reservation counts again, even
  // those created after that `now`), then forward past all of them.
  for (absl::Time now :
       {latest - absl::Minutes(50), latest + absl::Minutes(5), kStart - absl::Minutes(30),
        latest + absl::Minutes(30), latest + absl::Hours(2)}) {
    model.Claim(absl::StrCat("at-", absl::ToUnixSeconds(now)), 1, 1, 2, now, hourly);
    model.ExpectModel(hourly, now);
  }
}

// A policy reload may change a limit's window: its totals start from one full sum, and the old
// window's totals stay right for the rules still using it.
TEST_P(LimitContractTest, ALimitWhoseWindowChangesStartsFromAFullSum) {
  Model model(store_.get());
  const std::vector<LimitRule> hourly = AllScopes(absl::Hours(1));
  const std::vector<LimitRule> two_hours = AllScopes(absl::Hours(2));
  for (int i = 0; i < 10; ++i) {
    model.Claim(absl::StrCat("w", i), 50 + i, i % 2, i % 3, kStart + absl::Minutes(10 * i), hourly);
  }
  const absl::Time now = kStart + absl::Minutes(95);
  model.Claim("two-hours", 5, 0, 1, now, two_hours);  // counts all ten and itself
  model.ExpectModel(two_hours, now);
  model.ExpectModel(hourly, now);
  model.Claim("hourly-again", 6, 1, 0, now + absl::Minutes(20), hourly);
  model.ExpectModel(hourly, now + absl::Minutes(20));
  model.ExpectModel(two_hours, now + absl::Minutes(20));
}

// A reservation given back after it left a total's window is no longer in that total: taking
// it out again would count it twice (and could go negative). Moving back in time must not
// count it again either.
TEST_P(LimitContractTest, AGiveBackAfterTheWindowMovedOnTakesNothingTwice) {
  Model model(store_.get());
  const std::vector<LimitRule> hourly = AllScopes(absl::Hours(1));
  const std::vector<LimitRule> daily = AllScopes(absl::Hours(24));
  std::vector<LimitRule> both = hourly;
  both.insert(both.end(), daily.begin(), daily.end());
  for (const char* key : {"released", "refused", "failed"}) {
    model.Claim(key, 1000, 0, 0, kStart, both);
  }
  const absl::Time later = kStart + absl::Hours(2);
  model.Claim("later", 1, 0, 0, later, both);  // the hourly totals moved past the three
  model.ExpectModel(both, later);

  const RecordKey released{kCaller, "CreatePayout", "released"};
  ASSERT_TRUE(store_->Release(released, "instance-a").ok());
  model.GaveBack("released");
  IdempotencyRecord error;
  error.status_code = 9;
  ASSERT_TRUE(store_->Complete({kCaller, "CreatePayout", "refused"}, "instance-a", error).ok());
  model.GaveBack("refused");
  payments::v1::Payout payout;
  payout.set_id("fintoc.payout.failed");
  payout.set_provider(payments::v1::PROVIDER_FINTOC);
  payout.set_status(payments::v1::PAYOUT_STATUS_FAILED);
  ASSERT_TRUE(store_->SavePayout({kCaller, payout}).ok());
  model.GaveBack("failed");
  // Given back twice (an error answer after the FAILED payout): taken out once.
  ASSERT_TRUE(store_->Complete({kCaller, "CreatePayout", "failed"}, "instance-a", error).ok());

  model.ExpectModel(both, later);
  model.Claim("later-2", 2, 0, 0, later + absl::Minutes(1), both);
  model.ExpectModel(both, later + absl::Minutes(1));
  model.Claim("back", 3, 0, 0, kStart + absl::Minutes(30), both);  // the three are in the window
  model.ExpectModel(both, kStart + absl::Minutes(30));
}

// A sweep drops the totals that may have counted swept reservations (their horizon is before
// the sweep's cutoff): kept, the next move forward could not take the swept ones out again.
TEST_P(LimitContractTest, TotalsStayExactAcrossASweep) {
  Model model(store_.get());
  const std::vector<LimitRule> longest = AllScopes(kLongestLimitWindow);
  model.Claim("ancient", 5, 0, 0, kStart - kLongestLimitWindow - absl::Hours(2), longest);
  model.Claim("old", 7, 0, 0, kStart - kLongestLimitWindow - absl::Hours(1), longest);
  ASSERT_TRUE(store_->SweepExpired(kStart).ok());  // both reservations go
  model.Claim("now", 11, 0, 0, kStart, longest);
  model.ExpectModel(longest, kStart);
  model.ExpectModel(AllScopes(absl::Hours(1)), kStart);
}

// Claims and give-backs racing on one caller's limit: the limit is never passed, and at the end
// the totals equal a full sum (a limit of a window no claim used is summed afresh).
TEST_P(LimitContractTest, ReleasesRacingClaimsLeaveTotalsEqualToAFullSum) {
  constexpr int kThreads = 8;
  constexpr int kClaimsPerThread = 25;
  constexpr int64_t kMaxCount = 20;
  LimitRule limited = RuleOf(LimitScope::kCaller, absl::Hours(1), "limited");
  limited.max_count = kMaxCount;
  const std::vector<LimitRule> rules = {limited, RuleOf(LimitScope::kSourceAccount, absl::Hours(1)),
                                        RuleOf(LimitScope::kDestination, absl::Hours(1))};
  std::atomic<int> errors{0};
  absl::Mutex mu;
  int64_t kept_count = 0, kept_amount = 0;
  std::vector<std::thread> threads;
  const Model requests(store_.get());
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kClaimsPerThread; ++i) {
        const std::string key = absl::StrCat("race-", t, "-", i);
        const int64_t amount = 1 + t * 100 + i;
        auto result =
            store_->Claim(requests.Request(key, amount, kAccounts[t % 2], kClabes[i % 3], rules),
                          kStart + absl::Microseconds(i));
        if (!result.ok()) {
          ++errors;
          continue;
        }
        if (result->outcome != ClaimOutcome::kClaimed) continue;
        if (result->usage.empty() || result->usage[0].used_count > kMaxCount) ++errors;
        if (i % 3 == 0) {  // every third one is released again
          if (!store_->Release({kCaller, "CreatePayout", key}, "instance-a").ok()) ++errors;
          continue;
        }
        absl::MutexLock lock(&mu);
        ++kept_count;
        kept_amount += amount;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  const absl::Time end = kStart + absl::Microseconds(kClaimsPerThread);
  auto used = store_->SpendUsage(SpendQuery{kCaller, limited, ""}, end);
  ASSERT_TRUE(used.ok()) << used.status();
  EXPECT_EQ(used->used_count, kept_count);
  EXPECT_EQ(used->used_amount_minor, kept_amount);
  EXPECT_LE(kept_count, kMaxCount);
  LimitRule fresh = limited;
  fresh.window += absl::Seconds(1);  // no total yet: one full sum
  fresh.max_count = -1;
  auto summed = store_->SpendUsage(SpendQuery{kCaller, fresh, ""}, end);
  ASSERT_TRUE(summed.ok()) << summed.status();
  EXPECT_EQ(summed->used_count, used->used_count);
  EXPECT_EQ(summed->used_amount_minor, used->used_amount_minor);
  // And once more after a claim moved the totals on.
  auto last = store_->Claim(requests.Request("last", 1, kAccounts[0], kClabes[0], {fresh}),
                            end + absl::Seconds(1));
  ASSERT_TRUE(last.ok()) << last.status();
  ASSERT_EQ(last->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(last->usage[0].used_count, kept_count + 1);
  EXPECT_EQ(last->usage[0].used_amount_minor, kept_amount + 1);
}

}  // namespace
}  // namespace idempotency
