// Settlement and notifications: a state change to LIQUIDACION, CANCELACION and DEVOLUCION,
// scheduled settlement, deposits, and the reconciliation controls.
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "sandbox/stp/stp_test_fixture.h"

namespace sandbox {
namespace {

using StpLifecycleTest = StpSandboxTest;

TEST_F(StpLifecycleTest, SettleSendsStateChangeNotification) {
  TestOrder order;
  const int64_t id = ResultadoId(Registra(order.Body()));
  ASSERT_GT(id, 0);
  EXPECT_EQ(StateCount("/orders_pending"), 1);
  EXPECT_TRUE(states_.requests().empty());

  ASSERT_EQ(client().Post("/_sandbox/settle", "").body, R"({"settled":1})");
  const std::vector<ServerRequest> events = states_.WaitFor(1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].path, "/stp/cambio_estado");
  const boost::json::value body = boost::json::parse(events[0].body);
  EXPECT_EQ(body.at("id").as_int64(), id);
  EXPECT_EQ(body.at("empresa").as_string(), kStpDefaultEmpresa);
  EXPECT_EQ(body.at("folioOrigen").as_string(), order.clave_rastreo);
  EXPECT_EQ(body.at("estado").as_string(), "LIQUIDADA");
  EXPECT_EQ(StateCount("/orders_pending"), 0);
  EXPECT_EQ(
      JsonStrAt(JsonBody(ConsultaPorRastreo(order.clave_rastreo)), "/resultado/ordenPago/estado"),
      "LQ");

  // A return of the liquidated order.
  ASSERT_EQ(
      client().Post("/_sandbox/settle", absl::StrCat(R"({"id":)", id, R"(,"estado":"D"})")).body,
      R"({"settled":1})");
  const std::vector<ServerRequest> more = states_.WaitFor(2);
  ASSERT_EQ(more.size(), 2u);
  EXPECT_EQ(boost::json::parse(more[1].body).at("estado").as_string(), "DEVUELTA");
  EXPECT_EQ(
      JsonStrAt(JsonBody(ConsultaPorRastreo(order.clave_rastreo)), "/resultado/ordenPago/estado"),
      "D");
}

TEST_F(StpLifecycleTest, TriggerBeneficiaryIsCancelled) {
  TestOrder order;
  order.cuenta_beneficiario = kStpCancelledBeneficiary;
  order.institucion_contraparte = "40012";
  ASSERT_GT(ResultadoId(Registra(order.Body())), 0);
  simulator_->Settle(0, "");
  const std::vector<ServerRequest> events = states_.WaitFor(1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(boost::json::parse(events[0].body).at("estado").as_string(), "CANCELADA");
}

TEST_F(StpLifecycleTest, ScheduledSettlement) {
  StpConfig config = DefaultConfig();
  config.settle_after = absl::Milliseconds(50);
  StartSandbox(config);
  TestOrder order;
  ASSERT_GT(ResultadoId(Registra(order.Body())), 0);
  const std::vector<ServerRequest> events = states_.WaitFor(1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(boost::json::parse(events[0].body).at("estado").as_string(), "LIQUIDADA");
}

TEST_F(StpLifecycleTest, DepositIsRecordedAndNotified) {
  const HttpResponse received =
      client().Post("/_sandbox/stp/receive",
                    R"({"amount":500,"claveRastreo":"DEP123","nombreOrdenante":"JUAN PEREZ"})");
  ASSERT_EQ(received.status, 201) << received.body;
  const std::vector<ServerRequest> events = deposits_.WaitFor(1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].path, "/stp/abono");
  EXPECT_TRUE(absl::StrContains(events[0].body, "\"monto\":5.00")) << events[0].body;
  const boost::json::value body = boost::json::parse(events[0].body);
  EXPECT_EQ(body.at("claveRastreo").as_string(), "DEP123");
  EXPECT_EQ(body.at("cuentaBeneficiario").as_string(), kStpDefaultCuentaOrdenante);
  EXPECT_EQ(body.at("institucionOrdenante").as_int64(), 40012);
  EXPECT_EQ(body.at("institucionBeneficiaria").as_int64(), 90646);
  EXPECT_EQ(StateCount("/deposits_received"), 1);
  EXPECT_TRUE(states_.requests().empty());
}

TEST_F(StpLifecycleTest, ReconciliationControls) {
  TestOrder order;
  const int64_t id = ResultadoId(Registra(order.Body()));
  ASSERT_GT(id, 0);
  const HttpResponse copy =
      client().Post("/_sandbox/transfers/duplicate", absl::StrCat(R"({"id":")", id, R"("})"));
  ASSERT_EQ(copy.status, 201) << copy.body;
  EXPECT_EQ(JsonStr(JsonBody(copy), "tracking_key"), order.clave_rastreo);

  const HttpResponse altered = client().Post("/_sandbox/transfers/alter",
                                             absl::StrCat(R"({"id":")", id, R"(","amount":999})"));
  ASSERT_EQ(altered.status, 200) << altered.body;
  EXPECT_TRUE(absl::StrContains(ConsultaPorRastreo(order.clave_rastreo).body, "\"monto\":9.99"));

  ASSERT_EQ(
      client().Post("/_sandbox/transfers/drop", absl::StrCat(R"({"id":")", id, R"("})")).status,
      200);
  EXPECT_EQ(ResultadoId(ConsultaPorRastreo(order.clave_rastreo)), -100);

  const HttpResponse orphan = client().Post(
      "/_sandbox/transfers/orphan",
      R"({"amount":12345,"counterparty_clabe":"014180655091438298","reference":"77"})");
  ASSERT_EQ(orphan.status, 201) << orphan.body;
  EXPECT_EQ(JsonStr(JsonBody(orphan), "status"), "LQ");
  EXPECT_TRUE(states_.requests().empty());  // controls never notify
}

}  // namespace
}  // namespace sandbox
