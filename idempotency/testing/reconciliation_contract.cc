// The store's part of reconciliation, for every GatewayStore (StoreContractTest): the payouts
// one provider carried within a window of creation times, paged, and named leases.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "idempotency/testing/store_contract.h"

namespace idempotency {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);
const absl::Time kEnd = kStart + absl::Hours(1);

payments::v1::Payout PayoutAt(const std::string& id, payments::v1::Provider provider,
                              absl::Time created) {
  payments::v1::Payout payout;
  payout.set_id(id);
  payout.set_provider(provider);
  payout.set_source_account_id("acct-1");
  payout.set_status(payments::v1::PAYOUT_STATUS_PENDING);
  payout.mutable_amount()->set_amount_minor(195);
  payout.mutable_amount()->set_currency("MXN");
  const int64_t micros = absl::ToUnixMicros(created);
  payout.mutable_create_time()->set_seconds(micros / 1'000'000);
  payout.mutable_create_time()->set_nanos(static_cast<int32_t>(micros % 1'000'000) * 1000);
  return payout;
}

PayoutWindowQuery Window(payments::v1::Provider provider, absl::Time from = kStart,
                         absl::Time to = kEnd, int limit = 500) {
  PayoutWindowQuery query;
  query.provider = provider;
  query.created_from = from;
  query.created_to = to;
  query.limit = limit;
  return query;
}

std::vector<std::string> IdsOf(const PayoutWindowPage& page) {
  std::vector<std::string> ids;
  for (const StoredPayout& stored : page.payouts) ids.push_back(stored.payout.id());
  return ids;
}

TEST_P(StoreContractTest, AWindowHoldsThePayoutsCreatedFromItsStartUpToItsEnd) {
  const struct {
    const char* id;
    absl::Time created;
  } payouts[] = {{"fintoc.payout.before", kStart - absl::Microseconds(1)},
                 {"fintoc.payout.first", kStart},
                 {"fintoc.payout.middle", kStart + absl::Minutes(5)},
                 {"fintoc.payout.last", kEnd - absl::Microseconds(1)},
                 {"fintoc.payout.after", kEnd}};
  for (const auto& payout : payouts) {
    ASSERT_TRUE(store_
                    ->SavePayout({"billing", PayoutAt(payout.id, payments::v1::PROVIDER_FINTOC,
                                                      payout.created)})
                    .ok());
  }
  auto page = store_->PayoutsCreatedWithin(Window(payments::v1::PROVIDER_FINTOC));
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(IdsOf(*page), (std::vector<std::string>{"fintoc.payout.first", "fintoc.payout.middle",
                                                    "fintoc.payout.last"}));
  ASSERT_EQ(page->payouts.size(), 3u);
  EXPECT_EQ(page->payouts[0].caller, "billing");
  EXPECT_EQ(page->payouts[0].first_saved, kStart);  // the store's creation time, exact to the µs
  EXPECT_EQ(page->payouts[2].first_saved, kEnd - absl::Microseconds(1));
  EXPECT_NE(page->last_position, 0);
}

