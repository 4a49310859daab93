// Reconciliation end to end: ReconciliationService.Reconcile on the real gateway (in process,
// over gRPC) against the sandbox simulators over HTTPS. A clean window is all matched; each
// discrepancy the sandbox's controls inject is reported in its class with the ids on both
// sides; a status the run applies shows on GetPayout, ListPayouts and WatchPayouts; a window of
// thousands of payouts is paged through on both sides holding only the gateway's records.
#include <chrono>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/create_channel.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "metrics/gateway_metrics.h"
#include "proto/payments/v1/reconciliation_service.grpc.pb.h"
#include "tests/e2e/gateway_under_test.h"
#include "vocabulary/proto_time.h"

namespace e2e {
namespace {

using payments::v1::Payout;
using payments::v1::ProviderReconciliation;
using payments::v1::ReconciliationItem;
using payments::v1::ReconciliationReport;

class Reconciler {
 public:
  explicit Reconciler(GatewayUnderTest& gateway)
      : stub_(payments::v1::ReconciliationService::NewStub(
            grpc::CreateChannel(absl::StrCat("127.0.0.1:", gateway.process().port()),
                                grpc::InsecureChannelCredentials()))) {}

  grpc::Status Reconcile(absl::Time from, absl::Time to, payments::v1::Provider provider,
                         ReconciliationReport* report) {
    payments::v1::ReconcileRequest request;
    *request.mutable_from() = gateway::TimestampOf(from);
    *request.mutable_to() = gateway::TimestampOf(to);
    request.set_provider(provider);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    return stub_->Reconcile(&context, request, report);
  }

