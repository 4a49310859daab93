#include "vocabulary/status_macros.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace gateway {
namespace {

absl::Status Check(bool ok, int* calls) {
  ++*calls;
  return ok ? absl::OkStatus() : absl::NotFoundError("missing");
}

absl::Status TwoChecks(bool first, bool second, int* calls) {
  RETURN_IF_ERROR(Check(first, calls));
  RETURN_IF_ERROR(Check(second, calls));
  return absl::OkStatus();
}

TEST(StatusMacrosTest, ReturnIfErrorStopsAtTheFirstErrorAndEvaluatesOnce) {
  int calls = 0;
  EXPECT_TRUE(TwoChecks(true, true, &calls).ok());
  EXPECT_EQ(calls, 2);
  calls = 0;
  EXPECT_EQ(TwoChecks(false, true, &calls), absl::NotFoundError("missing"));
  EXPECT_EQ(calls, 1);
  calls = 0;
  EXPECT_EQ(TwoChecks(true, false, &calls).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(calls, 2);
}

absl::StatusOr<std::unique_ptr<std::string>> Make(bool ok, const std::string& text) {
  if (!ok) return absl::InvalidArgumentError(text);
  return std::make_unique<std::string>(text);
}

// Two declarations in one function (distinct hidden names) and a move-only value.
absl::StatusOr<std::string> Joined(bool first, bool second) {
  ASSIGN_OR_RETURN(auto a, Make(first, "a"));
  ASSIGN_OR_RETURN(std::unique_ptr<std::string> b, Make(second, "b"));
  return *a + *b;
}

TEST(StatusMacrosTest, AssignOrReturnMovesTheValueOrReturnsTheStatus) {
  EXPECT_EQ(*Joined(true, true), "ab");
  EXPECT_EQ(Joined(false, true).status(), absl::InvalidArgumentError("a"));
  EXPECT_EQ(Joined(true, false).status(), absl::InvalidArgumentError("b"));
}

absl::Status AssignsToAnExistingVariable(std::string* out) {
  std::unique_ptr<std::string> value;
  ASSIGN_OR_RETURN(value, Make(true, "x"));
  *out = *value;
  return absl::OkStatus();
}

TEST(StatusMacrosTest, AssignOrReturnAssignsToAnExistingVariable) {
  std::string out;
  ASSERT_TRUE(AssignsToAnExistingVariable(&out).ok());
  EXPECT_EQ(out, "x");
}

}  // namespace
}  // namespace gateway
