#include "providers/stp/stp_webhook.h"

#include "gtest/gtest.h"

namespace providers::stp {
namespace {

const std::vector<std::string> kTokens = {"new-token", "old-token"};

TEST(StpWebhookTest, OnlyAConfiguredTokenIsAccepted) {
  const char body[] = R"({"id":9349827,"Estado":"LIQUIDACION","Detalle":"0"})";
  EXPECT_EQ(VerifyStpNotification(kTokens, "", body).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyStpNotification(kTokens, "new-toke", body).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyStpNotification({}, "", body).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(VerifyStpNotification(kTokens, "old-token", body).ok());
  EXPECT_EQ(VerifyStpNotification(kTokens, "new-token", "not json").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(StpWebhookTest, StateChangeIsKnownByTrackingKeyAndConfirmedByReading) {
  auto event = VerifyStpNotification(
      kTokens, "new-token",
      R"({"id":"9349827","empresa":"TAMIZI","folioOrigen":"GWXJ4BNP4PAHH6UQKBIDPF3LRCEOY",)"
      R"("estado":"LIQUIDADA"})");
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->provider, payments::v1::PROVIDER_STP);
  EXPECT_EQ(event->kind, WebhookEvent::Kind::kPayoutStatus);
  EXPECT_EQ(event->provider_payout_id, "GWXJ4BNP4PAHH6UQKBIDPF3LRCEOY");
  EXPECT_EQ(event->status, payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_TRUE(event->confirm_by_reading);
}

TEST(StpWebhookTest, DepositIsMoneyInToTheNamedAccount) {
  auto event = VerifyStpNotification(
      kTokens, "new-token",
      R"({"id":2456303,"fechaOperacion":20250105,"institucionOrdenante":"40072",)"
      R"("claveRastreo":"ABC123","monto":"10.00","nombreOrdenante":"Juan",)"
      R"("cuentaOrdenante":"072691004495711499","cuentaBeneficiario":"646180110400000007",)"
      R"("conceptoPago":"pago","empresa":"TAMIZI"})");
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->provider, payments::v1::PROVIDER_STP);
  EXPECT_EQ(event->kind, WebhookEvent::Kind::kMoneyIn);
  EXPECT_EQ(event->amount_minor, 1000);
  EXPECT_EQ(event->receiving_account_number, "646180110400000007");
  EXPECT_FALSE(event->confirm_by_reading);
}

}  // namespace
}  // namespace providers::stp
