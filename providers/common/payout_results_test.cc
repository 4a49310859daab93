#include "providers/common/payout_results.h"

#include "gtest/gtest.h"
#include "vocabulary/resource_id.h"

namespace providers {
namespace {

PayoutOrder Order() {
  PayoutOrder order;
  order.request.set_idempotency_key("caller-key");
  order.request.mutable_amount()->set_amount_minor(1234);
  order.request.mutable_amount()->set_currency("MXN");
  order.request.set_description("rent");
  return order;
}

TEST(PayoutResultsTest, AnUnknownOutcomeCarriesTheKeyThatResolvesIt) {
  const payments::v1::Payout payout =
      UnknownOutcome(payments::v1::PROVIDER_FINTOC, Order(), "provider-key", "reply lost");
  EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_EQ(payout.status_reason(), "reply lost");
  EXPECT_EQ(payout.amount().amount_minor(), 1234);
  EXPECT_EQ(payout.idempotency_key(), "caller-key");
  auto id = gateway::ResourceId::Parse(payout.id(), gateway::kind::kPayout);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->native_id, "key-provider-key");
}

TEST(PayoutResultsTest, TheIdOfAnUnknownOutcomeIsNotRead) {
  const absl::Status status = CheckReadablePayoutId("key-provider-key");
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("retry CreatePayout with the same idempotency key"),
            absl::string_view::npos);
  EXPECT_TRUE(CheckReadablePayoutId("tr_123").ok());
  EXPECT_TRUE(CheckReadablePayoutId("monkey-1").ok());
}

TEST(PayoutResultsTest, AnUnknownRefundKeepsTheOrder) {
  RefundOrder order;
  order.request.set_transaction_id("fintoc.txn.tr_1");
  order.request.mutable_amount()->set_amount_minor(500);
  order.transaction_native_id = "tr_1";
  const payments::v1::Refund refund = UnknownRefund(payments::v1::PROVIDER_FINTOC, order);
  EXPECT_EQ(refund.status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_EQ(refund.provider(), payments::v1::PROVIDER_FINTOC);
  EXPECT_EQ(refund.transaction_id(), "fintoc.txn.tr_1");
  EXPECT_EQ(refund.amount().amount_minor(), 500);
  EXPECT_TRUE(refund.id().empty());
}

}  // namespace
}  // namespace providers
