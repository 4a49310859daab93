#include "gateway/policy/policy_book.h"

#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gateway {
namespace {

using idempotency::LimitScope;
using testing::AllOf;
using testing::HasSubstr;
using testing::Not;

// Two services: checkout pays customers from one Monato account; treasury moves larger
// amounts between the company's own accounts and may open accounts and register destinations.
constexpr char kTwoServices[] = R"yaml(
policies:
  - caller: checkout                 # from the callers file
    operations: [payouts, refunds]
    source_accounts: ["monato.acct.0b6f7c2e"]
    currency: MXN
    max_per_payout_minor: 5000000    # MXN 50,000.00
    limits:
      - name: daily-total
        per: caller
        window: 24h
        max_amount_minor: 100000000
        max_count: 5000
      - name: per-customer
        per: destination
        window: 24h
        max_amount_minor: 2000000
        max_count: 3
  - caller: treasury
    operations: [payouts, accounts, counterparties]
    source_accounts: ["monato.acct.*", "fintoc.acct.acc_123"]
    limits:
      - name: per-account-hourly
        per: source_account
        window: 1h30m
        max_amount_minor: 1000000000
)yaml";

absl::Status Refusal(const std::string& text) {
  auto book = PolicyBook::FromYaml(text);
  return book.ok() ? absl::OkStatus() : book.status();
}

// A one-caller file with `line` added to the policy (indented as its keys).
std::string PolicyWith(const std::string& line) {
  return absl::StrCat("policies:\n  - caller: checkout\n    ", line, "\n");
}

// A one-limit file with `line` replaced into a valid limit.
std::string LimitWith(const std::string& per, const std::string& window,
                      const std::string& maxima) {
  return absl::StrCat(
      "policies:\n  - caller: checkout\n    limits:\n      - name: daily\n        per: ", per,
      "\n        window: ", window, "\n", maxima);
}

constexpr char kAmount[] = "        max_amount_minor: 100\n";

MATCHER_P(RefusedWith, text, "") {
  return arg.code() == absl::StatusCode::kInvalidArgument &&
         testing::ExplainMatchResult(HasSubstr(text), std::string(arg.message()), result_listener);
}

TEST(PolicyBookTest, ParsesTwoServices) {
  auto book = PolicyBook::FromYaml(kTwoServices);
  ASSERT_TRUE(book.ok()) << book.status();
  EXPECT_TRUE((*book)->enabled());

  auto checkout = (*book)->For("checkout");
  ASSERT_NE(checkout, nullptr);
  EXPECT_EQ(checkout->caller, "checkout");
  EXPECT_TRUE(checkout->Allows(PolicyOperation::kPayouts));
  EXPECT_TRUE(checkout->Allows(PolicyOperation::kRefunds));
  EXPECT_FALSE(checkout->Allows(PolicyOperation::kAccounts));
  EXPECT_FALSE(checkout->Allows(PolicyOperation::kCounterparties));
  EXPECT_TRUE(checkout->AllowsAccount("monato.acct.0b6f7c2e"));
  EXPECT_FALSE(checkout->AllowsAccount("monato.acct.other"));
  EXPECT_EQ(checkout->currency, "MXN");
  EXPECT_EQ(checkout->max_per_payout_minor, 5000000);
  ASSERT_EQ(checkout->limits.size(), 2u);
  EXPECT_EQ(checkout->limits[0].name, "daily-total");
  EXPECT_EQ(checkout->limits[0].scope, LimitScope::kCaller);
  EXPECT_EQ(checkout->limits[0].window, absl::Hours(24));
  EXPECT_EQ(checkout->limits[0].currency, "MXN");
  EXPECT_EQ(checkout->limits[0].max_amount_minor, 100000000);
  EXPECT_EQ(checkout->limits[0].max_count, 5000);
  EXPECT_EQ(checkout->limits[1].name, "per-customer");
  EXPECT_EQ(checkout->limits[1].scope, LimitScope::kDestination);
  EXPECT_EQ(checkout->limits[1].max_count, 3);

  auto treasury = (*book)->For("treasury");
  ASSERT_NE(treasury, nullptr);
  EXPECT_TRUE(treasury->Allows(PolicyOperation::kAccounts));
  EXPECT_TRUE(treasury->Allows(PolicyOperation::kCounterparties));
  EXPECT_FALSE(treasury->Allows(PolicyOperation::kRefunds));
  EXPECT_TRUE(treasury->AllowsAccount("monato.acct.anything"));
  EXPECT_TRUE(treasury->AllowsAccount("fintoc.acct.acc_123"));
  EXPECT_FALSE(treasury->AllowsAccount("fintoc.acct.acc_9"));
  EXPECT_EQ(treasury->max_per_payout_minor, -1);  // no maximum
  ASSERT_EQ(treasury->limits.size(), 1u);
  EXPECT_EQ(treasury->limits[0].scope, LimitScope::kSourceAccount);
  EXPECT_EQ(treasury->limits[0].window, absl::Minutes(90));
  EXPECT_EQ(treasury->limits[0].max_count, -1);  // no maximum

  auto all = (*book)->All();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->caller, "checkout");  // by caller name
  EXPECT_EQ(all[1]->caller, "treasury");
}

