#include "providers/stp/stp_tracking_key.h"

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "vocabulary/idempotency_keys.h"

namespace providers::stp {
namespace {

TEST(StpTrackingKeyTest, SameNameGivesTheSameKeyEveryTime) {
  const std::string name = ProviderKeyName("svc-a", "payout", "order-42");
  auto first = TrackingKeyFor("GW", name);
  auto again = TrackingKeyFor("GW", name);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*first, *again);
}

TEST(StpTrackingKeyTest, GoldenValueDoesNotDriftAcrossReleases) {
  // A changed derivation would give in-flight payouts a new key after an upgrade, and a retry
  // a second order: this value must never change.
  auto key = TrackingKeyFor("GW", "abc");
  ASSERT_TRUE(key.ok());
  // "GW" + base32(SHA-256("abc")) (RFC 4648, upper case) cut to 27, computed with Python.
  EXPECT_EQ(*key, "GWXJ4BNP4PAHH6UQKBIDPF3LRCEOY");
}

TEST(StpTrackingKeyTest, FormatIsTwentyNineLettersAndDigits) {
  for (absl::string_view prefix : {"", "GW", "ABCDEFGH9"}) {
    auto key = TrackingKeyFor(prefix, "some idempotency name");
    ASSERT_TRUE(key.ok()) << key.status();
    EXPECT_EQ(key->size(), kTrackingKeyLength);
    EXPECT_EQ(key->substr(0, prefix.size()), prefix);
    EXPECT_TRUE(IsValidTrackingKey(*key)) << *key;
    for (char c : key->substr(prefix.size())) {
      EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7')) << *key;
    }
  }
}

TEST(StpTrackingKeyTest, DifferentPayoutsGetDifferentKeys) {
  std::set<std::string> keys;
  for (int i = 0; i < 2000; ++i) {
    auto key = TrackingKeyFor("GW", ProviderKeyName("svc", "payout", std::to_string(i)));
    ASSERT_TRUE(key.ok());
    keys.insert(*key);
  }
  EXPECT_EQ(keys.size(), 2000u);
  // The caller is part of the name: two services' equal keys are different payouts.
  EXPECT_NE(*TrackingKeyFor("GW", ProviderKeyName("svc-a", "payout", "k")),
            *TrackingKeyFor("GW", ProviderKeyName("svc-b", "payout", "k")));
}

TEST(StpTrackingKeyTest, BadPrefixOrEmptyNameIsRefused) {
  EXPECT_EQ(TrackingKeyFor("GW", "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TrackingKeyFor("gw", "x").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TrackingKeyFor("G-W", "x").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TrackingKeyFor("ABCDEFGHIJ", "x").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(StpTrackingKeyTest, ValidityCheck) {
  EXPECT_TRUE(IsValidTrackingKey("CR1609257595"));
  EXPECT_TRUE(IsValidTrackingKey(std::string(30, 'A')));
  EXPECT_FALSE(IsValidTrackingKey(std::string(31, 'A')));
  EXPECT_FALSE(IsValidTrackingKey(""));
  EXPECT_FALSE(IsValidTrackingKey("CR 1"));
  EXPECT_FALSE(IsValidTrackingKey("CR|1"));
  EXPECT_FALSE(IsValidTrackingKey("CR\xc3\xa91"));
}

}  // namespace
}  // namespace providers::stp
