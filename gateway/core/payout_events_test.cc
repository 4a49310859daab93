#include "gateway/core/payout_events.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gateway {
namespace {

payments::v1::PayoutEvent EventFor(const std::string& id, payments::v1::Provider provider) {
  payments::v1::PayoutEvent event;
  event.mutable_payout()->set_id(id);
  event.mutable_payout()->set_provider(provider);
  return event;
}

TEST(PayoutEventHubTest, FiltersByProviderAndId) {
  PayoutEventHub hub;
  std::vector<std::string> fintoc_seen, one_seen;
  payments::v1::WatchPayoutsRequest fintoc_only;
  fintoc_only.set_provider(payments::v1::PROVIDER_FINTOC);
  payments::v1::WatchPayoutsRequest one;
  one.add_payout_ids("monato.payout.2");
  ASSERT_TRUE(hub.Subscribe(
                     fintoc_only, "",
                     [&](const auto& e) { fintoc_seen.push_back(e.payout().id()); }, nullptr)
                  .ok());
  ASSERT_TRUE(hub.Subscribe(
                     one, "", [&](const auto& e) { one_seen.push_back(e.payout().id()); }, nullptr)
                  .ok());
  hub.Publish(1, EventFor("fintoc.payout.1", payments::v1::PROVIDER_FINTOC));
  hub.Publish(2, EventFor("monato.payout.2", payments::v1::PROVIDER_MONATO));
  EXPECT_EQ(fintoc_seen, std::vector<std::string>{"fintoc.payout.1"});
  EXPECT_EQ(one_seen, std::vector<std::string>{"monato.payout.2"});
}

TEST(PayoutEventHubTest, ResumesAfterACursorWithoutLosingEvents) {
  PayoutEventHub hub;
  std::vector<std::string> cursors;
  uint64_t first = *hub.Subscribe(
      {}, "", [&](const auto& e) { cursors.push_back(e.cursor()); }, nullptr);
  for (int i = 0; i < 5; ++i) {
    hub.Publish(i + 1,
                EventFor("monato.payout." + std::to_string(i), payments::v1::PROVIDER_MONATO));
  }
  hub.Unsubscribe(first);
  ASSERT_EQ(cursors.size(), 5u);
  // Reconnect having processed only the first two.
  payments::v1::WatchPayoutsRequest resume;
  resume.set_cursor(cursors[1]);
  std::vector<std::string> replayed;
  ASSERT_TRUE(
      hub.Subscribe(
             resume, "", [&](const auto& e) { replayed.push_back(e.payout().id()); }, nullptr)
          .ok());
  EXPECT_EQ(replayed,
            (std::vector<std::string>{"monato.payout.2", "monato.payout.3", "monato.payout.4"}));
}

TEST(PayoutEventHubTest, CursorOlderThanRetentionIsOutOfRange) {
  PayoutEventHub hub(/*retained_events=*/2);
  for (int i = 0; i < 5; ++i)
    hub.Publish(i + 1, EventFor("monato.payout.x", payments::v1::PROVIDER_MONATO));
  payments::v1::WatchPayoutsRequest resume;
  resume.set_cursor("1");
  EXPECT_EQ(hub.Subscribe(
                   resume, "", [](const auto&) {}, nullptr)
                .status()
                .code(),
            absl::StatusCode::kOutOfRange);
  resume.set_cursor("garbage");
  EXPECT_EQ(hub.Subscribe(
                   resume, "", [](const auto&) {}, nullptr)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  resume.set_cursor("99");
  EXPECT_EQ(hub.Subscribe(
                   resume, "", [](const auto&) {}, nullptr)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PayoutEventHubTest, StaleOrRepeatedSequencesAreIgnoredAndCursorsAreSequences) {
  PayoutEventHub hub;
  std::vector<std::string> cursors;
  ASSERT_TRUE(hub.Subscribe(
                     {}, "", [&](const auto& e) { cursors.push_back(e.cursor()); }, nullptr)
                  .ok());
  hub.Publish(7, EventFor("monato.payout.a", payments::v1::PROVIDER_MONATO));
  hub.Publish(7, EventFor("monato.payout.a", payments::v1::PROVIDER_MONATO));
  hub.Publish(5, EventFor("monato.payout.old", payments::v1::PROVIDER_MONATO));
  hub.Publish(9, EventFor("monato.payout.b", payments::v1::PROVIDER_MONATO));
  EXPECT_EQ(cursors, (std::vector<std::string>{"7", "9"}));
  EXPECT_EQ(hub.last_sequence(), 9);
}

TEST(PayoutEventHubTest, CloseEndsSubscriptionsAndRefusesNewOnes) {
  PayoutEventHub hub;
  int closed = 0;
  ASSERT_TRUE(hub.Subscribe(
                     {}, "", [](const auto&) {}, [&] { ++closed; })
                  .ok());
  hub.Close();
  EXPECT_EQ(closed, 1);
  EXPECT_EQ(hub.Subscribe(
                   {}, "", [](const auto&) {}, nullptr)
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace gateway
