// STP through the real binaries: the sandbox process (STP flags, a fresh key pair) and a
// gateway process whose config has providers.stp and webhooks.stp_tokens; the simulator's
// state notification reaches the gateway's listener and the payout ends SUCCEEDED.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/e2e/process_fixtures.h"

namespace e2e {
namespace {

TEST(StpProcessE2eTest, APayoutAndItsReplayEndSucceededByTheNotificationWithOneOrder) {
  const int webhook_port = FreeWebhookPort();
  ASSERT_GT(webhook_port, 0);
  SandboxProcessOptions sandbox_options;
  sandbox_options.stp = true;
  sandbox_options.stp_webhook_port = webhook_port;
  Sandbox sandbox(sandbox_options);
  ASSERT_TRUE(sandbox.stp());
  GatewayProcessOptions gateway_options;
  gateway_options.webhook_port = webhook_port;
  gateway_options.admin = true;  // /metrics counts the applied notification
  Gateway gateway("stp-gateway", "sqlite://" + TempPath("stp-gateway.db"), sandbox,
                  gateway_options);

  const payments::v1::CreatePayoutRequest request =
      PayoutFrom(sandbox.SourceAccount(PROVIDER_STP), "stp-process-1", 4321);
  payments::v1::Payout payout;
  ASSERT_TRUE(CreateUntilAnswered(gateway.stub(), request, &payout).ok()) << gateway.Log();
  EXPECT_EQ(payout.provider(), PROVIDER_STP);
  EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_PENDING);
  payments::v1::Payout again;
  ASSERT_TRUE(CreateUntilAnswered(gateway.stub(), request, &again).ok());
  EXPECT_EQ(again.id(), payout.id());
  EXPECT_EQ(sandbox.TransfersCreated(PROVIDER_STP), 1);
  const auto transfers = sandbox.Transfers(PROVIDER_STP);
  ASSERT_EQ(transfers.size(), 1u);
  EXPECT_EQ(transfers.begin()->second.amount, 4321);

  EXPECT_EQ(sandbox.Control("POST", "/_sandbox/settle", "{}", PROVIDER_STP), R"({"settled":1})");
  // The simulator's LIQUIDADA reaches /webhooks/stp?token=... and is applied.
  EXPECT_TRUE(WaitUntil([&] {
    return absl::StrContains(HttpGet(gateway.admin_port(), "/metrics"),
                             R"(gateway_webhook_events_total{provider="stp",result="applied"} 1)");
  })) << HttpGet(gateway.admin_port(), "/metrics");
  EXPECT_TRUE(WaitUntil([&] {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    payments::v1::GetPayoutRequest get;
    get.set_payout_id(payout.id());
    payments::v1::Payout read;
    return gateway.stub().GetPayout(&context, get, &read).ok() &&
           read.status() == payments::v1::PAYOUT_STATUS_SUCCEEDED;
  }));
  EXPECT_TRUE(WaitUntil([&] {
    return absl::StrContains(sandbox.Control("GET", "/_sandbox/stp/state", "", PROVIDER_STP),
                             R"("webhooks_delivered":1)");
  })) << sandbox.Control("GET", "/_sandbox/stp/state", "", PROVIDER_STP);
  EXPECT_EQ(sandbox.TransfersCreated(PROVIDER_STP), 1);
}

}  // namespace
}  // namespace e2e
