#include "providers/common/provider_replies.h"

#include "gtest/gtest.h"
#include "vocabulary/error_details.h"

namespace providers {
namespace {

absl::Status TestErrorFromReply(int http_status, absl::string_view body) {
  if (http_status == 401) return absl::UnauthenticatedError("key refused");
  if (http_status == 403) {
    return gateway::WithReason(absl::PermissionDeniedError("not allowed"), "TEST_FORBIDDEN");
  }
  return absl::InvalidArgumentError(absl::StrCat("HTTP ", http_status, " ", body));
}

constexpr ProviderReplies kTest{payments::v1::PROVIDER_MONATO, "Test", "Test credentials",
                                &TestErrorFromReply};

net::http::HttpResponse Reply(int status, std::string body = "") {
  net::http::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.attempts = 1;
  return response;
}

TEST(ProviderRepliesTest, OnlyA2xxIsASuccess) {
  EXPECT_TRUE(IsSuccess(Reply(200)));
  EXPECT_TRUE(IsSuccess(Reply(299)));
  EXPECT_FALSE(IsSuccess(Reply(199)));
  EXPECT_FALSE(IsSuccess(Reply(300)));
  EXPECT_FALSE(IsSuccess(Reply(404)));
  EXPECT_FALSE(IsSuccess(absl::StatusOr<net::http::HttpResponse>(absl::UnavailableError("down"))));
}

TEST(ProviderRepliesTest, RefusedCredentialsAreAnOutageOfTheGateway) {
  const absl::Status status = CallerFacing(kTest, absl::UnauthenticatedError("key refused"));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "the gateway's Test credentials were refused: key refused");
}

TEST(ProviderRepliesTest, RefusedPermissionIsAPreconditionAndKeepsItsReason) {
  const absl::Status status = ReplyError(kTest, Reply(403));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "not allowed");
  EXPECT_EQ(gateway::ReasonOf(status), "TEST_FORBIDDEN");
}

TEST(ProviderRepliesTest, OtherErrorsPassUnchanged) {
  EXPECT_EQ(ReplyError(kTest, Reply(400, "bad")), absl::InvalidArgumentError("HTTP 400 bad"));
  const absl::Status lost = absl::DeadlineExceededError("no reply");
  EXPECT_EQ(ReplyError(kTest, absl::StatusOr<net::http::HttpResponse>(lost)), lost);
  EXPECT_EQ(CallerFacing(kTest, absl::NotFoundError("x")), absl::NotFoundError("x"));
}

TEST(ProviderRepliesTest, AnUnreadableReadIsUnavailable) {
  const absl::Status status =
      UnreadableReply(kTest, "account", absl::InvalidArgumentError("no id"));
  EXPECT_EQ(status, absl::UnavailableError("unreadable Test account: no id"));
}

TEST(ProviderRepliesTest, AnIdTheProviderDoesNotKnowIsTheCallersField) {
  const absl::Status status = NotKnownTo("transaction_id", "Test transaction");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  const auto violations = gateway::FieldViolationsOf(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field(), "transaction_id");
  EXPECT_EQ(violations[0].description(), "is not a Test transaction");
}

}  // namespace
}  // namespace providers
