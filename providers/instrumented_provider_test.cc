#include "providers/instrumented_provider.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "metrics/registry.h"
#include "providers/testing/fake_provider.h"
#include "vocabulary/proto_time.h"

namespace providers {
namespace {

TEST(InstrumentedProviderTest, CountsOutcomesAndTimesEachCallThenPassesTheResultOn) {
  metrics::Registry registry;
  metrics::Counter* requests = registry.AddCounter("requests_total", "", {"p", "op", "outcome"});
  metrics::Histogram* latency =
      registry.AddHistogram("seconds", "", {"p", "op"}, metrics::LatencyBuckets());
  auto fake = std::make_unique<FakeProvider>(payments::v1::PROVIDER_FINTOC);
  FakeProvider* inner = fake.get();
  InstrumentedProvider provider(std::move(fake), requests, latency);
  EXPECT_EQ(provider.id(), payments::v1::PROVIDER_FINTOC);

  auto list_banks = [&provider]() {
    absl::Notification done;
    absl::Status status;
    provider.ListBanks({}, {}, [&](absl::StatusOr<payments::v1::ListBanksResponse> result) {
      status = result.status();
      done.Notify();
    });
    done.WaitForNotification();
    return status;
  };
  EXPECT_TRUE(list_banks().ok());
  inner->FailNextCall(absl::UnavailableError("provider down"));
  EXPECT_EQ(list_banks().code(), absl::StatusCode::kUnavailable);  // passed on unchanged

  EXPECT_EQ(inner->CallCount("ListBanks"), 2);
  EXPECT_EQ(requests->Value({"fintoc", "ListBanks", "OK"}), 1);
  EXPECT_EQ(requests->Value({"fintoc", "ListBanks", "UNAVAILABLE"}), 1);
  EXPECT_EQ(latency->Count({"fintoc", "ListBanks"}), 2);
}

// ListSentPayouts is counted and timed like the rest; the fake under it serves what was set,
// window-filtered by create_time and paged by an index token.
TEST(InstrumentedProviderTest, CountsListSentPayoutsOverTheFakesPagedWindow) {
  metrics::Registry registry;
  metrics::Counter* requests = registry.AddCounter("requests_total", "", {"p", "op", "outcome"});
  metrics::Histogram* latency =
      registry.AddHistogram("seconds", "", {"p", "op"}, metrics::LatencyBuckets());
  auto fake = std::make_unique<FakeProvider>(payments::v1::PROVIDER_FINTOC);
  FakeProvider* inner = fake.get();
  InstrumentedProvider provider(std::move(fake), requests, latency);
  const absl::Time start = absl::FromUnixSeconds(1'700'000'000);
  std::vector<payments::v1::Payout> sent;
  for (int minute = 0; minute < 5; ++minute) {  // p0 .. p4, one a minute
    payments::v1::Payout payout;
    payout.set_id(absl::StrCat("fintoc.payout.p", minute));
    *payout.mutable_create_time() = gateway::TimestampOf(start + absl::Minutes(minute));
    sent.push_back(payout);
  }
  inner->SetSentPayouts(sent);
  const TimeWindow window{start + absl::Minutes(1), start + absl::Minutes(4)};  // p1, p2, p3
  auto list = [&](const std::string& token) {
    absl::StatusOr<payments::v1::ListPayoutsResponse> out;
    provider.ListSentPayouts(
        window, PageQuery{2, token}, {},
        [&](absl::StatusOr<payments::v1::ListPayoutsResponse> result) { out = std::move(result); });
    return out;
  };
  std::vector<std::string> ids;
  std::string token;
  int pages = 0;
  do {
    auto page = list(token);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& payout : page->payouts()) ids.push_back(payout.id());
    token = page->next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"fintoc.payout.p1", "fintoc.payout.p2", "fintoc.payout.p3"}));
  EXPECT_EQ(inner->last_sent_window().from, window.from);
  EXPECT_EQ(list("not-a-token").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(inner->CallCount("ListSentPayouts"), pages + 1);
  EXPECT_EQ(requests->Value({"fintoc", "ListSentPayouts", "OK"}), pages);
  EXPECT_EQ(requests->Value({"fintoc", "ListSentPayouts", "INVALID_ARGUMENT"}), 1);
  EXPECT_EQ(latency->Count({"fintoc", "ListSentPayouts"}), pages + 1);
}

TEST(InstrumentedProviderTest, LabelsUseGrpcSpelling) {
  EXPECT_EQ(CodeLabel(absl::StatusCode::kDeadlineExceeded), "DEADLINE_EXCEEDED");
  EXPECT_EQ(CodeLabel(absl::StatusCode::kOk), "OK");
}

}  // namespace
}  // namespace providers