TEST(PolicyBookTest, TheExampleFileParses) {
  std::ifstream in("config/policies.example.yaml");
  ASSERT_TRUE(in) << "config/policies.example.yaml";
  std::stringstream text;
  text << in.rdbuf();
  auto book = PolicyBook::FromYaml(text.str());
  ASSERT_TRUE(book.ok()) << book.status();
  auto checkout = (*book)->For("checkout");
  EXPECT_TRUE(checkout->Allows(PolicyOperation::kPayouts));
  EXPECT_FALSE(checkout->Allows(PolicyOperation::kRefunds));
  EXPECT_EQ(checkout->source_accounts.size(), 1u);
  EXPECT_FALSE(checkout->limits.empty());
  bool per_destination = false;
  for (const auto& limit : checkout->limits) {
    per_destination |= limit.scope == LimitScope::kDestination;
  }
  EXPECT_TRUE(per_destination);
  auto treasury = (*book)->For("treasury");
  EXPECT_TRUE(treasury->Allows(PolicyOperation::kAccounts));
  EXPECT_TRUE(treasury->Allows(PolicyOperation::kCounterparties));
  EXPECT_TRUE(treasury->AllowsAccount("monato.acct.anything"));
  EXPECT_GT(treasury->max_per_payout_minor, checkout->max_per_payout_minor);
  EXPECT_TRUE((*book)->For("reporting")->operations.empty());  // not named: nothing
}

TEST(PolicyBookTest, OpenBookHasNoPolicies) {
  PolicyBook open;
  EXPECT_FALSE(open.enabled());
  EXPECT_TRUE(open.All().empty());
  EXPECT_EQ(open.For("checkout"), nullptr);
  EXPECT_EQ(open.For(""), nullptr);
}

TEST(PolicyBookTest, UnknownCallerGetsNothing) {
  auto book = PolicyBook::FromYaml(kTwoServices);
  ASSERT_TRUE(book.ok()) << book.status();
  for (const std::string caller : {"stranger", "", "Checkout"}) {
    auto policy = (*book)->For(caller);
    ASSERT_NE(policy, nullptr) << caller;
    EXPECT_EQ(policy->caller, caller);
    EXPECT_TRUE(policy->operations.empty());
    EXPECT_TRUE(policy->source_accounts.empty());
    EXPECT_TRUE(policy->limits.empty());
    EXPECT_FALSE(policy->Allows(PolicyOperation::kPayouts));
    EXPECT_FALSE(policy->AllowsAccount("monato.acct.0b6f7c2e"));
  }
}

TEST(PolicyBookTest, AMinimalPolicyGrantsNothingButReads) {
  auto book = PolicyBook::FromYaml("policies:\n  - caller: auditor\n");
  ASSERT_TRUE(book.ok()) << book.status();
  auto auditor = (*book)->For("auditor");
  ASSERT_NE(auditor, nullptr);
  EXPECT_TRUE(auditor->operations.empty());
  EXPECT_EQ(auditor->max_per_payout_minor, -1);
}

