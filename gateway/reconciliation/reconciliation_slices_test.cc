// A run cut into slices (max_records_per_slice) reports what one whole-window run reports, with
// each slice holding at most its cap: every class injected, payouts paired across a slice
// boundary, and a burst denser than the cap allows.
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/core/payout_engine.h"
#include "gateway/reconciliation/reconciliation_runner.h"
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
using reconciliation::ItemClass;

constexpr char kClabe[] = "014180655091438298";
constexpr absl::Duration kGrace = absl::Seconds(30);

const absl::Time kTo = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()) - 3600);
const absl::Time kFrom = kTo - absl::Hours(2);

// A store, a fake Fintoc and an engine: one per run compared, since a run applies statuses.
class World {
 public:
  World() {
    auto fintoc = std::make_unique<providers::FakeProvider>(payments::v1::PROVIDER_FINTOC);
    fintoc_ = fintoc.get();
    registry_.Add(std::move(fintoc));
  }
  ~World() { executor_.Shutdown(); }

  // Payout `n` created at `created`; the provider dates its transfer `lag` later.
  // `lost_reply`: the gateway never learnt the provider's id nor tracking key (UNKNOWN).
  void Add(int n, absl::Time created, absl::Duration lag = absl::Seconds(20),
           bool lost_reply = false) {
    Payout payout;
    payout.set_id(absl::StrCat("fintoc.payout.tr_", n));
    payout.set_provider(payments::v1::PROVIDER_FINTOC);
    payout.set_provider_payout_id(absl::StrCat("tr_", n));
    payout.set_source_account_id("fintoc.acct.acc_1");
    payout.mutable_amount()->set_amount_minor(1000 + n);
    payout.mutable_amount()->set_currency("MXN");
    payout.mutable_counterparty()->set_clabe(kClabe);
    payout.set_numeric_reference(100 + n);
    payout.set_tracking_key(absl::StrCat("TRK", n));
    payout.set_status(payments::v1::PAYOUT_STATUS_SUCCEEDED);
    *payout.mutable_create_time() = TimestampOf(created);
    *payout.mutable_update_time() = payout.create_time();
    Payout listed = payout;
    if (lost_reply) {
      payout.clear_provider_payout_id();
      payout.clear_tracking_key();
      payout.set_status(payments::v1::PAYOUT_STATUS_UNKNOWN);
    }
    ASSERT_TRUE(store_.SavePayout({"billing", payout}).ok());
    listed.clear_update_time();
    listed.set_status(payments::v1::PAYOUT_STATUS_SUCCEEDED);
    *listed.mutable_create_time() = TimestampOf(created + lag);
    listed_.push_back(listed);
  }
  std::vector<Payout>& listed() { return listed_; }
  providers::FakeProvider* fintoc() { return fintoc_; }

  absl::StatusOr<ProviderRun> Run(size_t cap) {
    fintoc_->SetSentPayouts(listed_);
    RunnerOptions options;
    options.grace = kGrace;
    options.store_page_size = 40;
    options.provider_page_size = 30;
    options.max_records_per_slice = cap;
    options.max_items = 100000;
    ReconciliationRunner runner(&executor_, &registry_, engine_.get(), options);
    return providers::Await<ProviderRun>([&](auto done) {
      runner.Run(payments::v1::PROVIDER_FINTOC, kFrom, kTo, absl::Now(), std::move(done));
    });
  }

 private:
  providers::ProviderRegistry registry_;
  providers::FakeProvider* fintoc_;
  std::vector<Payout> listed_;
  const BankCatalog banks_ = BankCatalog::Builtin();
  PayoutEventHub events_;
  idempotency::MemoryStore store_;
  idempotency::StoreExecutor executor_{&store_, 1};
  std::unique_ptr<PayoutEngine> engine_ = std::make_unique<PayoutEngine>(
      &executor_, &registry_, &banks_, &events_, EngineOptions{"test-instance"});
};

// Every item that is not matched, as "class gateway-id transfer-id".
std::multiset<std::string> ItemsOf(const reconciliation::Report& report) {
  std::multiset<std::string> items;
  for (const reconciliation::Item& item : report.items) {
    items.insert(absl::StrCat(reconciliation::ClassName(item.item_class), " ",
                              item.gateway ? item.gateway->payout_id : "-", " ",
                              item.provider ? item.provider->provider_transfer_id : "-", " ",
                              item.duplicate_of));
  }
  return items;
}

