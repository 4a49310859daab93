// A big window streamed in pages: the classifier holds the gateway's records of the window and
// what it reports, never the provider's listing (its own peak-held count says so).
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "reconciliation/classifier.h"
#include "reconciliation/testing_views.h"

namespace reconciliation {
namespace {

using testing::Options;
using testing::Record;
using testing::TransferOf;
using testing::WindowEnd;

constexpr int kRecords = 5000;
constexpr size_t kPage = 100;

TEST(ClassifierPagingTest, ThousandsOnBothSidesInPagesHoldOnlyTheGatewaysWindow) {
  std::vector<ProviderTransfer> listing;  // what the provider would page through
  Classifier classifier(payments::v1::PROVIDER_FINTOC, Options());
  std::vector<GatewayRecord> page;
  for (int n = 0; n < kRecords; ++n) {
    GatewayRecord record = Record(n);
    listing.push_back(TransferOf(record));
    page.push_back(std::move(record));
    if (page.size() == kPage) {
      ASSERT_TRUE(classifier.AddGatewayRecords(page).ok());
      page.clear();
    }
  }
  ASSERT_TRUE(classifier.AddGatewayRecords(page).ok());
  // As many again from the next day, and three orphans in the window.
  for (int n = 0; n < kRecords; ++n) {
    ProviderTransfer next_day = TransferOf(Record(kRecords + n));
    next_day.create_time = WindowEnd() + absl::Hours(1) + absl::Seconds(n);
    listing.push_back(next_day);
  }
  for (int n = 0; n < 3; ++n) listing.push_back(TransferOf(Record(3 * kRecords + n)));
  std::shuffle(listing.begin(), listing.end(), std::mt19937(16));

  for (size_t start = 0; start < listing.size(); start += kPage) {
    const size_t end = std::min(listing.size(), start + kPage);
    ASSERT_TRUE(
        classifier.AddProviderTransfers(absl::MakeConstSpan(listing.data() + start, end - start))
            .ok());
    ASSERT_LE(classifier.held(), static_cast<size_t>(kRecords) + 3);
  }
  const Report report = classifier.Finish();
  EXPECT_EQ(report.provider_transfers, 2 * kRecords + 3);
  EXPECT_EQ(report.Count(ItemClass::kMatched), kRecords);
  EXPECT_EQ(report.Count(ItemClass::kOrphanAtProvider), 3);
  EXPECT_EQ(report.provider_outside_window, kRecords);
  EXPECT_EQ(report.Unmatched(), 3);
  // The gateway's window plus the three reported transfers, whatever the listing's length.
  EXPECT_EQ(report.peak_held, static_cast<size_t>(kRecords) + 3);
}

TEST(ClassifierPagingTest, AProviderListingOfAnyLengthCostsNothingWhenItMatchesNothing) {
  Classifier classifier(payments::v1::PROVIDER_FINTOC, Options());
  ASSERT_TRUE(classifier.AddGatewayRecords({}).ok());
  for (int page = 0; page < 200; ++page) {
    std::vector<ProviderTransfer> transfers;
    for (size_t i = 0; i < kPage; ++i) {
      ProviderTransfer transfer = TransferOf(Record(page * kPage + i));
      transfer.create_time = WindowEnd() + absl::Hours(2);  // all outside the window
      transfers.push_back(std::move(transfer));
    }
    ASSERT_TRUE(classifier.AddProviderTransfers(transfers).ok());
  }
  const Report report = classifier.Finish();
  EXPECT_EQ(report.provider_transfers, 200 * static_cast<int64_t>(kPage));
  EXPECT_EQ(report.peak_held, 0u);
  EXPECT_TRUE(report.Clean());
}

TEST(ClassifierPagingTest, OnMatchedSeesEachMatchedItemOnceAndOnItemTheOthers) {
  ClassifierOptions options = Options();
  std::vector<std::string> matched;
  std::vector<std::string> others;
  options.on_matched = [&](const Item& item) { matched.push_back(item.gateway->payout_id); };
  options.on_item = [&](const Item& item) {
    others.push_back(item.gateway.has_value() ? item.gateway->payout_id : "orphan");
  };
  Classifier classifier(payments::v1::PROVIDER_FINTOC, options);
  ASSERT_TRUE(classifier.AddGatewayRecords({Record(1), Record(2), Record(3)}).ok());
  ProviderTransfer changed = TransferOf(Record(2));
  changed.amount_minor += 1;
  ASSERT_TRUE(classifier
                  .AddProviderTransfers({TransferOf(Record(1)), changed, TransferOf(Record(1)),
                                         TransferOf(Record(50))})
                  .ok());
  ASSERT_TRUE(classifier.AddGatewayRecords({}).code() == absl::StatusCode::kFailedPrecondition);
  const Report report = classifier.Finish();
  EXPECT_EQ(matched, std::vector<std::string>({"po_1"}));  // its repeat is not an item
  EXPECT_EQ(others, std::vector<std::string>({"po_2", "orphan", "po_3"}));
  EXPECT_EQ(report.Count(ItemClass::kMatched), 1);
}

}  // namespace
}  // namespace reconciliation