 private:
  std::unique_ptr<payments::v1::ReconciliationService::Stub> stub_;
};

const ProviderReconciliation* Of(const ReconciliationReport& report,
                                 payments::v1::Provider provider) {
  for (const auto& p : report.providers()) {
    if (p.provider() == provider) return &p;
  }
  return nullptr;
}

int64_t Count(const ProviderReconciliation& p, const std::string& item_class) {
  for (const auto& count : p.counts()) {
    if (count.item_class() == item_class) return count.count();
  }
  return -1;
}

std::vector<ReconciliationItem> ItemsOf(const ProviderReconciliation& p,
                                        const std::string& item_class) {
  std::vector<ReconciliationItem> items;
  for (const auto& item : p.items()) {
    if (item.item_class() == item_class) items.push_back(item);
  }
  return items;
}

std::string Control(GatewayUnderTest& gateway, bool monato, const std::string& path,
                    const std::string& body) {
  return gateway.SandboxControl(monato, "/_sandbox/transfers/" + path, body);
}

// The "id" of a control's reply row.
std::string IdOf(const std::string& row) {
  const std::string key = "\"id\":\"";
  const size_t at = row.find(key);
  if (at == std::string::npos) return "";
  const size_t start = at + key.size();
  return row.substr(start, row.find('"', start) - start);
}

TEST(ReconciliationE2eTest, ACleanWindowIsAllMatchedAtBothProviders) {
  GatewayUnderTest gateway;
  const absl::Time from = absl::Now() - absl::Seconds(1);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(MustCreate(gateway, gateway.FintocPayout(absl::StrCat("c-f", i), 1000 + i)).id());
  }
  for (int i = 0; i < 2; ++i) {
    ids.push_back(MustCreate(gateway, gateway.MonatoPayout(absl::StrCat("c-m", i), 2000 + i)).id());
  }
  gateway.fintoc().SettlePending("", "");
  gateway.monato().SettlePending("", "");
  for (const std::string& id : ids) {
    EXPECT_EQ(Get(gateway, id).status(), payments::v1::PAYOUT_STATUS_SUCCEEDED) << id;
  }
  ReconciliationReport report;
  const grpc::Status status = Reconciler(gateway).Reconcile(
      from, absl::Now() + absl::Seconds(1), payments::v1::PROVIDER_UNSPECIFIED, &report);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(report.clean()) << report.DebugString();
  const ProviderReconciliation* fintoc = Of(report, payments::v1::PROVIDER_FINTOC);
  const ProviderReconciliation* monato = Of(report, payments::v1::PROVIDER_MONATO);
  ASSERT_NE(fintoc, nullptr);
  ASSERT_NE(monato, nullptr);
  EXPECT_EQ(Count(*fintoc, "matched"), 3);
  EXPECT_TRUE(fintoc->orphans_detectable());
  EXPECT_EQ(Count(*monato, "matched"), 2);
  EXPECT_FALSE(monato->orphans_detectable());  // Monato documents no listing
}

TEST(ReconciliationE2eTest, EachInjectedDiscrepancyIsReportedInItsClassWithItsIds) {
  GatewayUnderTest gateway;
  const absl::Time from = absl::Now() - absl::Seconds(1);
  std::map<std::string, Payout> payouts;
  for (const char* name : {"matched", "dropped", "amount", "clabe", "reference", "duplicated"}) {
    payouts[name] = MustCreate(gateway, gateway.FintocPayout(absl::StrCat("d-", name), 4321));
  }
  gateway.fintoc().SettlePending("", "");
  for (const auto& [name, payout] : payouts) {
    ASSERT_EQ(Get(gateway, payout.id()).status(), payments::v1::PAYOUT_STATUS_SUCCEEDED) << name;
  }
  auto native = [&](const char* name) { return payouts[name].provider_payout_id(); };
  Control(gateway, false, "drop", absl::StrCat(R"({"id":")", native("dropped"), R"("})"));
  Control(gateway, false, "alter",
          absl::StrCat(R"({"id":")", native("amount"), R"(","amount":5000})"));
  Control(gateway, false, "alter",
          absl::StrCat(R"({"id":")", native("clabe"),
                       R"(","counterparty_clabe":"002010077777777771"})"));
  Control(gateway, false, "alter",
          absl::StrCat(R"({"id":")", native("reference"), R"(","reference":"4242"})"));
  const std::string copy = IdOf(Control(gateway, false, "duplicate",
                                        absl::StrCat(R"({"id":")", native("duplicated"), R"("})")));
  const std::string orphan = IdOf(
      Control(gateway, false, "orphan",
              R"({"amount":12345,"counterparty_clabe":"014180655091438298","reference":"77"})"));
  ASSERT_FALSE(copy.empty());
  ASSERT_FALSE(orphan.empty());

  ReconciliationReport report;
  const grpc::Status status = Reconciler(gateway).Reconcile(from, absl::Now() + absl::Seconds(1),
                                                            payments::v1::PROVIDER_FINTOC, &report);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(report.clean());
  ASSERT_EQ(report.providers_size(), 1);
  const ProviderReconciliation& fintoc = report.providers(0);
  EXPECT_EQ(Count(fintoc, "matched"), 2) << fintoc.DebugString();  // "matched", "duplicated"
  const std::map<std::string, std::string> expected = {
      {"missing_at_provider", payouts["dropped"].id()},
      {"amount_mismatch", payouts["amount"].id()},
      {"counterparty_mismatch", payouts["clabe"].id()},
      {"reference_mismatch", payouts["reference"].id()}};
  for (const auto& [item_class, payout_id] : expected) {
    EXPECT_EQ(Count(fintoc, item_class), 1) << item_class;
    auto items = ItemsOf(fintoc, item_class);
    ASSERT_EQ(items.size(), 1u) << item_class;
    EXPECT_EQ(items[0].payout_id(), payout_id) << item_class;
  }
  auto amount = ItemsOf(fintoc, "amount_mismatch");
  EXPECT_EQ(amount[0].gateway_amount().amount_minor(), 4321);
  EXPECT_EQ(amount[0].provider_amount().amount_minor(), 5000);
  auto clabe = ItemsOf(fintoc, "counterparty_mismatch");
  ASSERT_EQ(clabe[0].differences_size(), 1);
  EXPECT_EQ(clabe[0].differences(0).provider_value(), "**************7771");  // masked
  auto duplicate = ItemsOf(fintoc, "duplicate_at_provider");
  ASSERT_EQ(duplicate.size(), 1u);
  EXPECT_EQ(duplicate[0].provider_payout_id(), copy);
  EXPECT_EQ(duplicate[0].duplicate_of(), payouts["duplicated"].id());
  auto orphans = ItemsOf(fintoc, "orphan_at_provider");
  ASSERT_EQ(orphans.size(), 1u);
  EXPECT_EQ(orphans[0].provider_payout_id(), orphan);
  EXPECT_EQ(orphans[0].payout_id(), "");
  EXPECT_EQ(orphans[0].provider_amount().amount_minor(), 12345);
}

