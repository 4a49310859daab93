#include "providers/stp/stp_notifications.h"

#include <string>

#include "gtest/gtest.h"

namespace providers::stp {
namespace {

TEST(StpStateChangeTest, SpeidFormSettles) {
  auto event = ParseStateChange(R"({"id":9349827,"Estado":"LIQUIDACION","Detalle":"0"})");
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->kind, WebhookEvent::Kind::kPayoutStatus);
  EXPECT_EQ(event->provider_payout_id, "9349827");
  EXPECT_EQ(event->status, payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ(event->provider_status, "LIQUIDACION");
  EXPECT_EQ(event->event_id, "9349827:LIQUIDACION");
  EXPECT_TRUE(event->reason.empty());
  EXPECT_TRUE(event->confirm_by_reading);  // STP signs nothing: read the order back
}

TEST(StpStateChangeTest, NewerFormReturnsWithReasonAndTrackingKey) {
  auto event = ParseStateChange(
      R"({"id":"9349827","empresa":"TAMIZI","folioOrigen":"GWXJ4BNP4PAHH6UQKBIDPF3LRCEOY",)"
      R"("estado":"Devuelta","causaDevolucion":"Cuenta inexistente 072691004495711499",)"
      R"("tsLiquidacion":"1587197044940"})");
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->status, payments::v1::PAYOUT_STATUS_RETURNED);
  EXPECT_EQ(event->tracking_key, "GWXJ4BNP4PAHH6UQKBIDPF3LRCEOY");
  EXPECT_EQ(event->reason, "Cuenta inexistente ****1499");
  EXPECT_EQ(event->event_id, "9349827:DEVUELTA");
  auto cancelled = ParseStateChange(R"({"id":1,"estado":"CANCELADA","claveRastreo":"bad key!"})");
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->status, payments::v1::PAYOUT_STATUS_FAILED);
  EXPECT_TRUE(cancelled->tracking_key.empty());  // not a key STP accepts
  auto odd = ParseStateChange(R"({"id":1,"estado":"EN_PROCESO"})");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->status, payments::v1::PAYOUT_STATUS_UNKNOWN);
}

TEST(StpStateChangeTest, MissingIdOrStateIsRefused) {
  for (const char* body :
       {"", "[]", "{}", R"({"Estado":"LIQUIDACION"})", R"({"id":0,"Estado":"LIQUIDACION"})",
        R"({"id":-5,"Estado":"LIQUIDACION"})", R"({"id":1.5,"Estado":"LIQUIDACION"})",
        R"({"id":1})", R"({"id":1,"estado":""})", R"({"id":1,"estado":"\u0001"})",
        R"({"id":1,"estado":["LQ"]})"}) {
    auto event = ParseStateChange(body);
    EXPECT_EQ(event.status().code(), absl::StatusCode::kInvalidArgument) << body;
  }
}

TEST(StpDepositTest, SpeidCapitalisedForm) {
  auto event = ParseDeposit(
      R"({"Clave":2456303,"FechaOperacion":20230825,"InstitucionOrdenante":40012,)"
      R"("InstitucionBeneficiaria":90646,"ClaveRastreo":"MBAN01002308250012345","Monto":1500.5,)"
      R"("NombreOrdenante":"MARIA LOPEZ","TipoCuentaOrdenante":40,)"
      R"("CuentaOrdenante":"012180015555555555","RFCCurpOrdenante":"ND",)"
      R"("NombreBeneficiario":"CLIENTE","TipoCuentaBeneficiario":40,)"
      R"("CuentaBeneficiario":"646180110400000007","ConceptoPago":"RENTA",)"
      R"("ReferenciaNumerica":1234567,"Empresa":"TAMIZI"})");
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->kind, WebhookEvent::Kind::kMoneyIn);
  EXPECT_EQ(event->event_id, "abono:2456303");
  EXPECT_EQ(event->amount_minor, 150050);
  EXPECT_EQ(event->currency, "MXN");
  EXPECT_EQ(event->payer_name, "MARIA LOPEZ");
  EXPECT_EQ(event->payer_account, "012180015555555555");
  EXPECT_EQ(event->description, "RENTA");
  EXPECT_EQ(event->receiving_account_number, "646180110400000007");
  EXPECT_EQ(event->tracking_key, "MBAN01002308250012345");
  EXPECT_FALSE(event->confirm_by_reading);
}

TEST(StpDepositTest, CamelCaseFormAndIdFallback) {
  auto event = ParseDeposit(
      R"({"fechaOperacion":20250105,"institucionOrdenante":"40072",)"
      R"("claveRastreo":"ABC123","monto":"10.00","nombreOrdenante":"Juan",)"
      R"("cuentaOrdenante":"072691004495711499","cuentaBeneficiario":"646180110400000007",)"
      R"("conceptoPago":"pago","empresa":"TAMIZI","tsLiquidacion":1736100000000})");
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->event_id, "abono:ABC123:20250105");
  EXPECT_EQ(event->amount_minor, 1000);
  EXPECT_TRUE(event->provider_payout_id.empty());
}

TEST(StpDepositTest, HostileDepositsAreRefused) {
  for (const char* body :
       {"", "{}", R"({"id":1,"monto":0,"cuentaBeneficiario":"646180110400000007"})",
        R"({"id":1,"monto":-3,"cuentaBeneficiario":"646180110400000007"})",
        R"({"id":1,"monto":1.005,"cuentaBeneficiario":"646180110400000007"})",
        R"({"id":1,"monto":"1e3","cuentaBeneficiario":"646180110400000007"})",
        R"({"id":1,"monto":10})", R"({"id":1,"monto":10,"cuentaBeneficiario":"abc"})",
        R"({"monto":10,"cuentaBeneficiario":"646180110400000007"})"}) {
    EXPECT_EQ(ParseDeposit(body).status().code(), absl::StatusCode::kInvalidArgument) << body;
  }
}

TEST(StpAnswersTest, AnswersAreWhatStpExpects) {
  EXPECT_EQ(DepositAnswer(), R"({"mensaje":"confirmar"})");
  EXPECT_EQ(StateChangeAnswer(), R"({"mensaje":"recibido"})");
}

}  // namespace
}  // namespace providers::stp
