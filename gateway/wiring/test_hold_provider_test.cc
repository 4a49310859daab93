#include "gateway/wiring/test_hold_provider.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "providers/testing/fake_provider.h"

namespace gateway {
namespace {

using providers::FakeProvider;

TEST(TestHoldProviderTest, WithoutTheVariableTheAdapterIsNotWrapped) {
  unsetenv("GATEWAY_TEST_HOLD_DIR");
  auto fake = std::make_unique<FakeProvider>(payments::v1::PROVIDER_FINTOC);
  providers::Provider* raw = fake.get();
  EXPECT_EQ(WithTestHolds(std::move(fake)).get(), raw);
}

TEST(TestHoldProviderTest, APayoutWaitsWhileTheHoldFileExistsThenGoesOn) {
  const std::string dir = std::getenv("TEST_TMPDIR");
  setenv("GATEWAY_TEST_HOLD_DIR", dir.c_str(), 1);
  auto fake = std::make_unique<FakeProvider>(payments::v1::PROVIDER_FINTOC);
  FakeProvider* inner = fake.get();
  auto held = WithTestHolds(std::move(fake));
  unsetenv("GATEWAY_TEST_HOLD_DIR");
  ASSERT_NE(held.get(), inner);

  const std::string before_send = dir + "/before_send";
  std::ofstream(before_send) << "hold\n";
  providers::PayoutOrder order;
  order.request.set_idempotency_key("held");
  order.request.mutable_amount()->set_amount_minor(100);
  order.request.mutable_amount()->set_currency("MXN");
  order.source_account_native_id = "acc_1";
  absl::Notification answered;
  held->CreatePayout(order, {}, [&](absl::StatusOr<payments::v1::Payout> payout) {
    EXPECT_TRUE(payout.ok()) << payout.status();
    answered.Notify();
  });
  // Held: not sent while the file exists.
  EXPECT_FALSE(answered.WaitForNotificationWithTimeout(absl::Milliseconds(200)));
  EXPECT_EQ(inner->CallCount("CreatePayout"), 0);
  std::remove(before_send.c_str());
  EXPECT_TRUE(answered.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_EQ(inner->CallCount("CreatePayout"), 1);
}

}  // namespace
}  // namespace gateway