TEST(PolicyBookTest, ReplaceSwapsWholeAndKeepsOldSnapshots) {
  PolicyBook book;
  auto first = PolicyBook::FromYaml(kTwoServices);
  ASSERT_TRUE(first.ok()) << first.status();
  book.Replace(std::move(**first));
  auto before = book.For("checkout");
  ASSERT_NE(before, nullptr);
  EXPECT_TRUE(before->Allows(PolicyOperation::kPayouts));

  auto second =
      PolicyBook::FromYaml("policies:\n  - caller: treasury\n    operations: [refunds]\n");
  ASSERT_TRUE(second.ok()) << second.status();
  book.Replace(std::move(**second));
  EXPECT_TRUE(book.enabled());
  EXPECT_FALSE(book.For("checkout")->Allows(PolicyOperation::kPayouts));  // now unknown
  EXPECT_TRUE(book.For("treasury")->Allows(PolicyOperation::kRefunds));
  // A snapshot taken before the swap stays valid and unchanged.
  EXPECT_TRUE(before->Allows(PolicyOperation::kPayouts));
  EXPECT_EQ(before->limits.size(), 2u);

  book.Replace(PolicyBook());  // back to open
  EXPECT_FALSE(book.enabled());
  EXPECT_EQ(book.For("treasury"), nullptr);
}

TEST(PolicyBookTest, ReadersAndReplacersRace) {
  auto first = PolicyBook::FromYaml(kTwoServices);
  ASSERT_TRUE(first.ok());
  PolicyBook book;
  book.Replace(std::move(**first));
  std::thread writer([&] {
    for (int i = 0; i < 200; ++i) {
      auto next = PolicyBook::FromYaml(i % 2 ? kTwoServices : "policies:\n  - caller: checkout\n");
      ASSERT_TRUE(next.ok());
      book.Replace(std::move(**next));
    }
  });
  for (int i = 0; i < 2000; ++i) {
    auto policy = book.For("checkout");
    ASSERT_NE(policy, nullptr);
    EXPECT_EQ(policy->caller, "checkout");
    // A snapshot is one whole policy: either the full one or the empty one, never half.
    EXPECT_EQ(policy->limits.size(), policy->operations.empty() ? 0u : 2u);
  }
  writer.join();
}

TEST(PolicyBookTest, RefusesAFileWithNoPolicies) {
  EXPECT_THAT(Refusal(""), RefusedWith("names no caller"));
  EXPECT_THAT(Refusal("# nothing\n"), RefusedWith("names no caller"));
  EXPECT_THAT(Refusal("policies: []\n"), RefusedWith("policies is empty"));
  EXPECT_THAT(Refusal("policies:\n"), RefusedWith("policies must be a list"));
  EXPECT_THAT(Refusal("{}\n"), RefusedWith("names no caller"));
}

TEST(PolicyBookTest, RefusesWrongShapesAtTheTop) {
  EXPECT_THAT(Refusal("- caller: checkout\n"), RefusedWith("must be a mapping"));
  EXPECT_THAT(Refusal("policies: checkout\n"), RefusedWith("policies must be a list"));
  EXPECT_THAT(Refusal("policies:\n  - checkout\n"), RefusedWith("policies[0] must be a mapping"));
  EXPECT_THAT(Refusal("policies: [\n"), RefusedWith("is not valid YAML"));
  EXPECT_THAT(Refusal("policies:\n  - caller: a\ncallers: []\n"),
              RefusedWith("key \"callers\" is unknown"));
}

TEST(PolicyBookTest, RefusesUnknownKeysNamingTheCaller) {
  EXPECT_THAT(Refusal(PolicyWith("max_per_payout: 5")),
              AllOf(RefusedWith("caller \"checkout\" (policies[0])"),
                    RefusedWith("key \"max_per_payout\" is unknown")));
  EXPECT_THAT(Refusal(LimitWith("caller", "24h", "        max_amount: 100\n")),
              AllOf(RefusedWith("caller \"checkout\""), RefusedWith("key \"max_amount\"")));
}

