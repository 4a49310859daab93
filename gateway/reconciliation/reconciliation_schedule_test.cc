// The schedule takes the store's lease before each run: one replica at a time runs it.
#include "gateway/reconciliation/reconciliation_schedule.h"

#include <memory>

#include "absl/time/clock.h"
#include "gateway/core/payout_engine.h"
#include "gateway/reconciliation/reconciliation_metrics.h"
#include "gateway/validation/bank_catalog.h"
#include "gtest/gtest.h"
#include "idempotency/memory_store.h"
#include "idempotency/store_executor.h"
#include "providers/provider_registry.h"
#include "providers/testing/fake_provider.h"

namespace gateway {
namespace {

class ReconciliationScheduleTest : public testing::Test {
 protected:
  ReconciliationScheduleTest() {
    auto fintoc = std::make_unique<providers::FakeProvider>(payments::v1::PROVIDER_FINTOC);
    fintoc_ = fintoc.get();
    registry_.Add(std::move(fintoc));
  }
  ~ReconciliationScheduleTest() override { executor_.Shutdown(); }

  ScheduleOptions Options(const std::string& instance) {
    ScheduleOptions options;
    options.interval = absl::Hours(1);
    options.instance_id = instance;
    return options;
  }

  providers::ProviderRegistry registry_;
  providers::FakeProvider* fintoc_;
  const BankCatalog banks_ = BankCatalog::Builtin();
  PayoutEventHub events_;
  idempotency::MemoryStore store_;  // shared by both "replicas"
  idempotency::StoreExecutor executor_{&store_, 1};
  PayoutEngine engine_{&executor_, &registry_, &banks_, &events_, EngineOptions{"test"}};
  ReconciliationRunner runner_{&executor_, &registry_, &engine_, RunnerOptions{}};
};

TEST_F(ReconciliationScheduleTest, OneReplicaAtATimeRunsIt) {
  ReconciliationSchedule a(&runner_, &executor_, Options("replica-a"));
  ReconciliationSchedule b(&runner_, &executor_, Options("replica-b"));
  EXPECT_EQ(a.LeaseTtl(), absl::Minutes(70));
  const absl::Time now = absl::Now();
  const int64_t runs_before = RecMetrics().runs->Value({"fintoc", "ok"});

  EXPECT_TRUE(a.RunOnce(now));
  EXPECT_EQ(fintoc_->CallCount("ListSentPayouts"), 1);
  EXPECT_EQ(RecMetrics().runs->Value({"fintoc", "ok"}), runs_before + 1);
  // The window ends the grace ago and covers the lookback.
  EXPECT_EQ(fintoc_->last_sent_window().to, now);  // now - grace, widened by the grace
  EXPECT_EQ(fintoc_->last_sent_window().from, now - absl::Minutes(30) - absl::Hours(24));

  EXPECT_FALSE(b.RunOnce(now + absl::Hours(1)));  // a holds it
  EXPECT_EQ(fintoc_->CallCount("ListSentPayouts"), 1);
  EXPECT_TRUE(a.RunOnce(now + absl::Hours(1)));  // its holder renews it
  // a stopped renewing: once its lease expired, b takes over.
  EXPECT_TRUE(b.RunOnce(now + absl::Hours(1) + a.LeaseTtl() + absl::Seconds(1)));
  EXPECT_EQ(fintoc_->CallCount("ListSentPayouts"), 3);
}

TEST_F(ReconciliationScheduleTest, RunsAtStartAndStopsPromptly) {
  ReconciliationSchedule schedule(&runner_, &executor_, Options("replica-a"));
  schedule.Start();
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (fintoc_->CallCount("ListSentPayouts") == 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(fintoc_->CallCount("ListSentPayouts"), 1);
  const absl::Time stopping = absl::Now();
  schedule.Stop();
  EXPECT_LT(absl::Now() - stopping, absl::Seconds(5));
}

}  // namespace
}  // namespace gateway
