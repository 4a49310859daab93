#include "sandbox/common/idempotency_store.h"

#include "gtest/gtest.h"
#include "sandbox/common/clock.h"

namespace sandbox {
namespace {

using Outcome = IdempotencyStore::Outcome;

TEST(IdempotencyStoreTest, FirstReplyIsReplayedForTheSameFingerprintOnly) {
  ManualClock clock(absl::FromUnixSeconds(1700000000));
  IdempotencyStore store(&clock, absl::Hours(24));
  EXPECT_EQ(store.Begin("k", "body-1").outcome, Outcome::kProceed);
  EXPECT_EQ(store.Begin("k", "body-1").outcome, Outcome::kInProgress);
  EXPECT_EQ(store.Begin("k", "body-2").outcome, Outcome::kMismatch);
  store.Complete("k", ServerReply::Json(400, R"({"error":"first"})"));
  const IdempotencyStore::Claim replay = store.Begin("k", "body-1");
  EXPECT_EQ(replay.outcome, Outcome::kReplay);
  EXPECT_EQ(replay.reply.status, 400);
  EXPECT_EQ(replay.reply.body, R"({"error":"first"})");
  EXPECT_EQ(store.Begin("k", "body-2").outcome, Outcome::kMismatch);
  EXPECT_EQ(store.replays(), 1);
  EXPECT_EQ(store.Begin("other", "body-2").outcome, Outcome::kProceed);
}

TEST(IdempotencyStoreTest, EntriesExpireAfterTheTtl) {
  ManualClock clock(absl::FromUnixSeconds(1700000000));
  IdempotencyStore store(&clock, absl::Hours(24));
  ASSERT_EQ(store.Begin("k", "a").outcome, Outcome::kProceed);
  store.Complete("k", ServerReply::Json(201, "{}"));
  clock.Advance(absl::Hours(24) - absl::Seconds(1));
  EXPECT_EQ(store.Begin("k", "a").outcome, Outcome::kReplay);
  clock.Advance(absl::Seconds(1));
  EXPECT_EQ(store.Begin("k", "b").outcome, Outcome::kProceed);
}

TEST(IdempotencyStoreTest, AbandonFreesTheKey) {
  ManualClock clock(absl::FromUnixSeconds(1700000000));
  IdempotencyStore store(&clock, absl::Hours(24));
  ASSERT_EQ(store.Begin("k", "a").outcome, Outcome::kProceed);
  store.Abandon("k");
  EXPECT_EQ(store.Begin("k", "b").outcome, Outcome::kProceed);
}

TEST(IdempotencyStoreTest, WithoutDedupEverySendProceedsAndNothingIsKept) {
  ManualClock clock(absl::FromUnixSeconds(1700000000));
  IdempotencyStore store(&clock, absl::Hours(24));
  ASSERT_EQ(store.Begin("kept", "a").outcome, Outcome::kProceed);
  store.Complete("kept", ServerReply::Json(201, R"({"id":"first"})"));
  store.set_dedup(false);
  EXPECT_FALSE(store.dedup());
  ASSERT_EQ(store.Begin("k", "a").outcome, Outcome::kProceed);
  EXPECT_EQ(store.Begin("k", "a").outcome, Outcome::kProceed);  // no kInProgress
  store.Complete("k", ServerReply::Json(201, "{}"));
  EXPECT_EQ(store.Begin("k", "a").outcome, Outcome::kProceed);  // no kReplay
  EXPECT_EQ(store.Begin("k", "b").outcome, Outcome::kProceed);  // no kMismatch
  EXPECT_EQ(store.Begin("kept", "a").outcome, Outcome::kProceed);
  store.Complete("kept", ServerReply::Json(201, R"({"id":"second"})"));
  EXPECT_EQ(store.replays(), 0);

  store.set_dedup(true);
  const IdempotencyStore::Claim replay = store.Begin("kept", "a");
  EXPECT_EQ(replay.outcome, Outcome::kReplay);
  EXPECT_EQ(replay.reply.body, R"({"id":"first"})");
  EXPECT_EQ(store.Begin("k", "a").outcome, Outcome::kProceed);  // never kept while off
}

}  // namespace
}  // namespace sandbox