TEST(PolicyBookTest, RefusesARepeatedKey) {
  EXPECT_THAT(Refusal("policies:\n  - caller: checkout\n    operations: [payouts]\n"
                      "    operations: [refunds]\n"),
              RefusedWith("operations appears twice"));
}

TEST(PolicyBookTest, RefusesMissingOrEmptyCallers) {
  EXPECT_THAT(Refusal("policies:\n  - operations: [payouts]\n"),
              RefusedWith("policies[0], caller is missing"));
  EXPECT_THAT(Refusal("policies:\n  - caller: \"\"\n"), RefusedWith("caller must not be empty"));
  EXPECT_THAT(Refusal("policies:\n  - caller:\n"), RefusedWith("caller has no value"));
  EXPECT_THAT(Refusal("policies:\n  - caller: [a, b]\n"),
              RefusedWith("caller must be a single value"));
  EXPECT_THAT(Refusal("policies:\n  - caller: \" padded\"\n"),
              RefusedWith("must not start or end with a space"));
  EXPECT_THAT(Refusal(absl::StrCat("policies:\n  - caller: ", std::string(500, 'c'), "\n")),
              AllOf(RefusedWith("longer than 128"), Not(RefusedWith(std::string(50, 'c')))));
}

TEST(PolicyBookTest, RefusesADuplicateCaller) {
  EXPECT_THAT(
      Refusal("policies:\n  - caller: checkout\n  - caller: treasury\n"
              "  - caller: checkout\n"),
      AllOf(RefusedWith("caller \"checkout\" (policies[2])"), RefusedWith("has a policy already")));
}

TEST(PolicyBookTest, RefusesUnknownOrRepeatedOperations) {
  EXPECT_THAT(Refusal(PolicyWith("operations: [payouts, transfers]")),
              AllOf(RefusedWith("operations[1]"), RefusedWith("\"transfers\" is no operation")));
  EXPECT_THAT(Refusal(PolicyWith("operations: [Payouts]")), RefusedWith("is no operation"));
  EXPECT_THAT(Refusal(PolicyWith("operations: payouts")), RefusedWith("operations must be a list"));
  EXPECT_THAT(Refusal(PolicyWith("operations: [payouts, payouts]")),
              RefusedWith("operations[1] repeats an operation"));
  EXPECT_THAT(Refusal(PolicyWith("operations: [[payouts]]")),
              RefusedWith("operations[0] must be a single value"));
}

TEST(PolicyBookTest, PatternsAllowOnlyIdCharactersAndStars) {
  EXPECT_TRUE(
      Refusal(PolicyWith("source_accounts: [\"monato.acct.*\", fintoc.acct.acc_1-2]")).ok());
  for (const std::string bad :
       {"monato.acct.?", "monato acct", "monato/acct", "[ab]", "a\\\\b", "acct:1", ""}) {
    EXPECT_THAT(Refusal(PolicyWith(absl::StrCat("source_accounts: [\"", bad, "\"]"))),
                AllOf(RefusedWith("source_accounts[0] must be an account id or a pattern"),
                      RefusedWith("caller \"checkout\"")))
        << bad;
  }
  EXPECT_THAT(Refusal(PolicyWith("source_accounts: [a, b, a]")),
              RefusedWith("source_accounts[2] repeats an account"));
  EXPECT_THAT(Refusal(PolicyWith("source_accounts: monato.acct.*")),
              RefusedWith("source_accounts must be a list"));
  EXPECT_THAT(Refusal(PolicyWith(absl::StrCat("source_accounts: [", std::string(300, 'a'), "]"))),
              AllOf(RefusedWith("must be an account id"), Not(RefusedWith(std::string(50, 'a')))));
}