// Pages of 4 over 30 payouts of two providers and three callers: each of the provider's payouts
// once, in the order they were saved, then an empty page.
TEST_P(StoreContractTest, PagesCoverEveryCallersPayoutsOfOneProviderOnceInOrder) {
  std::vector<std::string> fintoc;
  for (int i = 0; i < 30; ++i) {
    const bool is_fintoc = i % 3 != 0;
    const std::string id = absl::StrCat(is_fintoc ? "fintoc" : "monato", ".payout.p", i);
    const std::string caller = absl::StrCat("caller-",
                                            i % 3 == 1   ? "a"
                                            : i % 3 == 2 ? "b"
                                                         : "c",
                                            i % 2);
    auto payout =
        PayoutAt(id, is_fintoc ? payments::v1::PROVIDER_FINTOC : payments::v1::PROVIDER_MONATO,
                 // Creation times not in save order: pages follow the saves, not the times.
                 kStart + absl::Seconds((i * 7) % 30));
    ASSERT_TRUE(store_->SavePayout({caller, payout}).ok());
    if (is_fintoc) fintoc.push_back(id);
  }
  std::vector<std::string> seen;
  std::set<std::string> callers;
  PayoutWindowQuery query = Window(payments::v1::PROVIDER_FINTOC, kStart, kEnd, 4);
  int pages = 0;
  for (; pages < 20; ++pages) {
    auto page = store_->PayoutsCreatedWithin(query);
    ASSERT_TRUE(page.ok()) << page.status();
    if (page->payouts.empty()) {
      EXPECT_EQ(page->last_position, 0);
      break;
    }
    EXPECT_LE(page->payouts.size(), 4u);
    EXPECT_GT(page->last_position, query.after_position);
    for (const StoredPayout& stored : page->payouts) {
      EXPECT_EQ(stored.payout.provider(), payments::v1::PROVIDER_FINTOC);
      seen.push_back(stored.payout.id());
      callers.insert(stored.caller);
    }
    query.after_position = page->last_position;
  }
  EXPECT_EQ(pages, 5);  // 20 payouts in pages of 4
  EXPECT_EQ(seen, fintoc);
  EXPECT_EQ(callers, (std::set<std::string>{"caller-a0", "caller-a1", "caller-b0", "caller-b1"}));
}

TEST_P(StoreContractTest, TheSamePayoutIdOfTwoCallersIsInTheWindowTwice) {
  for (const char* caller : {"billing", "payroll"}) {
    ASSERT_TRUE(store_
                    ->SavePayout({caller, PayoutAt("monato.payout.same",
                                                   payments::v1::PROVIDER_MONATO, kStart)})
                    .ok());
  }
  auto page = store_->PayoutsCreatedWithin(Window(payments::v1::PROVIDER_MONATO));
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->payouts.size(), 2u);
  EXPECT_EQ(page->payouts[0].caller, "billing");
  EXPECT_EQ(page->payouts[1].caller, "payroll");
}

// The creation time is the first save's: a later save (a status change, a different
// create_time from the provider) never moves a payout out of its window.
TEST_P(StoreContractTest, ALaterSaveKeepsThePayoutsCreationTime) {
  ASSERT_TRUE(store_
                  ->SavePayout({"billing", PayoutAt("fintoc.payout.kept",
                                                    payments::v1::PROVIDER_FINTOC, kStart)})
                  .ok());
  auto later = PayoutAt("fintoc.payout.kept", payments::v1::PROVIDER_FINTOC, kEnd + absl::Hours(2));
  later.set_status(payments::v1::PAYOUT_STATUS_SUCCEEDED);
  ASSERT_TRUE(store_->SavePayout({"billing", later}).ok());
  auto page = store_->PayoutsCreatedWithin(Window(payments::v1::PROVIDER_FINTOC));
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->payouts.size(), 1u);
  EXPECT_EQ(page->payouts[0].first_saved, kStart);
  EXPECT_EQ(page->payouts[0].payout.status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  auto moved = store_->PayoutsCreatedWithin(
      Window(payments::v1::PROVIDER_FINTOC, kEnd, kEnd + absl::Hours(3)));
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_TRUE(moved->payouts.empty());
}

// Without a create_time, the first save's time is the creation time.
TEST_P(StoreContractTest, APayoutWithoutACreateTimeIsCreatedWhenFirstSaved) {
  auto payout = PayoutAt("monato.payout.untimed", payments::v1::PROVIDER_MONATO, kStart);
  payout.clear_create_time();
  const absl::Time before = absl::Now();
  ASSERT_TRUE(store_->SavePayout({"billing", payout}).ok());
  const absl::Time after = absl::Now();
  payout.set_status(payments::v1::PAYOUT_STATUS_SUCCEEDED);
  ASSERT_TRUE(store_->SavePayout({"billing", payout}).ok());
  auto page = store_->PayoutsCreatedWithin(
      Window(payments::v1::PROVIDER_MONATO, before - absl::Seconds(1), after + absl::Seconds(1)));
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->payouts.size(), 1u);
  EXPECT_GE(page->payouts[0].first_saved, before - absl::Microseconds(1));
  EXPECT_LE(page->payouts[0].first_saved, after);
  auto at_kstart = store_->PayoutsCreatedWithin(Window(payments::v1::PROVIDER_MONATO));
  ASSERT_TRUE(at_kstart.ok()) << at_kstart.status();
  EXPECT_TRUE(at_kstart->payouts.empty());
}

