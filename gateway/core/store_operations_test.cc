// How many store calls a payout costs (the store's own counters, as the load generator reads
// them), and that the answer saved without reading it back is what the store holds.
#include <memory>

#include "gateway/core/engine_steps.h"
#include "gateway/core/gateway_core.h"
#include "gtest/gtest.h"
#include "idempotency/instrumented_store.h"
#include "idempotency/memory_store.h"
#include "idempotency/store_executor.h"
#include "metrics/registry.h"
#include "providers/common/await.h"
#include "providers/testing/fake_provider.h"

namespace gateway {
namespace {

using payments::v1::PayoutStatus;
using providers::Await;

payments::v1::CreatePayoutRequest Request(const std::string& key) {
  payments::v1::CreatePayoutRequest request;
  request.set_idempotency_key(key);
  request.set_source_account_id("monato.acct.m-1");
  request.mutable_amount()->set_amount_minor(195);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe("014180655091438298");
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.set_description("Test payment");
  request.set_numeric_reference(123456);
  return request;
}

class StoreOperationsTest : public testing::Test {
 protected:
  StoreOperationsTest() {
    auto monato = std::make_unique<providers::FakeProvider>(payments::v1::PROVIDER_MONATO);
    monato_ = monato.get();
    registry_.Add(std::move(monato));
  }

  absl::StatusOr<payments::v1::Payout> Create(const payments::v1::CreatePayoutRequest& request) {
    return Await<payments::v1::Payout>(
        [&](auto done) { core_.CreatePayout(request, CallContext{}, std::move(done)); });
  }

  int64_t Calls(const std::string& operation) const {
    return operations_->Value({operation, "OK"});
  }

  metrics::Registry metrics_;
  metrics::Counter* operations_ =
      metrics_.AddCounter("ops_total", "store calls", {"operation", "outcome"});
  metrics::Histogram* seconds_ =
      metrics_.AddHistogram("ops_seconds", "store call times", {"operation"}, {absl::Seconds(1)});
  idempotency::MemoryStore* memory_ = new idempotency::MemoryStore;
  idempotency::InstrumentedStore store_{std::unique_ptr<idempotency::GatewayStore>(memory_),
                                        operations_, seconds_};
  idempotency::StoreExecutor executor_{&store_, 1};
  providers::ProviderRegistry registry_;
  providers::FakeProvider* monato_;
  const BankCatalog banks_ = BankCatalog::Builtin();
  PayoutEventHub events_;
  PayoutEngine engine_{&executor_, &registry_, &banks_, &events_, EngineOptions{"test-instance"}};
  GatewayCore core_{&registry_, &banks_, &events_, &engine_};
};

TEST_F(StoreOperationsTest, ANewPayoutReadsItsRecordOnceAndAnswersWhatWasSaved) {
  auto payout = Create(Request("k1"));
  ASSERT_TRUE(payout.ok()) << payout.status();
  // Claim; then in one trip: the record read (its status before), the save, the log entry and
  // the answer.
  EXPECT_EQ(Calls("Claim"), 1);
  EXPECT_EQ(Calls("GetPayout"), 1);
  EXPECT_EQ(Calls("SavePayout"), 1);
  EXPECT_EQ(Calls("AppendPayoutEvent"), 1);
  EXPECT_EQ(Calls("Complete"), 1);
  auto stored = memory_->GetPayout("", payout->id());
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->SerializeAsString(), payout->SerializeAsString());
}

TEST_F(StoreOperationsTest, AReplayAnswersThePayoutAsItIsNow) {
  auto first = Create(Request("k1"));
  ASSERT_TRUE(first.ok()) << first.status();
  payments::v1::Payout moved = *first;
  moved.set_status(payments::v1::PAYOUT_STATUS_SUCCEEDED);
  ASSERT_TRUE(memory_->SavePayout({"", moved}).ok());
  auto replay = Create(Request("k1"));
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 1);
}

// SaveAndLog no longer reads the record back: what it returns must be what the store kept.
class SaveAndLogTest : public testing::Test {
 protected:
  payments::v1::Payout Payout(PayoutStatus status, const std::string& reason) {
    payments::v1::Payout payout;
    payout.set_id("monato.payout.p1");
    payout.set_provider(payments::v1::PROVIDER_MONATO);
    payout.set_status(status);
    payout.set_status_reason(reason);
    return payout;
  }

  absl::StatusOr<int> Events() {
    auto events = store_.EventsAfter(0, 100);
    if (!events.ok()) return events.status();
    return static_cast<int>(events->size());
  }

  idempotency::MemoryStore store_;
};

TEST_F(SaveAndLogTest, AnAdvanceIsSavedAndLogged) {
  ASSERT_TRUE(
      engine_steps::SaveAndLog(store_, "c", Payout(payments::v1::PAYOUT_STATUS_PENDING, "")).ok());
  auto saved =
      engine_steps::SaveAndLog(store_, "c", Payout(payments::v1::PAYOUT_STATUS_SUCCEEDED, "done"));
  ASSERT_TRUE(saved.ok()) << saved.status();
  auto stored = store_.GetPayout("c", "monato.payout.p1");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ(saved->SerializeAsString(), (*stored)->SerializeAsString());
  EXPECT_EQ(saved->status_reason(), "done");
  EXPECT_EQ(Events().value_or(-1), 2);
}

TEST_F(SaveAndLogTest, AStaleUpdateAnswersTheStoredPayoutAndLogsNothing) {
  ASSERT_TRUE(
      engine_steps::SaveAndLog(store_, "c", Payout(payments::v1::PAYOUT_STATUS_SUCCEEDED, "done"))
          .ok());
  auto saved =
      engine_steps::SaveAndLog(store_, "c", Payout(payments::v1::PAYOUT_STATUS_PENDING, "late"));
  ASSERT_TRUE(saved.ok()) << saved.status();
  auto stored = store_.GetPayout("c", "monato.payout.p1");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ(saved->SerializeAsString(), (*stored)->SerializeAsString());
  EXPECT_EQ(saved->status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ(saved->status_reason(), "done");
  EXPECT_EQ(Events().value_or(-1), 1);
}

TEST_F(SaveAndLogTest, TheSameStatusAgainIsSavedButNotLogged) {
  ASSERT_TRUE(
      engine_steps::SaveAndLog(store_, "c", Payout(payments::v1::PAYOUT_STATUS_PENDING, "")).ok());
  auto saved =
      engine_steps::SaveAndLog(store_, "c", Payout(payments::v1::PAYOUT_STATUS_PENDING, "again"));
  ASSERT_TRUE(saved.ok()) << saved.status();
  auto stored = store_.GetPayout("c", "monato.payout.p1");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ(saved->SerializeAsString(), (*stored)->SerializeAsString());
  EXPECT_EQ(saved->status_reason(), "again");
  EXPECT_EQ(Events().value_or(-1), 1);
}

}  // namespace
}  // namespace gateway