TEST(PolicyBookTest, RefusesLineBreaksAndNonAsciiAnywhere) {
  EXPECT_THAT(Refusal(PolicyWith("source_accounts: [\"monato.acct.1\\nmonato.acct.2\"]")),
              RefusedWith("must be on one line"));
  EXPECT_THAT(Refusal(PolicyWith("source_accounts: [\"monato.acct.1\\r\"]")),
              RefusedWith("must be on one line"));
  EXPECT_THAT(Refusal("policies:\n  - caller: \"check\\nout\"\n"),
              RefusedWith("must be on one line"));
  EXPECT_THAT(Refusal("policies:\n  - caller: chéckout\n"), RefusedWith("must be ASCII"));
  EXPECT_THAT(Refusal(PolicyWith("currency: MXÑ")), RefusedWith("must be ASCII"));
  EXPECT_THAT(Refusal(PolicyWith("operaciónes: [payouts]")), RefusedWith("must be ASCII"));
  EXPECT_THAT(Refusal("policies:\n  - caller: \"tab\\there\"\n"),
              RefusedWith("has a control character"));
  // Comments may say anything; they are not values.
  EXPECT_TRUE(
      Refusal("# política de pagos\npolicies:\n  - caller: checkout  # el checkout\n").ok());
}

TEST(PolicyBookTest, RefusesCurrenciesOtherThanMxn) {
  EXPECT_TRUE(Refusal(PolicyWith("currency: MXN")).ok());
  EXPECT_THAT(Refusal(PolicyWith("currency: USD")),
              AllOf(RefusedWith("currency must be MXN"), RefusedWith("\"USD\"")));
  EXPECT_THAT(Refusal(PolicyWith("currency: mxn")), RefusedWith("currency must be MXN"));
}

TEST(PolicyBookTest, AmountsAreWholeNonNegativeInt64) {
  EXPECT_TRUE(Refusal(PolicyWith("max_per_payout_minor: 0")).ok());
  EXPECT_TRUE(Refusal(PolicyWith("max_per_payout_minor: 9223372036854775807")).ok());
  for (const std::string bad :
       {"-1", "10.5", "1e3", "\"5000\"", "'5000'", "+5", "0x10", "9223372036854775808",
        "99999999999999999999999", "five", "[5]", "5_000", "1,000", "~", ".inf"}) {
    EXPECT_THAT(Refusal(PolicyWith(absl::StrCat("max_per_payout_minor: ", bad))),
                AllOf(RefusedWith("caller \"checkout\""), RefusedWith("max_per_payout_minor")))
        << bad;
  }
  const std::string huge(5000, '9');
  EXPECT_THAT(Refusal(PolicyWith(absl::StrCat("max_per_payout_minor: ", huge))),
              AllOf(RefusedWith("must be a whole number"), Not(RefusedWith(std::string(50, '9')))));
}

TEST(PolicyBookTest, LimitAmountsAndCountsAreWholeNonNegativeInt64) {
  EXPECT_TRUE(Refusal(LimitWith("caller", "24h", "        max_count: 0\n")).ok());
  for (const std::string key : {"max_amount_minor", "max_count"}) {
    for (const std::string bad : {"-5", "10.5", "1e3", "\"10\"", "18446744073709551616"}) {
      EXPECT_THAT(
          Refusal(LimitWith("caller", "24h", absl::StrCat("        ", key, ": ", bad, "\n"))),
          AllOf(RefusedWith(absl::StrCat("limits[0] (\"daily\").", key)),
                RefusedWith("must be a whole number")))
          << key << " " << bad;
    }
  }
}

TEST(PolicyBookTest, LimitsNeedAMaximum) {
  EXPECT_THAT(Refusal(LimitWith("caller", "24h", "")),
              RefusedWith("limits[0] (\"daily\") needs max_amount_minor, max_count or both"));
  EXPECT_TRUE(Refusal(LimitWith("caller", "24h", "        max_count: 10\n")).ok());
  EXPECT_TRUE(Refusal(LimitWith("caller", "24h", kAmount)).ok());
}

