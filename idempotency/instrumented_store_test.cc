// The decorator counts each operation once, by outcome, and passes results through unchanged.
#include "idempotency/instrumented_store.h"

#include "gtest/gtest.h"
#include "idempotency/memory_store.h"

namespace idempotency {
namespace {

TEST(InstrumentedStoreTest, CountsEveryOperationByOutcomeAndChangesNothing) {
  metrics::Counter operations("ops", "", {"operation", "outcome"});
  metrics::Histogram seconds("secs", "", {"operation"}, {absl::Milliseconds(1)});
  InstrumentedStore store(std::make_unique<MemoryStore>(), &operations, &seconds);

  ClaimRequest claim;
  claim.id = RecordKey{"caller", "CreatePayout", "key-1"};
  claim.fingerprint = "f";
  claim.owner = "me";
  claim.lease = absl::Seconds(30);
  claim.retention = absl::Hours(1);
  auto first = store.Claim(claim, absl::Now());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->outcome, ClaimOutcome::kClaimed);
  auto second = store.Claim(claim, absl::Now());
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->outcome, ClaimOutcome::kClaimed);  // the inner store's answer, unchanged
  // Completing as another owner fails: counted under its code.
  EXPECT_FALSE(store.Complete(claim.id, "someone-else", IdempotencyRecord()).ok());

  EXPECT_EQ(operations.Value({"Claim", "OK"}), 2);
  EXPECT_EQ(operations.Value({"Complete", "OK"}), 0);
  EXPECT_EQ(operations.Value({"Complete", "FAILED_PRECONDITION"}), 1);
  EXPECT_EQ(seconds.Count({"Claim"}), 2);
}

TEST(InstrumentedStoreTest, CountsReconciliationsWindowAndLeasesUnderTheirNames) {
  metrics::Counter operations("ops", "", {"operation", "outcome"});
  metrics::Histogram seconds("secs", "", {"operation"}, {absl::Milliseconds(1)});
  InstrumentedStore store(std::make_unique<MemoryStore>(), &operations, &seconds);

  PayoutWindowQuery window;
  window.provider = payments::v1::PROVIDER_FINTOC;
  auto page = store.PayoutsCreatedWithin(window);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_TRUE(page->payouts.empty());
  window.provider = payments::v1::PROVIDER_UNSPECIFIED;
  EXPECT_FALSE(store.PayoutsCreatedWithin(window).ok());
  const absl::Time now = absl::Now();
  EXPECT_TRUE(*store.TryTakeLease("reconcile", "a", now, absl::Seconds(30)));
  EXPECT_FALSE(*store.TryTakeLease("reconcile", "b", now, absl::Seconds(30)));  // passed through

  EXPECT_EQ(operations.Value({"PayoutsCreatedWithin", "OK"}), 1);
  EXPECT_EQ(operations.Value({"PayoutsCreatedWithin", "INVALID_ARGUMENT"}), 1);
  EXPECT_EQ(operations.Value({"TryTakeLease", "OK"}), 2);
  EXPECT_EQ(seconds.Count({"PayoutsCreatedWithin"}), 2);
  EXPECT_EQ(seconds.Count({"TryTakeLease"}), 2);
}

}  // namespace
}  // namespace idempotency
