// The run over a MemoryStore and a FakeProvider: a clean window, each class with its ids, a
// status applied through the monotonic path (and logged for WatchPayouts), paging on both
// sides with bounded memory, a provider without a listing, failures, metrics.
#include "gateway/reconciliation/reconciliation_runner.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gateway/core/payout_engine.h"
#include "gateway/reconciliation/reconciliation_metrics.h"
#include "gateway/validation/bank_catalog.h"
#include "gtest/gtest.h"
#include "idempotency/memory_store.h"
#include "idempotency/store_executor.h"
#include "providers/common/await.h"
#include "providers/provider_registry.h"
#include "providers/testing/fake_provider.h"
#include "reconciliation/item.h"
#include "vocabulary/proto_time.h"

namespace gateway {
namespace {

using payments::v1::Payout;
using payments::v1::PayoutStatus;
using providers::FakeProvider;
using reconciliation::ItemClass;

constexpr char kClabe[] = "014180655091438298";

class ReconciliationRunnerTest : public testing::Test {
 protected:
  ReconciliationRunnerTest() {
    auto fintoc = std::make_unique<FakeProvider>(payments::v1::PROVIDER_FINTOC);
    fintoc_ = fintoc.get();
    registry_.Add(std::move(fintoc));
  }
  ~ReconciliationRunnerTest() override { executor_.Shutdown(); }

  // A payout as the gateway records it (and, with the same fields, as the provider lists it).
  Payout MakePayout(int n, PayoutStatus status, int64_t amount = 1000) {
    Payout payout;
    payout.set_id(absl::StrCat("fintoc.payout.tr_", n));
    payout.set_provider(payments::v1::PROVIDER_FINTOC);
    payout.set_provider_payout_id(absl::StrCat("tr_", n));
    payout.set_source_account_id("fintoc.acct.acc_1");
    payout.mutable_amount()->set_amount_minor(amount);
    payout.mutable_amount()->set_currency("MXN");
    payout.mutable_counterparty()->set_clabe(kClabe);
    payout.set_numeric_reference(100 + n);
    payout.set_tracking_key(absl::StrCat("TRK", n));
    payout.set_status(status);
    *payout.mutable_create_time() = TimestampOf(from_ + absl::Seconds(n + 1));
    *payout.mutable_update_time() = payout.create_time();
    return payout;
  }

  void Save(const Payout& payout) { ASSERT_TRUE(store_.SavePayout({"billing", payout}).ok()); }

  // The provider's view of `payout`: no gateway-only fields.
  static Payout Listed(Payout payout) {
    payout.clear_idempotency_key();
    payout.clear_update_time();
    return payout;
  }

  absl::StatusOr<ProviderRun> RunFintoc(RunnerOptions options = {}) {
    ReconciliationRunner runner(&executor_, &registry_, engine_.get(), options);
    return providers::Await<ProviderRun>([&](auto done) {
      runner.Run(payments::v1::PROVIDER_FINTOC, from_, to_, now_, std::move(done));
    });
  }

  int64_t Runs(const std::string& result) const {
    return RecMetrics().runs->Value({"fintoc", result});
  }

  const absl::Time to_ = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()) - 3600);
  const absl::Time from_ = to_ - absl::Hours(2);
  const absl::Time now_ = absl::Now();
  providers::ProviderRegistry registry_;
  FakeProvider* fintoc_;
  const BankCatalog banks_ = BankCatalog::Builtin();
  PayoutEventHub events_;
  idempotency::MemoryStore store_;
  idempotency::StoreExecutor executor_{&store_, 1};
  std::unique_ptr<PayoutEngine> engine_ = std::make_unique<PayoutEngine>(
      &executor_, &registry_, &banks_, &events_, EngineOptions{"test-instance"});
};

