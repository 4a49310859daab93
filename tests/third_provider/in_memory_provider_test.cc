// The test-only provider's reconciliation listing: its transfers created within the window,
// in creation order, a page at a time, as the provider sees them (no idempotency key).
#include "tests/third_provider/in_memory_provider.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace third_provider {
namespace {

absl::StatusOr<payments::v1::ListPayoutsResponse> List(InMemoryProvider& provider,
                                                       const providers::TimeWindow& window,
                                                       const std::string& token) {
  absl::StatusOr<payments::v1::ListPayoutsResponse> out = absl::UnknownError("no answer");
  provider.ListSentPayouts(window, providers::PageQuery{2, token}, {},
                           [&](auto listed) { out = std::move(listed); });
  return out;
}

TEST(InMemoryProviderTest, ListsSentPayoutsOfTheWindowInPages) {
  InMemoryProvider provider;
  const absl::Time before = absl::Now();
  for (int i = 0; i < 3; ++i) {
    providers::PayoutOrder order;
    order.request.set_idempotency_key(absl::StrCat("key-", i));
    order.request.mutable_amount()->set_amount_minor(100 + i);
    provider.CreatePayout(order, {}, [](auto) {});
  }
  const providers::TimeWindow window{before, absl::Now() + absl::Seconds(1)};
  std::vector<int64_t> amounts;
  std::string token;
  int pages = 0;
  do {
    auto page = List(provider, window, token);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& payout : page->payouts()) {
      amounts.push_back(payout.amount().amount_minor());
      EXPECT_TRUE(payout.idempotency_key().empty());
      EXPECT_TRUE(payout.has_create_time());
    }
    token = page->next_page_token();
  } while (!token.empty() && ++pages < 5);
  EXPECT_EQ(amounts, (std::vector<int64_t>{100, 101, 102}));
  // A window before them holds none; a foreign token is refused.
  auto empty = List(provider, {before - absl::Hours(1), before}, "");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->payouts_size(), 0);
  EXPECT_EQ(List(provider, window, "tr_x").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace third_provider