TEST_P(StoreContractTest, AnEmptyWindowIsAnEmptyPageAtPositionZero) {
  ASSERT_TRUE(store_
                  ->SavePayout({"billing", PayoutAt("fintoc.payout.elsewhere",
                                                    payments::v1::PROVIDER_FINTOC, kEnd)})
                  .ok());
  auto page = store_->PayoutsCreatedWithin(Window(payments::v1::PROVIDER_FINTOC));
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_TRUE(page->payouts.empty());
  EXPECT_EQ(page->last_position, 0);
  auto other = store_->PayoutsCreatedWithin(
      Window(payments::v1::PROVIDER_MONATO, absl::InfinitePast(), absl::InfiniteFuture()));
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_TRUE(other->payouts.empty());
  EXPECT_EQ(other->last_position, 0);
  auto everything = store_->PayoutsCreatedWithin(
      Window(payments::v1::PROVIDER_FINTOC, absl::InfinitePast(), absl::InfiniteFuture()));
  ASSERT_TRUE(everything.ok()) << everything.status();
  EXPECT_EQ(everything->payouts.size(), 1u);
}

TEST_P(StoreContractTest, AWindowNeedsAProviderAndAPositiveLimit) {
  EXPECT_EQ(
      store_->PayoutsCreatedWithin(Window(payments::v1::PROVIDER_UNSPECIFIED)).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->PayoutsCreatedWithin(Window(payments::v1::PROVIDER_FINTOC, kStart, kEnd, 0))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(StoreContractTest, ALeaseIsTakenRefusedRenewedAndTakenOverOnceExpired) {
  const absl::Duration ttl = absl::Seconds(60);
  auto taken = store_->TryTakeLease("reconcile", "replica-a", kStart, ttl);
  ASSERT_TRUE(taken.ok()) << taken.status();
  EXPECT_TRUE(*taken);
  // Another holder while it is live: refused, and the lease stays replica-a's.
  EXPECT_FALSE(*store_->TryTakeLease("reconcile", "replica-b", kStart + absl::Seconds(30), ttl));
  // Renewed by its holder: now until +90 s.
  EXPECT_TRUE(*store_->TryTakeLease("reconcile", "replica-a", kStart + absl::Seconds(30), ttl));
  EXPECT_FALSE(*store_->TryTakeLease("reconcile", "replica-b", kStart + absl::Seconds(89), ttl));
  // Other names are other leases.
  EXPECT_TRUE(*store_->TryTakeLease("sweep", "replica-b", kStart + absl::Seconds(89), ttl));
  // Expired (its expiry reached): another holder takes it, and the first is refused.
  EXPECT_TRUE(*store_->TryTakeLease("reconcile", "replica-b", kStart + absl::Seconds(90), ttl));
  EXPECT_FALSE(*store_->TryTakeLease("reconcile", "replica-a", kStart + absl::Seconds(91), ttl));
  EXPECT_TRUE(*store_->TryTakeLease("reconcile", "replica-b", kStart + absl::Seconds(91), ttl));
}

TEST_P(StoreContractTest, ALeaseNeedsANameAHolderAndAPositiveTtl) {
  EXPECT_EQ(store_->TryTakeLease("", "a", kStart, absl::Seconds(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->TryTakeLease("n", "", kStart, absl::Seconds(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->TryTakeLease("n", "a", kStart, absl::ZeroDuration()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace idempotency
