#include "providers/common/money_moves.h"

#include "gtest/gtest.h"
#include "vocabulary/error_details.h"

namespace providers {
namespace {

using payments::v1::Payout;

absl::Status TestErrorFromReply(int http_status, absl::string_view body) {
  if (http_status == 401) return absl::UnauthenticatedError("key refused");
  absl::Status status = absl::FailedPreconditionError(absl::StrCat("refused ", http_status));
  return gateway::WithReason(std::move(status), std::string(body));  // reason = body
}

bool OnlyBalanceIsDefinite(const absl::Status& refusal) {
  return gateway::ReasonOf(refusal) == "INSUFFICIENT_BALANCE";
}

constexpr ProviderReplies kTest{payments::v1::PROVIDER_FINTOC, "Test", "Test credentials",
                                &TestErrorFromReply};
constexpr ProviderReplies kWithConflicts{payments::v1::PROVIDER_FINTOC, "Test", "Test credentials",
                                         &TestErrorFromReply, &OnlyBalanceIsDefinite};

net::http::HttpResponse Reply(int status, std::string body, int attempts = 1) {
  net::http::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.attempts = attempts;
  return response;
}

PayoutOrder Order() {
  PayoutOrder order;
  order.request.set_idempotency_key("caller-key");
  order.request.set_source_account_id("fintoc.acct.acc_1");
  order.request.mutable_amount()->set_amount_minor(1000);
  order.request.mutable_amount()->set_currency("MXN");
  return order;
}

// Reads {"id": "..."} as a pending payout; anything else is unreadable.
absl::StatusOr<Payout> ReadPayout(const boost::json::object& body) {
  const auto* id = body.if_contains("id");
  if (id == nullptr || !id->is_string()) return absl::InvalidArgumentError("no id");
  Payout payout;
  payout.set_id(std::string(id->as_string()));
  payout.set_status(payments::v1::PAYOUT_STATUS_PENDING);
  return payout;
}

absl::StatusOr<Payout> Outcome(const ProviderReplies& provider,
                               absl::StatusOr<net::http::HttpResponse> response) {
  return PayoutOutcome(provider, Order(), "pkey", response, "test reply", ReadPayout);
}

void ExpectUnknown(const absl::StatusOr<Payout>& payout, absl::string_view why) {
  ASSERT_TRUE(payout.ok()) << payout.status();
  EXPECT_EQ(payout->status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_EQ(payout->status_reason(), why);
  EXPECT_EQ(payout->idempotency_key(), "caller-key");
  EXPECT_EQ(payout->amount().amount_minor(), 1000);
}

TEST(MoneyMovesTest, AReadable2xxIsTheProvidersPayoutWithTheOrder) {
  auto payout = Outcome(kTest, Reply(201, R"({"id":"tr_1"})"));
  ASSERT_TRUE(payout.ok()) << payout.status();
  EXPECT_EQ(payout->id(), "tr_1");
  EXPECT_EQ(payout->status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(payout->source_account_id(), "fintoc.acct.acc_1");
  EXPECT_EQ(payout->amount().amount_minor(), 1000);
}

TEST(MoneyMovesTest, ALostReplyIsUnknown) {
  absl::Status lost = net::http::MarkRequestSent(absl::DeadlineExceededError("reply lost"));
  ExpectUnknown(Outcome(kTest, lost), "reply lost");
}

TEST(MoneyMovesTest, ARequestThatNeverLeftFailsAsTheCallerSeesIt) {
  auto refused = Outcome(kTest, absl::UnavailableError("connect refused"));
  EXPECT_EQ(refused.status(), absl::UnavailableError("connect refused"));
  auto unauthenticated = Outcome(kTest, absl::UnauthenticatedError("no token"));
  EXPECT_EQ(unauthenticated.status().code(), absl::StatusCode::kUnavailable);
}

TEST(MoneyMovesTest, A5xxOrStrangerStatusIsUnknown) {
  ExpectUnknown(Outcome(kTest, Reply(502, "")), "Test answered HTTP 502");
  ExpectUnknown(Outcome(kTest, Reply(500, "")), "Test answered HTTP 500");
  ExpectUnknown(Outcome(kTest, Reply(302, "")), "Test answered HTTP 302");
  ExpectUnknown(Outcome(kTest, Reply(101, "")), "Test answered HTTP 101");
}

TEST(MoneyMovesTest, AnUnreadable2xxIsUnknown) {
  auto not_json = Outcome(kTest, Reply(200, "<html>"));
  ASSERT_TRUE(not_json.ok());
  EXPECT_EQ(not_json->status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_EQ(not_json->status_reason().rfind("unreadable test reply: ", 0), 0u);
  ExpectUnknown(Outcome(kTest, Reply(200, "{}")), "unreadable test reply: no id");
}

TEST(MoneyMovesTest, A4xxIsADefiniteRefusal) {
  auto refused = Outcome(kTest, Reply(422, "LIMIT"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(gateway::ReasonOf(refused.status()), "LIMIT");
  auto credentials = Outcome(kTest, Reply(401, ""));
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(credentials.status().message(),
            "the gateway's Test credentials were refused: key refused");
}

TEST(MoneyMovesTest, AConflictMetByARetryIsUnknownUnlessTheProviderSaysItIsDefinite) {
  ExpectUnknown(Outcome(kWithConflicts, Reply(409, "IN_PROGRESS", /*attempts=*/2)),
                "a retry met a conflict: refused 409");
  auto definite = Outcome(kWithConflicts, Reply(409, "INSUFFICIENT_BALANCE", 2));
  EXPECT_EQ(gateway::ReasonOf(definite.status()), "INSUFFICIENT_BALANCE");
  // A first attempt's conflict, or a provider whose every conflict refuses: refused.
  EXPECT_EQ(Outcome(kWithConflicts, Reply(409, "IN_PROGRESS", 1)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Outcome(kTest, Reply(409, "IN_PROGRESS", 2)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(MoneyMovesTest, OtherMoneyMovesUseTheirOwnUnknownAnswer) {
  auto unknown = [](absl::string_view why) {
    payments::v1::Refund refund;
    refund.set_status(payments::v1::PAYOUT_STATUS_UNKNOWN);
    refund.set_id(std::string(why));
    return refund;
  };
  auto read = [](const boost::json::object&) -> absl::StatusOr<payments::v1::Refund> {
    payments::v1::Refund refund;
    refund.set_status(payments::v1::PAYOUT_STATUS_SUCCEEDED);
    return refund;
  };
  auto done = MoneyMoveOutcome<payments::v1::Refund>(kTest, Reply(200, "{}"), "r", read, unknown);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  auto open = MoneyMoveOutcome<payments::v1::Refund>(kTest, Reply(503, ""), "r", read, unknown);
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_EQ(open->id(), "Test answered HTTP 503");
  EXPECT_EQ(MoneyMoveOutcome<payments::v1::Refund>(kTest, Reply(404, "X"), "r", read, unknown)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace providers