// Reads a WatchPayouts stream on its own thread.
class Watcher {
 public:
  explicit Watcher(GatewayUnderTest& gateway) {
    reader_ = gateway.payouts().WatchPayouts(&context_, payments::v1::WatchPayoutsRequest());
    reader_->WaitForInitialMetadata();
    thread_ = std::thread([this] {
      payments::v1::PayoutEvent event;
      while (reader_->Read(&event)) {
        absl::MutexLock lock(&mu_);
        events_.push_back(event);
      }
    });
  }
  ~Watcher() {
    context_.TryCancel();
    thread_.join();
    reader_->Finish();
  }
  bool WaitFor(const std::string& payout_id, payments::v1::PayoutStatus status) {
    auto seen = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      for (const auto& event : events_) {
        if (event.payout().id() == payout_id && event.payout().status() == status) return true;
      }
      return false;
    };
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(absl::Condition(&seen), absl::Seconds(15));
  }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<payments::v1::PayoutEvent>> reader_;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<payments::v1::PayoutEvent> events_ ABSL_GUARDED_BY(mu_);
};

// The payout as the store holds it (ListPayouts reads the store; GetPayout would refresh a
// payout that is not final from the provider, and so fix it by itself).
Payout Stored(GatewayUnderTest& gateway, const std::string& payout_id) {
  payments::v1::ListPayoutsRequest request;
  request.set_page_size(100);
  payments::v1::ListPayoutsResponse response;
  EXPECT_TRUE(
      Call(gateway.payouts(), &payments::v1::PayoutService::Stub::ListPayouts, request, &response)
          .ok());
  for (const Payout& payout : response.payouts()) {
    if (payout.id() == payout_id) return payout;
  }
  ADD_FAILURE() << "no stored payout " << payout_id;
  return Payout();
}