TEST_F(ReconciliationRunnerTest, ACleanWindowIsAllMatchedAndSaysSoInTheMetrics) {
  std::vector<Payout> listed;
  for (int n = 1; n <= 3; ++n) {
    const Payout payout = MakePayout(n, payments::v1::PAYOUT_STATUS_SUCCEEDED);
    Save(payout);
    listed.push_back(Listed(payout));
  }
  fintoc_->SetSentPayouts(listed);
  const int64_t ok_before = Runs("ok");

  auto run = RunFintoc();
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_TRUE(run->report.Clean());
  EXPECT_TRUE(run->report.orphans_detectable);
  EXPECT_EQ(run->report.Count(ItemClass::kMatched), 3);
  EXPECT_EQ(run->report.gateway_records, 3);
  EXPECT_EQ(run->report.provider_transfers, 3);
  EXPECT_TRUE(run->applied.empty());

  ReconciliationMetrics& m = RecMetrics();
  EXPECT_EQ(m.items->Value({"fintoc", "matched"}), 3);
  for (const char* other : {"orphan_at_provider", "missing_at_provider", "stuck"}) {
    EXPECT_EQ(m.items->Value({"fintoc", other}), 0) << other;
  }
  EXPECT_EQ(Runs("ok"), ok_before + 1);
  EXPECT_GE(m.last_clean_run->Value({"fintoc"}), absl::ToUnixSeconds(now_));
  EXPECT_EQ(m.last_run->Value({"fintoc"}), m.last_clean_run->Value({"fintoc"}));
}

