// STP end to end: gRPC -> gateway -> STP adapter (firma with the throwaway test key) -> HTTPS ->
// STP simulator, which verifies every firma and refuses a reused claveRastreo; its state and
// deposit notifications come back to the gateway's webhook listener with the shared token.
#include <functional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "providers/common/json_fields.h"
#include "tests/e2e/gateway_under_test.h"

namespace e2e {
namespace {

using payments::v1::AccountService;
using payments::v1::Payout;

SandboxOptions WithStp() {
  SandboxOptions options;
  options.stp = true;
  return options;
}

// Polls `condition` until it holds (20 s at most); whether it held.
bool Eventually(const std::function<bool()>& condition) {
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  while (!condition()) {
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

// The STP order id of the one sent order in the simulator's rows ("" if not exactly one).
std::string OnlySentOrderId(GatewayUnderTest& gateway) {
  std::string id;
  int sent = 0;
  for (const boost::json::value& row : gateway.stp().TransfersJson()) {
    if (!row.is_object() || providers::StringOr(row.as_object(), "tipo") != "E") continue;
    ++sent;
    id = providers::StringOr(row.as_object(), "id");
  }
  return sent == 1 ? id : "";
}

TEST(StpE2eTest, APayoutIsPendingThenSucceededByTheStateNotification) {
  GatewayUnderTest gateway(WithStp());
  Payout payout = MustCreate(gateway, gateway.StpPayout("stp-1", 12345));
  EXPECT_EQ(payout.provider(), payments::v1::PROVIDER_STP);
  EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(payout.amount().amount_minor(), 12345);
  EXPECT_FALSE(payout.tracking_key().empty());
  EXPECT_EQ(gateway.stp().counters().orders_created, 1);
  EXPECT_EQ(gateway.stp().counters().signatures_rejected, 0);

  EXPECT_EQ(gateway.StpControl("/_sandbox/settle", "{}"), R"({"settled":1})");
  // The simulator POSTs LIQUIDADA to the gateway's /webhooks/stp?token=..., which verifies the
  // token and applies it (after reading the order back).
  EXPECT_TRUE(Eventually([&] { return gateway.webhooks().counters().applied.load() == 1; }));
  EXPECT_EQ(gateway.webhooks().counters().rejected_auth.load(), 0);
  Payout settled = Get(gateway, payout.id());
  EXPECT_EQ(settled.status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ(settled.provider_payout_id(), payout.tracking_key());
  EXPECT_TRUE(Eventually([&] { return gateway.stp().counters().webhooks.delivered == 1; }));
  EXPECT_EQ(gateway.stp().counters().webhooks.failed, 0);
}

TEST(StpE2eTest, AReplayWithTheSameKeyAnswersTheSamePayoutAndSendsNoSecondOrder) {
  GatewayUnderTest gateway(WithStp());
  Payout first = MustCreate(gateway, gateway.StpPayout("stp-replay", 500));
  Payout again = MustCreate(gateway, gateway.StpPayout("stp-replay", 500));
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(again.tracking_key(), first.tracking_key());
  EXPECT_EQ(gateway.stp().counters().orders_created, 1);
  EXPECT_EQ(gateway.stp().counters().tracking_keys_reused, 0);
  const sandbox::SendSnapshot sends = gateway.stp().sends();
  EXPECT_EQ(sends.MaxCreatedPerKey(), 1);
  EXPECT_EQ(SendsOf(sends, "orden"), 1);
  EXPECT_FALSE(OnlySentOrderId(gateway).empty());
}

TEST(StpE2eTest, ALostReplyIsResolvedByTrackingKeyWithExactlyOneOrder) {
  GatewayUnderTest gateway(WithStp());
  EXPECT_THAT(gateway.StpControl("/_sandbox/send_faults", R"({"lose_reply_next":1})"),
              testing::HasSubstr(R"("lose_reply_next":1)"));
  payments::v1::CreatePayoutRequest request = gateway.StpPayout("stp-lost", 777);
  payments::v1::Payout payout;
  grpc::Status status =
      Call(gateway.payouts(), &payments::v1::PayoutService::Stub::CreatePayout, request, &payout);
  ASSERT_TRUE(status.ok()) << status.error_message();
  if (payout.status() == payments::v1::PAYOUT_STATUS_UNKNOWN) {
    absl::Notification done;
    gateway.engine().ResolveOnce(absl::ZeroDuration(), [&](int) { done.Notify(); });
    done.WaitForNotification();
  }
  Payout resolved = Get(gateway, payout.id());
  EXPECT_EQ(resolved.status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(resolved.provider(), payments::v1::PROVIDER_STP);
  EXPECT_EQ(gateway.stp().counters().orders_created, 1);
  const sandbox::SendSnapshot sends = gateway.stp().sends();
  EXPECT_EQ(sends.MaxCreatedPerKey(), 1);
  EXPECT_EQ(sends.total.replies_lost, 1);
  // The adapter's retry of the same claveRastreo was refused (-1, already used), and the order
  // was then read by its tracking key.
  EXPECT_EQ(gateway.stp().counters().tracking_keys_reused, 1);
  EXPECT_EQ(resolved.provider_payout_id(), resolved.tracking_key());
  // A replay of the key now answers the same payout without another order.
  EXPECT_EQ(MustCreate(gateway, request).id(), payout.id());
  EXPECT_EQ(gateway.stp().counters().orders_created, 1);
}

TEST(StpE2eTest, EveryReplyLostIsUnknownThenTheResolverFindsTheOneOrderByTrackingKey) {
  GatewayUnderTest gateway(WithStp());
  gateway.StpControl("/_sandbox/send_faults", R"({"lose_reply_next":20})");
  payments::v1::CreatePayoutRequest request = gateway.StpPayout("stp-unknown", 888);
  payments::v1::Payout payout;
  grpc::Status status =
      Call(gateway.payouts(), &payments::v1::PayoutService::Stub::CreatePayout, request, &payout);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  gateway.StpControl("/_sandbox/send_faults", R"({"lose_reply_next":0})");
  absl::Notification done;
  gateway.engine().ResolveOnce(absl::ZeroDuration(), [&](int) { done.Notify(); });
  done.WaitForNotification();
  Payout resolved = Get(gateway, payout.id());
  EXPECT_EQ(resolved.status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(resolved.provider_payout_id(), resolved.tracking_key());
  EXPECT_EQ(gateway.stp().counters().orders_created, 1);
  EXPECT_EQ(gateway.stp().sends().MaxCreatedPerKey(), 1);
  EXPECT_GE(gateway.stp().sends().total.replies_lost, 1);
  ASSERT_FALSE(OnlySentOrderId(gateway).empty());
}

TEST(StpE2eTest, ASettledOrderReturnedByTheBankEndsReturned) {
  GatewayUnderTest gateway(WithStp());
  Payout payout = MustCreate(gateway, gateway.StpPayout("stp-return", 2500));
  const std::string order = OnlySentOrderId(gateway);
  ASSERT_FALSE(order.empty());
  EXPECT_EQ(gateway.StpControl("/_sandbox/settle", absl::StrCat(R"({"id":)", order, "}")),
            R"({"settled":1})");
  EXPECT_TRUE(Eventually([&] { return gateway.webhooks().counters().applied.load() == 1; }));
  EXPECT_EQ(Get(gateway, payout.id()).status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ(
      gateway.StpControl("/_sandbox/settle", absl::StrCat(R"({"id":)", order, R"(,"estado":"D"})")),
      R"({"settled":1})");
  // DEVUELTA: the notification moves the payout on.
  EXPECT_TRUE(Eventually([&] { return gateway.webhooks().counters().applied.load() == 2; }));
  EXPECT_EQ(Get(gateway, payout.id()).status(), payments::v1::PAYOUT_STATUS_RETURNED);
  EXPECT_EQ(gateway.stp().counters().orders_created, 1);
}

TEST(StpE2eTest, ADepositIsReceivedAndListed) {
  GatewayUnderTest gateway(WithStp());
  const std::string reply = gateway.StpControl(
      "/_sandbox/stp/receive",
      R"({"amount":50075,"claveRastreo":"DEPOSITO0001","conceptoPago":"Pago factura 7"})");
  ASSERT_THAT(reply, testing::HasSubstr("DEPOSITO0001"));
  EXPECT_TRUE(Eventually([&] { return gateway.webhooks().counters().money_in.load() == 1; }));
  payments::v1::ListReceivedTransactionsResponse listed;
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  do {
    payments::v1::ListReceivedTransactionsRequest request;
    request.set_provider(payments::v1::PROVIDER_STP);
    listed.Clear();
    grpc::Status status =
        Call(gateway.accounts(), &AccountService::Stub::ListReceivedTransactions, request, &listed);
    ASSERT_TRUE(status.ok()) << status.error_message();
    if (listed.transactions_size() > 0) break;
    absl::SleepFor(absl::Milliseconds(20));
  } while (absl::Now() < give_up);
  ASSERT_EQ(listed.transactions_size(), 1);
  const payments::v1::ReceivedTransaction& received = listed.transactions(0);
  EXPECT_EQ(received.provider(), payments::v1::PROVIDER_STP);
  EXPECT_EQ(received.amount().amount_minor(), 50075);
  EXPECT_EQ(received.amount().currency(), "MXN");
  EXPECT_EQ(received.tracking_key(), "DEPOSITO0001");
  EXPECT_EQ(gateway.stp().counters().deposits_received, 1);
}

}  // namespace
}  // namespace e2e
