#include "gateway/policy/caller_policy.h"

#include "gtest/gtest.h"

namespace gateway {
namespace {

CallerPolicy WithAccounts(std::vector<std::string> patterns) {
  CallerPolicy policy;
  policy.caller = "checkout";
  policy.source_accounts = std::move(patterns);
  return policy;
}

TEST(CallerPolicyTest, OperationNamesRoundTrip) {
  for (PolicyOperation operation : {PolicyOperation::kPayouts, PolicyOperation::kRefunds,
                                    PolicyOperation::kAccounts, PolicyOperation::kCounterparties}) {
    PolicyOperation back;
    ASSERT_TRUE(ParsePolicyOperation(PolicyOperationName(operation), &back));
    EXPECT_EQ(back, operation);
  }
  EXPECT_EQ(PolicyOperationName(PolicyOperation::kPayouts), "payouts");
  EXPECT_EQ(PolicyOperationName(PolicyOperation::kRefunds), "refunds");
  EXPECT_EQ(PolicyOperationName(PolicyOperation::kAccounts), "accounts");
  EXPECT_EQ(PolicyOperationName(PolicyOperation::kCounterparties), "counterparties");
  PolicyOperation ignored;
  EXPECT_FALSE(ParsePolicyOperation("Payouts", &ignored));
  EXPECT_FALSE(ParsePolicyOperation("", &ignored));
}

TEST(CallerPolicyTest, ScopeNamesRoundTrip) {
  using idempotency::LimitScope;
  for (LimitScope scope :
       {LimitScope::kCaller, LimitScope::kSourceAccount, LimitScope::kDestination}) {
    LimitScope back;
    ASSERT_TRUE(ParseLimitScope(LimitScopeName(scope), &back));
    EXPECT_EQ(back, scope);
  }
  EXPECT_EQ(LimitScopeName(LimitScope::kSourceAccount), "source_account");
  LimitScope ignored;
  EXPECT_FALSE(ParseLimitScope("account", &ignored));
}

TEST(CallerPolicyTest, AllowsOnlyListedOperations) {
  CallerPolicy policy;
  policy.operations = {PolicyOperation::kPayouts};
  EXPECT_TRUE(policy.Allows(PolicyOperation::kPayouts));
  EXPECT_FALSE(policy.Allows(PolicyOperation::kRefunds));
  EXPECT_FALSE(policy.Allows(PolicyOperation::kAccounts));
  EXPECT_FALSE(CallerPolicy().Allows(PolicyOperation::kPayouts));
}

TEST(CallerPolicyTest, ExactIdsMatchOnlyThemselves) {
  CallerPolicy policy = WithAccounts({"fintoc.acct.acc_123"});
  EXPECT_TRUE(policy.AllowsAccount("fintoc.acct.acc_123"));
  EXPECT_FALSE(policy.AllowsAccount("fintoc.acct.acc_1234"));
  EXPECT_FALSE(policy.AllowsAccount("fintoc.acct.acc_12"));
  EXPECT_FALSE(policy.AllowsAccount("xfintoc.acct.acc_123"));
  EXPECT_FALSE(policy.AllowsAccount(""));
}

TEST(CallerPolicyTest, StarMatchesAnyRunOfCharacters) {
  CallerPolicy policy = WithAccounts({"monato.acct.*"});
  EXPECT_TRUE(policy.AllowsAccount("monato.acct.123"));
  EXPECT_TRUE(policy.AllowsAccount("monato.acct."));       // the run may be empty
  EXPECT_TRUE(policy.AllowsAccount("monato.acct.a.b/c"));  // dots and slashes too
  EXPECT_FALSE(policy.AllowsAccount("monato.acct"));
  EXPECT_FALSE(policy.AllowsAccount("fintoc.acct.123"));
  EXPECT_FALSE(policy.AllowsAccount("xmonato.acct.123"));
}

TEST(CallerPolicyTest, StarsAnywhereInThePattern) {
  CallerPolicy middle = WithAccounts({"*.acct.acc_*9"});
  EXPECT_TRUE(middle.AllowsAccount("fintoc.acct.acc_9"));
  EXPECT_TRUE(middle.AllowsAccount("fintoc.acct.acc_1999"));
  EXPECT_FALSE(middle.AllowsAccount("fintoc.acct.acc_98"));
  EXPECT_FALSE(middle.AllowsAccount("fintoc.cpty.acc_9"));
  CallerPolicy everything = WithAccounts({"*"});
  EXPECT_TRUE(everything.AllowsAccount("monato.acct.1"));
  EXPECT_FALSE(everything.AllowsAccount(""));  // no account is never an account
  CallerPolicy doubled = WithAccounts({"monato.**.1"});
  EXPECT_TRUE(doubled.AllowsAccount("monato.acct.1"));
  EXPECT_FALSE(doubled.AllowsAccount("monato.acct.12"));
}

TEST(CallerPolicyTest, OtherGlobCharactersAreLiteral) {
  // Patterns are validated to [A-Za-z0-9._*-]; an id with ? or [ matches only itself.
  CallerPolicy policy = WithAccounts({"a?c"});
  EXPECT_TRUE(policy.AllowsAccount("a?c"));
  EXPECT_FALSE(policy.AllowsAccount("abc"));
}

TEST(CallerPolicyTest, AnyOfSeveralPatterns) {
  CallerPolicy policy = WithAccounts({"monato.acct.*", "fintoc.acct.acc_123"});
  EXPECT_TRUE(policy.AllowsAccount("monato.acct.9"));
  EXPECT_TRUE(policy.AllowsAccount("fintoc.acct.acc_123"));
  EXPECT_FALSE(policy.AllowsAccount("fintoc.acct.acc_9"));
  EXPECT_FALSE(WithAccounts({}).AllowsAccount("monato.acct.9"));
}

TEST(CallerPolicyTest, ManyStarsStayFast) {
  // A backtracking matcher would take exponential time here.
  CallerPolicy policy = WithAccounts({"*a*a*a*a*a*a*a*a*a*a*a*a*b"});
  EXPECT_FALSE(policy.AllowsAccount(std::string(200, 'a')));
}

}  // namespace
}  // namespace gateway