TEST_F(ReconciliationRunnerTest, EachDiscrepancyIsReportedInItsClassWithItsIds) {
  std::vector<Payout> listed;
  const Payout matched = MakePayout(1, payments::v1::PAYOUT_STATUS_SUCCEEDED);
  Save(matched);
  listed.push_back(Listed(matched));
  // The gateway says sent; the provider lists nothing.
  Save(MakePayout(2, payments::v1::PAYOUT_STATUS_SUCCEEDED));
  // The provider moved another amount.
  Save(MakePayout(3, payments::v1::PAYOUT_STATUS_SUCCEEDED, 1000));
  listed.push_back(Listed(MakePayout(3, payments::v1::PAYOUT_STATUS_SUCCEEDED, 1500)));
  // A transfer the gateway never made.
  Payout orphan = Listed(MakePayout(4, payments::v1::PAYOUT_STATUS_SUCCEEDED, 777));
  orphan.set_numeric_reference(9999);
  orphan.set_tracking_key("ELSEWHERE");
  listed.push_back(orphan);
  // PENDING here, settled there: applied through the monotonic path.
  Save(MakePayout(5, payments::v1::PAYOUT_STATUS_PENDING));
  Payout settled = Listed(MakePayout(5, payments::v1::PAYOUT_STATUS_SUCCEEDED));
  settled.set_provider_status("succeeded");
  listed.push_back(settled);
  // SUCCEEDED here, FAILED there: the path refuses it; an operator decides.
  Save(MakePayout(6, payments::v1::PAYOUT_STATUS_SUCCEEDED));
  listed.push_back(Listed(MakePayout(6, payments::v1::PAYOUT_STATUS_FAILED)));
  fintoc_->SetSentPayouts(listed);

  auto run = RunFintoc();
  ASSERT_TRUE(run.ok()) << run.status();
  const reconciliation::Report& report = run->report;
  EXPECT_FALSE(report.Clean());
  EXPECT_EQ(report.Count(ItemClass::kMatched), 1);
  EXPECT_EQ(report.Count(ItemClass::kMissingAtProvider), 1);
  EXPECT_EQ(report.Count(ItemClass::kAmountMismatch), 1);
  EXPECT_EQ(report.Count(ItemClass::kOrphanAtProvider), 1);
  EXPECT_EQ(report.Count(ItemClass::kStatusMismatch), 2);
  for (const reconciliation::Item& item : report.items) {
    switch (item.item_class) {
      case ItemClass::kMissingAtProvider:
        EXPECT_EQ(item.gateway->payout_id, "fintoc.payout.tr_2");
        break;
      case ItemClass::kAmountMismatch:
        EXPECT_EQ(item.gateway->payout_id, "fintoc.payout.tr_3");
        EXPECT_EQ(item.provider->provider_transfer_id, "tr_3");
        break;
      case ItemClass::kOrphanAtProvider:
        EXPECT_FALSE(item.gateway.has_value());
        EXPECT_EQ(item.provider->provider_transfer_id, "tr_4");
        break;
      case ItemClass::kStatusMismatch:
        EXPECT_EQ(item.status_action, item.gateway->payout_id == "fintoc.payout.tr_5"
                                          ? reconciliation::StatusAction::kApply
                                          : reconciliation::StatusAction::kNeedsOperator);
        break;
      default:
        ADD_FAILURE() << reconciliation::ClassName(item.item_class);
    }
  }
  // Applied once, to the payout the path accepts it for; the other keeps its status.
  ASSERT_EQ(run->applied.size(), 1u);
  EXPECT_EQ(run->applied.at("fintoc.payout.tr_5"), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_TRUE(run->apply_errors.empty());
  auto five = store_.GetPayout("billing", "fintoc.payout.tr_5");
  ASSERT_TRUE(five.ok() && five->has_value());
  EXPECT_EQ((*five)->status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ((*five)->provider_status(), "succeeded");
  auto six = store_.GetPayout("billing", "fintoc.payout.tr_6");
  EXPECT_EQ((*six)->status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  // The change is in the log WatchPayouts subscribers read.
  auto events = store_.EventsAfter(0, 100);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().second.payout().id(), "fintoc.payout.tr_5");
  EXPECT_EQ(events->front().second.previous_status(), payments::v1::PAYOUT_STATUS_PENDING);

  ReconciliationMetrics& m = RecMetrics();
  EXPECT_EQ(m.items->Value({"fintoc", "orphan_at_provider"}), 1);
  EXPECT_EQ(m.items->Value({"fintoc", "status_mismatch"}), 2);
}

TEST_F(ReconciliationRunnerTest, APayoutPairedByFingerprintLearnsTheProvidersIdAndStatus) {
  // Its reply was lost: no provider id, no tracking key.
  Payout lost = MakePayout(7, payments::v1::PAYOUT_STATUS_UNKNOWN);
  lost.set_id("fintoc.payout.lost-reply");
  lost.clear_provider_payout_id();
  lost.clear_tracking_key();
  Save(lost);
  Payout sent = Listed(MakePayout(7, payments::v1::PAYOUT_STATUS_SUCCEEDED));
  sent.set_provider_status("succeeded");
  fintoc_->SetSentPayouts({sent});

  auto run = RunFintoc();
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(run->report.items.size(), 1u);
  EXPECT_EQ(run->report.items[0].matched_by, reconciliation::MatchedBy::kFingerprint);
  EXPECT_EQ(run->applied.at("fintoc.payout.lost-reply"), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  auto stored = store_.GetPayout("billing", "fintoc.payout.lost-reply");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->provider_payout_id(), "tr_7");
  EXPECT_EQ((*stored)->tracking_key(), "TRK7");
  EXPECT_EQ((*stored)->status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ((*stored)->provider_status(), "succeeded");
  auto events = store_.EventsAfter(0, 100);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().second.previous_status(), payments::v1::PAYOUT_STATUS_UNKNOWN);

  // Paired by its id from now on: the next run is clean.
  auto again = RunFintoc();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->report.Clean());
}

TEST_F(ReconciliationRunnerTest, StuckPayoutsAreCountedByStatus) {
  Payout old = MakePayout(1, payments::v1::PAYOUT_STATUS_PENDING);
  Save(old);
  fintoc_->SetSentPayouts({Listed(old)});
  RunnerOptions options;
  options.stuck_after = absl::Minutes(1);
  auto run = RunFintoc(options);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->report.Count(ItemClass::kStuck), 1);
  EXPECT_EQ(RecMetrics().payouts_stuck->Value({"fintoc", "PENDING"}), 1);
  EXPECT_EQ(RecMetrics().payouts_stuck->Value({"fintoc", "UNKNOWN"}), 0);
}

TEST_F(ReconciliationRunnerTest, PagesBothSidesHoldingOnlyTheGatewaysRecords) {
  constexpr int kPayouts = 2000;
  std::vector<Payout> listed;
  for (int n = 1; n <= kPayouts; ++n) {
    const Payout payout = MakePayout(n, payments::v1::PAYOUT_STATUS_SUCCEEDED);
    Save(payout);
    listed.push_back(Listed(payout));
  }
  // Transfers the listing adds beyond the window's records are never held either.
  fintoc_->SetSentPayouts(listed);
  RunnerOptions options;
  options.store_page_size = 100;
  options.provider_page_size = 70;
  auto run = RunFintoc(options);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_TRUE(run->report.Clean());
  EXPECT_EQ(run->report.Count(ItemClass::kMatched), kPayouts);
  EXPECT_EQ(run->report.provider_transfers, kPayouts);
  EXPECT_EQ(run->report.peak_held, static_cast<size_t>(kPayouts));
  // Every page of the listing was asked for (2000 / 70, rounded up).
  EXPECT_EQ(fintoc_->CallCount("ListSentPayouts"), 29);
}

