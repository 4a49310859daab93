#include "gateway/cli/limits_table.h"

#include <cstdint>
#include <limits>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace gateway {
namespace {

TEST(FormatMinorUnitsTest, PesosWithTwoDecimalsForEveryInt64) {
  EXPECT_EQ(FormatMinorUnits(0), "0.00");
  EXPECT_EQ(FormatMinorUnits(5), "0.05");
  EXPECT_EQ(FormatMinorUnits(195), "1.95");
  EXPECT_EQ(FormatMinorUnits(1000000), "10000.00");
  EXPECT_EQ(FormatMinorUnits(-5), "-0.05");
  EXPECT_EQ(FormatMinorUnits(std::numeric_limits<int64_t>::max()), "92233720368547758.07");
  EXPECT_EQ(FormatMinorUnits(std::numeric_limits<int64_t>::min()), "-92233720368547758.08");
}

payments::v1::LimitStatus Limit(const std::string& name, const std::string& scope,
                                int64_t window_seconds) {
  payments::v1::LimitStatus limit;
  limit.set_name(name);
  limit.set_scope(scope);
  limit.mutable_window()->set_seconds(window_seconds);
  limit.mutable_used_amount()->set_currency("MXN");
  return limit;
}

TEST(FormatCallerLimitsTest, PolicyHeaderAndOneRowPerLimit) {
  payments::v1::CallerLimits limits;
  limits.set_caller("payroll");
  limits.set_policies_enabled(true);
  limits.add_operations("payouts");
  limits.add_operations("refunds");
  limits.add_source_accounts("monato.acct.1");
  limits.add_source_accounts("fintoc.acct.*");
  limits.mutable_max_per_payout()->set_amount_minor(500000);
  limits.mutable_max_per_payout()->set_currency("MXN");
  auto daily = Limit("daily-total", "caller", 86400);
  daily.mutable_max_amount()->set_amount_minor(1000000);
  daily.mutable_used_amount()->set_amount_minor(1950);
  daily.set_max_count(50);
  daily.set_used_count(1);
  *limits.add_limits() = daily;
  auto per_account = Limit("per-account", "source_account", 3600);
  per_account.set_scope_value("monato.acct.1");
  per_account.set_max_count(0);  // zero is a maximum, not "none"
  *limits.add_limits() = per_account;
  *limits.add_limits() = Limit("per-clabe", "destination", 86400);

  const std::string text = FormatCallerLimits(limits);
  EXPECT_TRUE(absl::StrContains(text, "caller: payroll\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "policies: enabled\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "operations: payouts, refunds\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "source accounts: monato.acct.1, fintoc.acct.*\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "max per payout: 5000.00 MXN\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "limit        per             window  used/allowed amount"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "daily-total  caller          24h     19.50/10000.00 MXN"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "1/50")) << text;
  EXPECT_TRUE(absl::StrContains(text, "0.00/- MXN           0/0                 monato.acct.1"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "0/-                 (ask with --destination)")) << text;
}

TEST(FormatCallerLimitsTest, AnOpenGatewaySaysSo) {
  payments::v1::CallerLimits limits;
  const std::string text = FormatCallerLimits(limits);
  EXPECT_TRUE(absl::StrContains(text, "caller: (anonymous)\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "policies: not enabled")) << text;
  EXPECT_FALSE(absl::StrContains(text, "used/allowed")) << text;
}

TEST(FormatCallerLimitsTest, AnEmptyPolicyShowsNothingGranted) {
  payments::v1::CallerLimits limits;
  limits.set_caller("stranger");
  limits.set_policies_enabled(true);
  const std::string text = FormatCallerLimits(limits);
  EXPECT_TRUE(absl::StrContains(text, "operations: none\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "source accounts: none\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "max per payout: no maximum\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "limits: none\n")) << text;
}

}  // namespace
}  // namespace gateway
