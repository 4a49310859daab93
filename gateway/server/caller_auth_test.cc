#include "gateway/server/caller_auth.h"

#include "gtest/gtest.h"

namespace gateway {
namespace {

TEST(CallerAuthenticatorTest, ParsesCallersAndRefusesBadLinesWithoutShowingTokens) {
  auto auth = CallerAuthenticator::FromText(
      "# internal services\nbilling: tok-billing-0123456789\n\npayroll : tok-payroll-0123456789\n");
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_TRUE((*auth)->enabled());
  EXPECT_FALSE(CallerAuthenticator().enabled());
  for (const char* bad :
       {"billing tok-billing-0123456789", "billing: short", ": tok-0123456789abcdef",
        "a: tok-0123456789abcdef\nb: tok-0123456789abcdef"}) {
    auto parsed = CallerAuthenticator::FromText(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().message().find("tok-"), absl::string_view::npos);
  }
  // Two tokens for one caller: both valid while the caller's service rolls over.
  EXPECT_TRUE(
      CallerAuthenticator::FromText("a: tok-0123456789abcdef\na: tok-fedcba9876543210\n").ok());
}

}  // namespace
}  // namespace gateway