TEST_F(ReconciliationRunnerTest, WithoutAListingEachPayoutIsReadByItsId) {
  const Payout known = MakePayout(1, payments::v1::PAYOUT_STATUS_SUCCEEDED);
  Save(known);
  fintoc_->SetPayout("tr_1", Listed(known));
  Save(MakePayout(2, payments::v1::PAYOUT_STATUS_SUCCEEDED));  // the provider does not know it
  Payout unknown = MakePayout(3, payments::v1::PAYOUT_STATUS_UNKNOWN);
  unknown.clear_provider_payout_id();  // its reply was lost: nothing to read it by
  unknown.set_id("fintoc.payout.lost");
  Save(unknown);
  fintoc_->FailNextCall(absl::UnimplementedError("no listing"));

  RunnerOptions options;
  options.stuck_after = absl::Hours(24);  // not stuck yet: simply not checkable
  auto run = RunFintoc(options);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_FALSE(run->report.orphans_detectable);
  EXPECT_EQ(run->report.Count(ItemClass::kMatched), 1);
  EXPECT_EQ(run->report.Count(ItemClass::kMissingAtProvider), 1);
  EXPECT_EQ(run->report.Count(ItemClass::kNotCheckable), 1);
  EXPECT_EQ(fintoc_->CallCount("GetPayout"), 2);
}

TEST_F(ReconciliationRunnerTest, ManyReadsByIdDoNotRecurseOnInlineReplies) {
  constexpr int kPayouts = 3000;
  for (int n = 1; n <= kPayouts; ++n) {
    const Payout payout = MakePayout(n, payments::v1::PAYOUT_STATUS_SUCCEEDED);
    Save(payout);
    fintoc_->SetPayout(payout.provider_payout_id(), Listed(payout));
  }
  fintoc_->FailNextCall(absl::UnimplementedError("no listing"));
  auto run = RunFintoc();
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->report.Count(ItemClass::kMatched), kPayouts);
}

TEST_F(ReconciliationRunnerTest, ReadsByIdAnsweredOnOtherThreadsAreAllCounted) {
  constexpr int kPayouts = 200;
  for (int n = 1; n <= kPayouts; ++n) {
    const Payout payout = MakePayout(n, payments::v1::PAYOUT_STATUS_SUCCEEDED);
    Save(payout);
    if (n % 10 != 0) fintoc_->SetPayout(payout.provider_payout_id(), Listed(payout));
  }
  fintoc_->FailNextCall(absl::UnimplementedError("no listing"));
  fintoc_->SetReplyDelay(absl::Milliseconds(1));  // up to 8 replies in flight, on their threads
  auto run = RunFintoc();
  fintoc_->JoinReplies();
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->report.Count(ItemClass::kMatched), kPayouts - kPayouts / 10);
  EXPECT_EQ(run->report.Count(ItemClass::kMissingAtProvider), kPayouts / 10);
  EXPECT_EQ(fintoc_->CallCount("GetPayout"), kPayouts);
}

TEST_F(ReconciliationRunnerTest, AFailedListingIsAnErrorRun) {
  Save(MakePayout(1, payments::v1::PAYOUT_STATUS_SUCCEEDED));
  fintoc_->FailNextCall(absl::UnavailableError("fintoc is down"));
  const int64_t errors_before = Runs("error");
  auto run = RunFintoc();
  EXPECT_EQ(run.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(run.status().message().find("fintoc is down"), absl::string_view::npos);
  EXPECT_EQ(Runs("error"), errors_before + 1);
}

TEST_F(ReconciliationRunnerTest, AnUnconfiguredProviderIsAFailedPrecondition) {
  ReconciliationRunner runner(&executor_, &registry_, engine_.get(), {});
  auto run = providers::Await<ProviderRun>([&](auto done) {
    runner.Run(payments::v1::PROVIDER_MONATO, from_, to_, now_, std::move(done));
  });
  EXPECT_EQ(run.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace gateway
