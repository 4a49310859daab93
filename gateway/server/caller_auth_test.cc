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

// A configured callers file that names nobody must not turn authentication off (every call
// would become caller "").
TEST(CallerAuthenticatorTest, RefusesAFileWithNoToken) {
  for (const char* empty : {"", "\n\n", "# nobody yet\n", "  # a comment\n\n   \n# another\n"}) {
    auto parsed = CallerAuthenticator::FromText(empty);
    EXPECT_FALSE(parsed.ok()) << "\"" << empty << "\"";
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_NE(parsed.status().message().find("no caller token"), absl::string_view::npos)
          << parsed.status();
    }
  }
}

}  // namespace
}  // namespace gateway
