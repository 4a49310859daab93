#include "gateway/process/start_failure.h"

#include "gtest/gtest.h"

namespace gateway {
namespace {

TEST(StartFailureTest, CarriesTheStepAndKeepsTheStatus) {
  const absl::Status status =
      StartStepFailed("store_unavailable", absl::UnavailableError("no such file"));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "no such file");
  const StartFailure failure = DescribeStartFailure(status);
  EXPECT_EQ(failure.event, "store_unavailable");
  EXPECT_EQ(failure.exit_code, 2);
}

TEST(StartFailureTest, AnUnboundGrpcPortExitsOne) {
  EXPECT_EQ(
      DescribeStartFailure(StartStepFailed("listen_failed", absl::InternalError("x"))).exit_code,
      1);
}

TEST(StartFailureTest, AnUnmarkedStatusIsAGenericStartFailure) {
  const StartFailure failure = DescribeStartFailure(absl::InternalError("x"));
  EXPECT_EQ(failure.event, "start_failed");
  EXPECT_EQ(failure.exit_code, 2);
}

}  // namespace
}  // namespace gateway