TEST(ReconciliationE2eTest, AStatusTheProviderSettledIsAppliedAndShowsEverywhere) {
  GatewayUnderTest gateway;
  const absl::Time from = absl::Now() - absl::Seconds(1);
  Watcher watcher(gateway);
  const Payout fintoc = MustCreate(gateway, gateway.FintocPayout("s-fintoc", 777));
  const Payout monato = MustCreate(gateway, gateway.MonatoPayout("s-monato", 888));
  ASSERT_EQ(fintoc.status(), payments::v1::PAYOUT_STATUS_PENDING);
  // Settled at the provider without a webhook: only reconciliation can tell the gateway.
  Control(gateway, false, "alter",
          absl::StrCat(R"({"id":")", fintoc.provider_payout_id(), R"(","status":"succeeded"})"));
  Control(gateway, true, "alter",
          absl::StrCat(R"({"id":")", monato.provider_payout_id(), R"(","status":"LIQUIDATED"})"));
  EXPECT_NE(Stored(gateway, fintoc.id()).status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);

  ReconciliationReport report;
  const grpc::Status status = Reconciler(gateway).Reconcile(
      from, absl::Now() + absl::Seconds(1), payments::v1::PROVIDER_UNSPECIFIED, &report);
  ASSERT_TRUE(status.ok()) << status.error_message();
  for (const auto& [provider, payout] : {std::pair{payments::v1::PROVIDER_FINTOC, fintoc},
                                         std::pair{payments::v1::PROVIDER_MONATO, monato}}) {
    const ProviderReconciliation* p = Of(report, provider);
    ASSERT_NE(p, nullptr);
    auto items = ItemsOf(*p, "status_mismatch");
    ASSERT_EQ(items.size(), 1u) << p->DebugString();
    EXPECT_EQ(items[0].payout_id(), payout.id());
    EXPECT_EQ(items[0].status_action(), "apply");
    EXPECT_EQ(items[0].status_applied(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
    EXPECT_EQ(p->statuses_applied(), 1);
    EXPECT_EQ(Stored(gateway, payout.id()).status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
    EXPECT_EQ(Get(gateway, payout.id()).status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
    EXPECT_TRUE(watcher.WaitFor(payout.id(), payments::v1::PAYOUT_STATUS_SUCCEEDED));
  }
  // Applied: the next run over the same window is clean.
  ReconciliationReport again;
  ASSERT_TRUE(Reconciler(gateway)
                  .Reconcile(from, absl::Now() + absl::Seconds(1),
                             payments::v1::PROVIDER_UNSPECIFIED, &again)
                  .ok());
  EXPECT_TRUE(again.clean()) << again.DebugString();
}

// Fintoc made the transfer, but every reply was lost: the gateway holds an UNKNOWN payout with
// neither Fintoc's id nor a tracking key. The listing pairs it by amount, CLABE and reference;
// the payout learns its id and Fintoc's status.
TEST(ReconciliationE2eTest, AnUnknownPayoutIsPairedByFingerprintAndLearnsItsId) {
  GatewayUnderTest gateway;
  const absl::Time from = absl::Now() - absl::Seconds(1);
  sandbox::FaultPlan drop;
  drop.path_prefix = "/v2/transfers";
  drop.drop_after_next = 20;  // more than the client and the adapter retry
  gateway.fintoc_server().SetFaults(drop);
  Payout lost;
  {
    payments::v1::CreatePayoutRequest request = gateway.FintocPayout("u-lost", 31415);
    ASSERT_TRUE(
        Call(gateway.payouts(), &payments::v1::PayoutService::Stub::CreatePayout, request, &lost)
            .ok());
  }
  gateway.fintoc_server().SetFaults(sandbox::FaultPlan());
  ASSERT_EQ(lost.status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  ASSERT_EQ(Stored(gateway, lost.id()).provider_payout_id(), "");
  ASSERT_EQ(gateway.fintoc().counters().outbound_created, 1);

  ReconciliationReport report;
  ASSERT_TRUE(
      Reconciler(gateway)
          .Reconcile(from, absl::Now() + absl::Seconds(1), payments::v1::PROVIDER_FINTOC, &report)
          .ok());
  const ProviderReconciliation& fintoc = report.providers(0);
  auto items = ItemsOf(fintoc, "status_mismatch");
  ASSERT_EQ(items.size(), 1u) << fintoc.DebugString();
  EXPECT_EQ(items[0].payout_id(), lost.id());
  EXPECT_EQ(items[0].matched_by(), "fingerprint");
  EXPECT_EQ(items[0].status_applied(), payments::v1::PAYOUT_STATUS_PENDING);
  const Payout learnt = Stored(gateway, lost.id());
  EXPECT_EQ(learnt.status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(learnt.provider_payout_id(), items[0].provider_payout_id());
  EXPECT_FALSE(learnt.tracking_key().empty());
}

TEST(ReconciliationE2eTest, AMonatoTransactionDroppedOrChangedIsFoundByItsId) {
  GatewayUnderTest gateway;
  const absl::Time from = absl::Now() - absl::Seconds(1);
  const Payout dropped = MustCreate(gateway, gateway.MonatoPayout("m-drop", 500));
  const Payout altered = MustCreate(gateway, gateway.MonatoPayout("m-amount", 600));
  gateway.monato().SettlePending("", "");
  ASSERT_EQ(Get(gateway, dropped.id()).status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  ASSERT_EQ(Get(gateway, altered.id()).status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  Control(gateway, true, "drop", absl::StrCat(R"({"id":")", dropped.provider_payout_id(), R"("})"));
  Control(gateway, true, "alter",
          absl::StrCat(R"({"id":")", altered.provider_payout_id(), R"(","amount":601})"));
  ReconciliationReport report;
  ASSERT_TRUE(
      Reconciler(gateway)
          .Reconcile(from, absl::Now() + absl::Seconds(1), payments::v1::PROVIDER_MONATO, &report)
          .ok());
  const ProviderReconciliation& monato = report.providers(0);
  EXPECT_FALSE(monato.orphans_detectable());
  auto missing = ItemsOf(monato, "missing_at_provider");
  ASSERT_EQ(missing.size(), 1u) << monato.DebugString();
  EXPECT_EQ(missing[0].payout_id(), dropped.id());
  auto amount = ItemsOf(monato, "amount_mismatch");
  ASSERT_EQ(amount.size(), 1u) << monato.DebugString();
  EXPECT_EQ(amount[0].payout_id(), altered.id());
  EXPECT_EQ(amount[0].provider_amount().amount_minor(), 601);
}

TEST(ReconciliationE2eTest, BadWindowsAndUnknownProvidersAreRefusedNamingTheField) {
  GatewayUnderTest gateway;
  ReconciliationReport report;
  const absl::Time now = absl::Now();
  grpc::Status backwards = Reconciler(gateway).Reconcile(now, now - absl::Hours(1),
                                                         payments::v1::PROVIDER_FINTOC, &report);
  EXPECT_EQ(backwards.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(backwards.error_message(), testing::HasSubstr("to"));
  grpc::Status too_long = Reconciler(gateway).Reconcile(now - absl::Hours(24 * 40), now,
                                                        payments::v1::PROVIDER_FINTOC, &report);
  EXPECT_EQ(too_long.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

// A few thousand payouts on both sides: the provider's transfers made in the sandbox, the
// gateway's records of them saved in its store (as the engine saves them), then one run, cut
// into slices of at most 1,000 records (reconciliation.max_records_per_slice).
TEST(ReconciliationE2eTest, AWindowOfThousandsIsPagedOnBothSidesWithBoundedMemory) {
  constexpr int kPayouts = 3000;
  constexpr int kBatches = 6;
  constexpr int kCap = 1000;
  SandboxOptions options;
  options.reconciliation.max_records_per_slice = kCap;
  // The sandbox dates a transfer to the second, up to 1 s before the gateway's record of it.
  options.reconciliation.grace = absl::Milliseconds(1500);
  GatewayUnderTest gateway(options);
  const absl::Time from = absl::Now() - absl::Seconds(1);
  const absl::Time setup_start = absl::Now();
  std::vector<Payout> records;
  records.reserve(kPayouts);
  for (int i = 0; i < kPayouts; ++i) {
    // Six quick batches 5 s apart, so that the window can be cut: records closer than the grace
    // are each other's neighbours, held together. A slice is cut to no less than 2 * grace
    // (3 s), so halving yields slices of 3 to 6 s, counted with their neighbours over less
    // than 9 s: two batches (1,000) at most.
    if (i > 0 && i % (kPayouts / kBatches) == 0) absl::SleepFor(absl::Seconds(5));
    sandbox::OrphanOrder order;
    order.amount = 100 + i;
    order.counterparty_clabe = "014180655091438298";
    order.reference = absl::StrCat(1 + i);
    const sandbox::ControlOutcome made = gateway.fintoc().CreateOrphan(order);
    ASSERT_EQ(made.http_status, 200) << made.error;
    Payout payout;
    const std::string native(made.row.at("id").as_string());
    payout.set_id(absl::StrCat("fintoc.payout.", native));
    payout.set_provider(payments::v1::PROVIDER_FINTOC);
    payout.set_provider_payout_id(native);
    payout.set_source_account_id(gateway.FintocSourceAccount());
    payout.mutable_amount()->set_amount_minor(order.amount);
    payout.mutable_amount()->set_currency("MXN");
    payout.mutable_counterparty()->set_clabe(order.counterparty_clabe);
    payout.mutable_counterparty()->set_holder_name("Jon Snow");
    payout.set_numeric_reference(1 + i);
    payout.set_tracking_key(std::string(made.row.at("tracking_key").as_string()));
    payout.set_status(payments::v1::PAYOUT_STATUS_SUCCEEDED);
    *payout.mutable_create_time() = gateway::TimestampOf(absl::Now());
    records.push_back(std::move(payout));
  }
  absl::Notification saved;
  gateway.process().store().Run<bool>(
      [&records](idempotency::GatewayStore& s) -> absl::StatusOr<bool> {
        for (const Payout& payout : records) {
          absl::Status status = s.SavePayout({"loadgen", payout});
          if (!status.ok()) return status;
        }
        return true;
      },
      [&saved](absl::StatusOr<bool> done) {
        EXPECT_TRUE(done.ok()) << done.status();
        saved.Notify();
      });
  saved.WaitForNotification();
  const absl::Duration setup = absl::Now() - setup_start;

  metrics::GatewayMetrics& m = metrics::Metrics();
  const int64_t listings = m.provider_requests->Value({"fintoc", "ListSentPayouts", "OK"});
  const int64_t store_pages = m.store_operations->Value({"PayoutsCreatedWithin", "OK"});
  const absl::Time run_start = absl::Now();
  ReconciliationReport report;
  const grpc::Status status = Reconciler(gateway).Reconcile(from, absl::Now() + absl::Seconds(3),
                                                            payments::v1::PROVIDER_FINTOC, &report);
  const absl::Duration run = absl::Now() - run_start;
  ASSERT_TRUE(status.ok()) << status.error_message();
  const ProviderReconciliation& fintoc = report.providers(0);
  EXPECT_TRUE(fintoc.clean());
  EXPECT_EQ(Count(fintoc, "matched"), kPayouts);
  EXPECT_EQ(fintoc.gateway_payouts(), kPayouts);
  EXPECT_EQ(fintoc.provider_transfers(), kPayouts);
  // Neither side is held whole: each slice indexes at most the cap of the gateway's records
  // (its own and its neighbours), and the provider's transfers are never held.
  EXPECT_LE(fintoc.peak_held(), kCap);
  EXPECT_LT(fintoc.peak_held(), kPayouts);
  // Both sides in pages, slice by slice: the listing pages of every slice (a transfer near a
  // boundary is listed by both slices), the store's pages counted then read.
  const int64_t listing_pages =
      m.provider_requests->Value({"fintoc", "ListSentPayouts", "OK"}) - listings;
  const int64_t record_pages =
      m.store_operations->Value({"PayoutsCreatedWithin", "OK"}) - store_pages;
  EXPECT_GE(listing_pages, 10 + 2);  // 3,000 / 300, and at least three slices
  EXPECT_GT(record_pages, 7);
  std::cout << "reconciliation of " << kPayouts << " payouts (cap " << kCap
            << " records a slice, store pages of 500, Fintoc pages of 300): setup "
            << absl::FormatDuration(setup) << ", run " << absl::FormatDuration(run) << " ("
            << listing_pages << " listing pages, " << record_pages << " store pages), peak_held "
            << fintoc.peak_held() << "\n";
}

}  // namespace
}  // namespace e2e