void ExpectSameReport(const reconciliation::Report& sliced, const reconciliation::Report& whole) {
  for (int c = 0; c < reconciliation::kItemClassCount; ++c) {
    const auto item_class = static_cast<ItemClass>(c);
    EXPECT_EQ(sliced.Count(item_class), whole.Count(item_class))
        << reconciliation::ClassName(item_class);
    EXPECT_EQ(sliced.Totals(item_class).amount_minor_by_currency,
              whole.Totals(item_class).amount_minor_by_currency)
        << reconciliation::ClassName(item_class);
  }
  EXPECT_EQ(ItemsOf(sliced), ItemsOf(whole));
  EXPECT_EQ(sliced.gateway_records, whole.gateway_records);
  EXPECT_EQ(sliced.provider_transfers, whole.provider_transfers);
  EXPECT_EQ(sliced.provider_outside_window, whole.provider_outside_window);
  EXPECT_EQ(sliced.provider_repeats, whole.provider_repeats);
}

// 2,000 payouts every 3.5 s, each transfer dated 20 s after its payout (within the grace, so
// the payouts near every slice boundary pair across it), and every class injected.
void Populate(World& world) {
  constexpr int kPayouts = 2000;
  for (int n = 1; n <= kPayouts; ++n) {
    world.Add(n, kFrom + absl::Milliseconds(3500) * n);
    if (n % 97 == 0) world.listed().pop_back();  // missing at the provider
  }
  std::vector<Payout>& listed = world.listed();
  for (size_t i = 5; i < listed.size(); i += 181) {
    listed[i].mutable_amount()->set_amount_minor(7);  // amount mismatch
  }
  for (size_t i = 11; i < listed.size(); i += 193) {
    listed[i].set_status(payments::v1::PAYOUT_STATUS_FAILED);  // needs an operator
  }
  for (int n = 0; n < 7; ++n) {  // orphans spread over the window, and one in each margin
    Payout orphan = listed[n * 250];
    orphan.set_provider_payout_id(absl::StrCat("tr_orphan_", n));
    orphan.set_tracking_key(absl::StrCat("ELSEWHERE", n));
    orphan.set_numeric_reference(900000 + n);
    listed.push_back(orphan);
  }
  Payout early = listed.back();
  early.set_provider_payout_id("tr_orphan_margin_before");
  *early.mutable_create_time() = TimestampOf(kFrom - absl::Seconds(10));
  listed.push_back(early);
  early.set_provider_payout_id("tr_orphan_margin_after");
  *early.mutable_create_time() = TimestampOf(kTo + absl::Seconds(10));
  listed.push_back(early);
  // A second transfer with a payout's tracking key (a double payout), and a repeat (pages
  // overlapping).
  Payout twice = listed[600];
  twice.set_provider_payout_id("tr_second");
  listed.push_back(twice);
  listed.push_back(listed[700]);
  // Paired by fingerprint (its reply was lost): the run records the provider's id.
  world.Add(5000, kFrom + absl::Minutes(61), absl::Seconds(20), true);
  world.Add(5001, kFrom + absl::Minutes(31), absl::Seconds(-25));  // dated before it was made
}

TEST(ReconciliationSlicesTest, ASlicedRunReportsWhatAWholeWindowRunReports) {
  World whole_world;
  Populate(whole_world);
  const absl::Time start = absl::Now();
  auto whole = whole_world.Run(100000);
  const absl::Duration whole_took = absl::Now() - start;
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(whole->slices, 1);

  World sliced_world;
  Populate(sliced_world);
  const absl::Time sliced_start = absl::Now();
  auto sliced = sliced_world.Run(100);
  const absl::Duration sliced_took = absl::Now() - sliced_start;
  ASSERT_TRUE(sliced.ok()) << sliced.status();

  const reconciliation::Report& report = sliced->report;
  EXPECT_EQ(report.gateway_records, 2002);
  EXPECT_EQ(report.Count(ItemClass::kMissingAtProvider), 2000 / 97);
  // The two in the grace margins outside the window belong to the neighbouring windows.
  EXPECT_EQ(report.Count(ItemClass::kOrphanAtProvider), 7);
  EXPECT_EQ(report.provider_outside_window, 2);
  EXPECT_EQ(report.Count(ItemClass::kDuplicateAtProvider), 1);
  EXPECT_GT(report.Count(ItemClass::kAmountMismatch), 5);
  EXPECT_GT(report.Count(ItemClass::kStatusMismatch), 5);
  EXPECT_EQ(report.provider_repeats, 1);
  ExpectSameReport(report, whole->report);
  EXPECT_EQ(sliced->applied, whole->applied);  // the fingerprint pairing, once
  EXPECT_EQ(sliced->applied.size(), 1u);

  // Each slice held at most its cap, plus the transfers it reported (orphans, duplicates).
  EXPECT_GT(sliced->slices, 20);
  EXPECT_LE(report.peak_held, 100u + 10u);
  EXPECT_GE(whole->report.peak_held, 2002u);
  std::cout << "2002 records, cap 100: " << sliced->slices << " slices, peak_held "
            << report.peak_held << ", " << absl::FormatDuration(sliced_took)
            << " (whole window: peak_held " << whole->report.peak_held << ", "
            << absl::FormatDuration(whole_took) << ")\n";
}