TEST(PolicyBookTest, LimitsNeedANameAScopeAndAWindow) {
  EXPECT_THAT(Refusal("policies:\n  - caller: c\n    limits:\n      - per: caller\n"
                      "        window: 1h\n        max_count: 1\n"),
              RefusedWith("limits[0].name is missing"));
  EXPECT_THAT(Refusal("policies:\n  - caller: c\n    limits:\n      - name: x\n"
                      "        window: 1h\n        max_count: 1\n"),
              RefusedWith("limits[0].per is missing"));
  EXPECT_THAT(Refusal("policies:\n  - caller: c\n    limits:\n      - name: x\n"
                      "        per: caller\n        max_count: 1\n"),
              RefusedWith("limits[0].window is missing"));
  EXPECT_THAT(Refusal("policies:\n  - caller: c\n    limits:\n      - name: \"daily total\"\n"
                      "        per: caller\n        window: 1h\n        max_count: 1\n"),
              RefusedWith("limits[0].name must be 1 to 64 characters"));
  EXPECT_THAT(Refusal(PolicyWith("limits: {name: x}")), RefusedWith("limits must be a list"));
  EXPECT_THAT(Refusal(PolicyWith("limits: [daily]")), RefusedWith("limits[0] must be a mapping"));
}

TEST(PolicyBookTest, RefusesUnknownScopes) {
  EXPECT_TRUE(Refusal(LimitWith("source_account", "24h", kAmount)).ok());
  EXPECT_TRUE(Refusal(LimitWith("destination", "24h", kAmount)).ok());
  for (const std::string bad : {"account", "Caller", "clabe", "[caller]"}) {
    EXPECT_THAT(Refusal(LimitWith(bad, "24h", kAmount)), RefusedWith("limits[0] (\"daily\").per"))
        << bad;
  }
}

TEST(PolicyBookTest, WindowsArePositiveAndAtMost31Days) {
  for (const std::string good : {"1s", "30m", "24h", "1h30m", "744h", "0.5h"}) {
    EXPECT_TRUE(Refusal(LimitWith("caller", good, kAmount)).ok()) << good;
  }
  for (const std::string bad : {"0", "0s", "-1h", "745h", "744h1s", "inf", "24", "1d", "day", ""}) {
    EXPECT_THAT(
        Refusal(LimitWith("caller", bad, kAmount)),
        AllOf(RefusedWith("limits[0] (\"daily\").window"), RefusedWith("caller \"checkout\"")))
        << bad;
  }
}

TEST(PolicyBookTest, RefusesARepeatedLimitNameWithinACaller) {
  const std::string two_limits =
      "policies:\n  - caller: checkout\n    limits:\n"
      "      - {name: daily, per: caller, window: 24h, max_count: 10}\n"
      "      - {name: daily, per: destination, window: 24h, max_count: 2}\n";
  EXPECT_THAT(Refusal(two_limits),
              AllOf(RefusedWith("caller \"checkout\""), RefusedWith("limits[1].name"),
                    RefusedWith("repeats the limit name \"daily\"")));
  // The same name under two callers is fine: every limit belongs to its caller.
  EXPECT_TRUE(Refusal("policies:\n"
                      "  - caller: a\n    limits: [{name: daily, per: caller, window: 24h, "
                      "max_count: 1}]\n"
                      "  - caller: b\n    limits: [{name: daily, per: caller, window: 24h, "
                      "max_count: 1}]\n")
                  .ok());
}

TEST(PolicyBookTest, MessagesNameTheCallerTheKeyAndTheValue) {
  EXPECT_EQ(Refusal(LimitWith("caller", "745h", kAmount)).message(),
            "policies file: caller \"checkout\" (policies[0]), limits[0] (\"daily\").window must "
            "be a duration more than 0 and at most 744h (31 days), like \"24h\" or \"30m\", got "
            "\"745h\"");
}

TEST(PolicyBookTest, LimitsTakeThePolicyCurrency) {
  auto book = PolicyBook::FromYaml(LimitWith("caller", "24h", kAmount));
  ASSERT_TRUE(book.ok()) << book.status();
  EXPECT_EQ((*book)->For("checkout")->limits[0].currency, "MXN");
}

}  // namespace
}  // namespace gateway
