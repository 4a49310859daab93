#include "gateway/server/status_conversion.h"

#include "gtest/gtest.h"
#include "vocabulary/error_details.h"

namespace gateway {
namespace {

TEST(StatusConversionTest, CodeMessageAndDetailsSurviveTheRoundTrip) {
  FieldViolations violations;
  violations.Add("counterparty.clabe", "has a wrong check digit");
  absl::Status status = WithReason(violations.ToStatus(), "INVALID_CLABE");
  grpc::Status wire = ToGrpcStatus(status);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(wire.error_message(), status.message());
  EXPECT_FALSE(wire.error_details().empty());
  absl::Status back = FromGrpcStatus(wire);
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(back).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(back)[0].field(), "counterparty.clabe");
  EXPECT_EQ(ReasonOf(back), "INVALID_CLABE");
}

TEST(StatusConversionTest, EveryCanonicalCodeKeepsItsNumber) {
  for (int code = 0; code <= 16; ++code) {
    absl::Status status(static_cast<absl::StatusCode>(code), code == 0 ? "" : "x");
    EXPECT_EQ(static_cast<int>(ToGrpcStatus(status).error_code()), code);
  }
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).error_details().empty());
}

}  // namespace
}  // namespace gateway