TEST(ReconciliationSlicesTest, PayoutsPairedAcrossASliceBoundaryAreReportedOnce) {
  // 150 payouts over two hours, cap 100: the window is halved once, at kFrom + 1 h.
  World world;
  const absl::Time boundary = kFrom + absl::Hours(1);
  for (int n = 1; n <= 147; ++n) world.Add(n, kFrom + absl::Seconds(48 * n));
  world.Add(201, boundary - absl::Seconds(5), absl::Seconds(10));   // its transfer just after
  world.Add(202, boundary + absl::Seconds(5), absl::Seconds(-10));  // its transfer just before
  world.Add(203, boundary - absl::Seconds(1), absl::Seconds(2));
  world.listed().back().mutable_amount()->set_amount_minor(1);  // and the money differs
  auto run = world.Run(100);
  ASSERT_TRUE(run.ok()) << run.status();
  const reconciliation::Report& report = run->report;
  EXPECT_EQ(run->slices, 2);
  EXPECT_EQ(report.gateway_records, 150);
  EXPECT_EQ(report.provider_transfers, 150);
  EXPECT_EQ(report.Count(ItemClass::kMatched), 149);
  EXPECT_EQ(report.Count(ItemClass::kAmountMismatch), 1);
  EXPECT_EQ(report.Unmatched(), 1);
  ASSERT_EQ(report.items.size(), 1u);
  EXPECT_EQ(report.items[0].gateway->payout_id, "fintoc.payout.tr_203");
  EXPECT_EQ(report.provider_outside_window, 0);
  EXPECT_EQ(report.provider_repeats, 0);
}

TEST(ReconciliationSlicesTest, ABurstDenserThanTheCapIsTakenWholeAndReportedCorrectly) {
  World world;
  for (int n = 1; n <= 50; ++n) world.Add(n, kFrom + absl::Minutes(n));
  for (int n = 100; n < 400; ++n) {  // 300 payouts in one second
    world.Add(n, kFrom + absl::Minutes(70) + absl::Milliseconds(3 * n));
  }
  world.listed().erase(world.listed().begin() + 120);  // one of the burst's is missing
  Payout orphan = world.listed()[200];
  orphan.set_provider_payout_id("tr_orphan");
  orphan.set_tracking_key("ELSEWHERE");
  orphan.set_numeric_reference(999999);
  world.listed().push_back(orphan);
  auto run = world.Run(100);
  ASSERT_TRUE(run.ok()) << run.status();
  const reconciliation::Report& report = run->report;
  EXPECT_EQ(report.gateway_records, 350);
  EXPECT_EQ(report.Count(ItemClass::kMatched), 349);
  EXPECT_EQ(report.Count(ItemClass::kMissingAtProvider), 1);
  EXPECT_EQ(report.Count(ItemClass::kOrphanAtProvider), 1);
  EXPECT_EQ(report.Unmatched(), 2);
  EXPECT_GE(report.peak_held, 300u);  // the burst, whole
  EXPECT_LT(report.peak_held, 350u);
  EXPECT_GT(run->slices, 2);
}

TEST(ReconciliationSlicesTest, WithoutAListingEachSliceReadsOnlyItsOwnRecordsById) {
  World world;
  for (int n = 1; n <= 300; ++n) {
    world.Add(n, kFrom + absl::Seconds(20 * n));
    if (n % 50 != 0) world.fintoc()->SetPayout(absl::StrCat("tr_", n), world.listed().back());
  }
  world.fintoc()->FailNextCall(absl::UnimplementedError("no listing"));
  auto run = world.Run(100);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_FALSE(run->report.orphans_detectable);
  EXPECT_GT(run->slices, 2);
  EXPECT_EQ(run->report.gateway_records, 300);
  EXPECT_EQ(run->report.Count(ItemClass::kMatched), 294);
  EXPECT_EQ(run->report.Count(ItemClass::kMissingAtProvider), 6);
  EXPECT_EQ(run->report.provider_transfers, 294);
  EXPECT_LE(run->report.peak_held, 100u);
  // Each record read once, whatever the slices; the listing asked once only.
  EXPECT_EQ(world.fintoc()->CallCount("GetPayout"), 300);
  EXPECT_EQ(world.fintoc()->CallCount("ListSentPayouts"), 1);
}

}  // namespace
}  // namespace gateway
