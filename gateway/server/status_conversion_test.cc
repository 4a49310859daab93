#include "gateway/server/status_conversion.h"

#include "gtest/gtest.h"
#include "proto/google/rpc/status.pb.h"
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

TEST(StatusConversionTest, QuotaFailureSurvivesTheRoundTrip) {
  absl::Status status = absl::ResourceExhaustedError("limit \"daily-total\" reached");
  status = WithQuotaViolation(status, "caller:checkout", "limit \"daily-total\": 0 left");
  status = WithReason(status, "CALLER_LIMIT_REACHED", {{"limit", "daily-total"}});
  grpc::Status wire = ToGrpcStatus(status);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  // The trailer is a google.rpc.Status holding the QuotaFailure under its standard type URL.
  google::rpc::Status trailer;
  ASSERT_TRUE(trailer.ParseFromString(wire.error_details()));
  EXPECT_EQ(trailer.code(), static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
  bool found = false;
  for (const auto& any : trailer.details()) {
    if (any.type_url() == "type.googleapis.com/google.rpc.QuotaFailure") found = true;
  }
  EXPECT_TRUE(found);
  absl::Status back = FromGrpcStatus(wire);
  EXPECT_EQ(back.code(), absl::StatusCode::kResourceExhausted);
  auto violations = QuotaViolationsOf(back);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].subject(), "caller:checkout");
  EXPECT_EQ(violations[0].description(), "limit \"daily-total\": 0 left");
  EXPECT_EQ(ReasonOf(back), "CALLER_LIMIT_REACHED");
  EXPECT_EQ(ReasonMetadataOf(back).at("limit"), "daily-total");
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
