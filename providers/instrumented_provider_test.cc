#include "providers/instrumented_provider.h"

#include <memory>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "metrics/registry.h"
#include "providers/testing/fake_provider.h"

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

TEST(InstrumentedProviderTest, LabelsUseGrpcSpelling) {
  EXPECT_EQ(CodeLabel(absl::StatusCode::kDeadlineExceeded), "DEADLINE_EXCEEDED");
  EXPECT_EQ(CodeLabel(absl::StatusCode::kOk), "OK");
}

}  // namespace
}  // namespace providers
