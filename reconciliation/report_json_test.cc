// The log line's JSON: complete counts, amounts, items with both sides' ids and every account
// number masked.
#include "reconciliation/report_json.h"

#include <limits>
#include <string>

#include <boost/json/serialize.hpp>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reconciliation/classifier.h"
#include "reconciliation/testing_views.h"

namespace reconciliation {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::Options;
using testing::Record;
using testing::TransferOf;

TEST(MaskAccountNumberTest, KeepsOnlyTheLastFourCharacters) {
  EXPECT_EQ(MaskAccountNumber("002010077777777771"), "**************7771");
  EXPECT_EQ(MaskAccountNumber("12345"), "*2345");
  EXPECT_EQ(MaskAccountNumber("1234"), "****");
  EXPECT_EQ(MaskAccountNumber(""), "");
}

Report Sample() {
  ClassifierOptions options = Options();
  Classifier classifier(payments::v1::PROVIDER_FINTOC, options);
  GatewayRecord moved = Record(2);
  EXPECT_TRUE(classifier.AddGatewayRecords({Record(1), moved, Record(3)}).ok());
  ProviderTransfer elsewhere = TransferOf(moved);
  elsewhere.counterparty_clabe = "012180000000000008";
  elsewhere.status = payments::v1::PAYOUT_STATUS_FAILED;
  ProviderTransfer orphan = TransferOf(Record(7));
  EXPECT_TRUE(classifier.AddProviderTransfers({TransferOf(Record(1)), elsewhere, orphan}).ok());
  return classifier.Finish();
}

TEST(SummaryJsonTest, CarriesEveryClassCountAndTheAmounts) {
  const boost::json::object json = SummaryJson(Sample());
  EXPECT_EQ(json.at("event").as_string(), "reconciliation_summary");
  EXPECT_EQ(json.at("provider").as_string(), "PROVIDER_FINTOC");
  EXPECT_EQ(json.at("window_start").as_string(), "2025-12-03T00:00:00.000000Z");
  EXPECT_FALSE(json.at("clean").as_bool());
  EXPECT_TRUE(json.at("orphans_detectable").as_bool());
  const auto& counts = json.at("counts").as_object();
  EXPECT_EQ(counts.size(), static_cast<size_t>(kItemClassCount));
  EXPECT_EQ(counts.at("matched").as_int64(), 1);
  EXPECT_EQ(counts.at("counterparty_mismatch").as_int64(), 1);
  EXPECT_EQ(counts.at("missing_at_provider").as_int64(), 1);
  EXPECT_EQ(counts.at("orphan_at_provider").as_int64(), 1);
  EXPECT_EQ(counts.at("duplicate_at_provider").as_int64(), 0);
  const auto& amounts = json.at("amounts_minor").as_object();
  EXPECT_EQ(amounts.at("orphan_at_provider").as_object().at("MXN").as_int64(), 10007);
  EXPECT_FALSE(amounts.contains("stuck"));
  EXPECT_FALSE(json.contains("amount_overflow"));
  EXPECT_EQ(json.at("items").as_array().size(), 3u);
  EXPECT_EQ(json.at("items_not_shown").as_int64(), 0);
}

TEST(SummaryJsonTest, ItemsNameBothSidesAndMaskEveryAccountNumber) {
  const boost::json::object json = SummaryJson(Sample());
  const std::string text = boost::json::serialize(json);
  EXPECT_THAT(text, Not(HasSubstr("002010077777777771")));
  EXPECT_THAT(text, Not(HasSubstr("012180000000000008")));
  EXPECT_THAT(text, HasSubstr("**************7771"));
  EXPECT_THAT(text, HasSubstr("**************0008"));
  const auto& mismatch = json.at("items").as_array()[0].as_object();
  EXPECT_EQ(mismatch.at("class").as_string(), "counterparty_mismatch");
  EXPECT_EQ(mismatch.at("gateway").as_object().at("payout_id").as_string(), "po_2");
  EXPECT_EQ(mismatch.at("provider").as_object().at("provider_transfer_id").as_string(), "tr_2");
  const auto& differences = mismatch.at("differences").as_array();
  ASSERT_EQ(differences.size(), 2u);
  EXPECT_EQ(differences[0].as_object().at("field").as_string(), "counterparty");
  EXPECT_EQ(differences[0].as_object().at("provider").as_string(), "**************0008");
  EXPECT_EQ(differences[1].as_object().at("field").as_string(), "status");
  EXPECT_EQ(mismatch.at("status_action").as_string(), "needs_operator");
}

TEST(SummaryJsonTest, ListsAtMostTheItemsAskedForAndSaysHowManyAreNotShown) {
  const boost::json::object json = SummaryJson(Sample(), 1);
  EXPECT_EQ(json.at("items").as_array().size(), 1u);
  EXPECT_EQ(json.at("items_not_shown").as_int64(), 2);
}

TEST(SummaryJsonTest, NamesTheClassesWhoseSumOverflowed) {
  Classifier classifier(payments::v1::PROVIDER_FINTOC, Options());
  GatewayRecord big = Record(1);
  big.amount_minor = std::numeric_limits<int64_t>::max();
  GatewayRecord big_too = Record(2);
  big_too.amount_minor = std::numeric_limits<int64_t>::max();
  ASSERT_TRUE(classifier.AddGatewayRecords({big, big_too}).ok());
  const boost::json::object json = SummaryJson(classifier.Finish());
  ASSERT_TRUE(json.contains("amount_overflow"));
  EXPECT_EQ(boost::json::serialize(json.at("amount_overflow")), R"(["missing_at_provider"])");
}

}  // namespace
}  // namespace reconciliation
