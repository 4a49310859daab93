#include "vocabulary/error_details.h"

#include "gtest/gtest.h"

namespace gateway {
namespace {

absl::Status QuotaStatus() {
  absl::Status status = absl::ResourceExhaustedError("limit reached");
  status = WithQuotaViolation(status, "caller:checkout", "limit \"daily-total\": 0 left");
  status = WithQuotaViolation(status, "destination:**1234", "limit \"per-customer\": 0 left");
  return WithReason(status, "CALLER_LIMIT_REACHED", {{"limit", "daily-total"}});
}

TEST(ErrorDetailsTest, QuotaViolationsAccumulate) {
  absl::Status status = QuotaStatus();
  auto violations = QuotaViolationsOf(status);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].subject(), "caller:checkout");
  EXPECT_EQ(violations[0].description(), "limit \"daily-total\": 0 left");
  EXPECT_EQ(violations[1].subject(), "destination:**1234");
  EXPECT_TRUE(status.GetPayload(kQuotaFailureTypeUrl).has_value());
  EXPECT_TRUE(QuotaViolationsOf(absl::ResourceExhaustedError("x")).empty());
}

TEST(ErrorDetailsTest, QuotaFailureAndErrorInfoSurviveEncodeAndDecode) {
  absl::Status status = QuotaStatus();
  const std::string details = EncodeStatusDetails(status);
  ASSERT_FALSE(details.empty());
  absl::Status back = DecodeStatus(static_cast<int>(status.code()), status.message(), details);
  EXPECT_EQ(back.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(back.message(), "limit reached");
  auto violations = QuotaViolationsOf(back);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[1].description(), "limit \"per-customer\": 0 left");
  EXPECT_EQ(ReasonOf(back), "CALLER_LIMIT_REACHED");
  EXPECT_EQ(ReasonMetadataOf(back).at("limit"), "daily-total");
}

TEST(ErrorDetailsTest, ReasonMetadataIsEmptyWithoutErrorInfo) {
  EXPECT_TRUE(ReasonMetadataOf(absl::PermissionDeniedError("no")).empty());
  auto metadata = ReasonMetadataOf(
      WithReason(absl::PermissionDeniedError("no"), "ACCOUNT_NOT_ALLOWED", {{"caller", "c"}}));
  EXPECT_EQ(metadata.size(), 1u);
  EXPECT_EQ(metadata.at("caller"), "c");
}

}  // namespace
}  // namespace gateway
