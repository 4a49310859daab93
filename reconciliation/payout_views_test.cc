// Views built from the API's Payout: the fields the classifier compares, a reference of 0 and a
// missing time read as "not reported".
#include "reconciliation/payout_views.h"

#include "gtest/gtest.h"
#include "vocabulary/proto_time.h"

namespace reconciliation {
namespace {

payments::v1::Payout Sample() {
  payments::v1::Payout payout;
  payout.set_id("fintoc.po.abc");
  payout.set_provider(payments::v1::PROVIDER_FINTOC);
  payout.set_provider_payout_id("tr_1");
  payout.set_tracking_key("202509029073500000000000000006");
  payout.mutable_amount()->set_amount_minor(59013);
  payout.mutable_amount()->set_currency("mxn");
  payout.mutable_counterparty()->set_clabe("014180655091438298");
  payout.set_numeric_reference(150195);
  payout.set_status(payments::v1::PAYOUT_STATUS_PENDING);
  *payout.mutable_create_time() = gateway::TimestampOf(absl::FromUnixSeconds(1756828731));
  *payout.mutable_update_time() = gateway::TimestampOf(absl::FromUnixSeconds(1756828790));
  return payout;
}

TEST(PayoutViewsTest, TheGatewayRecordCarriesWhatIsCompared) {
  const GatewayRecord record = GatewayRecordOf(Sample());
  EXPECT_EQ(record.payout_id, "fintoc.po.abc");
  EXPECT_EQ(record.provider, payments::v1::PROVIDER_FINTOC);
  EXPECT_EQ(record.provider_payout_id, "tr_1");
  EXPECT_EQ(record.tracking_key, "202509029073500000000000000006");
  EXPECT_EQ(record.amount_minor, 59013);
  EXPECT_EQ(record.currency, "MXN");
  EXPECT_EQ(record.counterparty_clabe, "014180655091438298");
  EXPECT_EQ(record.numeric_reference, "150195");
  EXPECT_EQ(record.status, payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(record.create_time, absl::FromUnixSeconds(1756828731));
  EXPECT_EQ(record.status_time, absl::FromUnixSeconds(1756828790));
}

TEST(PayoutViewsTest, TheProviderTransferCarriesWhatIsCompared) {
  payments::v1::Payout payout = Sample();
  payout.mutable_counterparty()->set_debit_card("5579072268574100");
  const ProviderTransfer transfer = ProviderTransferOf(payout);
  EXPECT_EQ(transfer.provider_transfer_id, "tr_1");
  EXPECT_EQ(transfer.counterparty_clabe, "5579072268574100");
  EXPECT_EQ(transfer.amount_minor, 59013);
  EXPECT_EQ(transfer.currency, "MXN");
  EXPECT_EQ(transfer.numeric_reference, "150195");
  EXPECT_EQ(transfer.create_time, absl::FromUnixSeconds(1756828731));
}

TEST(PayoutViewsTest, WhatIsNotReportedStaysEmpty) {
  payments::v1::Payout payout = Sample();
  payout.set_numeric_reference(0);
  payout.clear_counterparty();
  payout.clear_create_time();
  payout.clear_update_time();
  const GatewayRecord record = GatewayRecordOf(payout);
  EXPECT_EQ(record.numeric_reference, "");
  EXPECT_EQ(record.counterparty_clabe, "");
  EXPECT_EQ(record.create_time, absl::InfinitePast());
  EXPECT_EQ(record.status_time, absl::InfinitePast());
  EXPECT_EQ(ProviderTransferOf(payout).create_time, absl::InfinitePast());
}

}  // namespace
}  // namespace reconciliation
