// ordenPago/registra and consOrdEnvRastreo over real HTTPS: signatures, field checks, the
// per-day claveRastreo rule, and a lost reply that still leaves exactly one order.
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "sandbox/stp/stp_test_fixture.h"

namespace sandbox {
namespace {

using StpRegistraTest = StpSandboxTest;

TEST_F(StpRegistraTest, CorrectlySignedOrderIsAcceptedAndReadableByTrackingKey) {
  TestOrder order;
  const HttpResponse created = Registra(order.Body());
  ASSERT_EQ(created.status, 200) << created.body;
  const int64_t id = ResultadoId(created);
  EXPECT_GT(id, 0) << created.body;
  EXPECT_EQ(ErrorText(created), "");
  EXPECT_EQ(StateCount("/orders_created"), 1);

  const HttpResponse read = ConsultaPorRastreo(order.clave_rastreo);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(ResultadoId(read), 1) << read.body;
  const boost::json::value body = JsonBody(read);
  EXPECT_EQ(JsonAt(body, "/resultado/ordenPago/idEF").as_int64(), id);
  EXPECT_EQ(JsonStrAt(body, "/resultado/ordenPago/estado"), "E");
  EXPECT_EQ(JsonStrAt(body, "/resultado/ordenPago/claveRastreo"), order.clave_rastreo);
  // The amount is written exactly, with two decimals.
  EXPECT_TRUE(absl::StrContains(read.body, "\"monto\":12.34")) << read.body;
}

// stpmex-python's recorded demo traffic (tests/resources/cassettes/test_registra_orden.yaml and
// test_consulta_orden_por_clave_rastreo.yaml), signed with its published demo key, replayed
// byte for byte: the simulator's own cadena must verify STP-accepted signatures.
TEST_F(StpRegistraTest, RecordedStpmexRequestsVerify) {
  StpConfig config = DefaultConfig();
  config.empresa = "TAMIZI";
  config.cuenta_ordenante = "646180110400000007";
  config.public_key_pem = ReadTestData("stpmex_python_demo_public.pem");
  StartSandbox(config);
  const std::string recorded =
      R"({"monto": 1.2, "conceptoPago": "Prueba", "cuentaBeneficiario": "072691004495711499",)"
      R"( "nombreBeneficiario": "Ricardo Sanchez", "institucionContraparte": "40072",)"
      R"( "cuentaOrdenante": "646180110400000007", "institucionOperante": "90646",)"
      R"( "tipoCuentaBeneficiario": 40, "tipoCuentaOrdenante": 40, "claveRastreo":)"
      R"( "CR1609257595", "referenciaNumerica": 5273144, "rfcCurpBeneficiario": "ND",)"
      R"( "prioridad": 0, "medioEntrega": 3, "tipoPago": 1, "topologia": "T", "firma":)"
      R"( "L1ABpeih5nwIuFQPZoqjAjaWk9+vslRevKH6XcY169/GJhosoYkL6RtrStaHVUbMvjii11IcQkhN+25qjQQJ+)"
      R"(CUTb3dQjATb4uVBxtebJIPFoITztR1fI6ZMdTab7zt13p5SAvPpuLowjl3yV5B7zBX8Ud+AlB3/9JBUCVVyOmc=",)"
      R"( "empresa": "TAMIZI"})";
  const HttpResponse created = Registra(recorded);
  EXPECT_GT(ResultadoId(created), 0) << created.body;

  // The recorded query is for 2020-04-20: signed correctly, so "not found", not a firma error.
  const HttpResponse query = client().Post(
      "/speiws/rest/ordenPago/consOrdEnvRastreo",
      R"({"empresa": "TAMIZI", "claveRastreo": "CR1564969083", "institucionOperante": 90646,)"
      R"( "fechaOperacion": "20200420", "firma": "pj3+C3iAwjXFsjBEeS0gSO0SMhV8T1PnmHEB4EmZHliKI)"
      R"(/KY7TJ7DySj6JqkAVny1gddOiX8whBPutn/KpxR9kMf6FbNssRiy2ystppIKq7jcGZ0yEyCF8ZqWAMuEOWnF5sQ4)"
      R"(Zb3tyAyMh0iEaaU/8nFf5yzs7UQiTgeinWWjvo="})");
  EXPECT_EQ(ResultadoId(query), -100) << query.body;

  // The recorded list of 2020-04-20's sent orders: signed over empresa and fecha only.
  const HttpResponse list = client().Post(
      "/speiws/rest/ordenPago/consOrdenesFech",
      R"({"empresa": "TAMIZI", "estado": "E", "fechaOperacion": "20200420", "firma":)"
      R"( "MWqmcIak/f37rGEwPyV10GD7gL9SjNlSTY7/EJFq8zVO+EWbPUhz3eGUz/md3RwldosNSDBpWE3AtubbBMMp)"
      R"(0FI/0vXmxkDaAnK2Oixvk9pCW1fIaPv/mufbvkPGqBUdveKjRl5fWwQjw0oTUtqj8kFSk8Ub6OLw2kRK4JDWrqw="})");
  EXPECT_EQ(ResultadoId(list), -100) << list.body;
  EXPECT_EQ(ErrorText(list), "No se encontraron ordenes");

  // One field changed: the recorded signature no longer verifies.
  std::string tampered = recorded;
  tampered.replace(tampered.find("\"monto\": 1.2"), 12, "\"monto\": 1.3");
  EXPECT_EQ(ErrorText(Registra(tampered)), "Error validando la firma");
}

TEST_F(StpRegistraTest, ListsTheDaysSentAndReceivedOrders) {
  TestOrder first, second;
  second.clave_rastreo = "SBXTEST0002";
  second.monto = "0.50";
  ASSERT_GT(ResultadoId(Registra(first.Body())), 0);
  ASSERT_GT(ResultadoId(Registra(second.Body())), 0);
  ASSERT_EQ(client().Post("/_sandbox/stp/receive", R"({"amount":700})").status, 201);
  auto list = [&](const std::string& estado) {
    // Signed over empresa (and fechaOperacion, absent here): "|||SANDBOX|" + 33 '|'.
    const std::string cadena = absl::StrCat("|||", kStpDefaultEmpresa, "|", std::string(33, '|'));
    return client().Post("/speiws/rest/ordenPago/consOrdenesFech",
                         absl::StrCat(R"({"empresa":")", kStpDefaultEmpresa, R"(","estado":")",
                                      estado, R"(","firma":")", SignWithTestKey(cadena), R"("})"));
  };
  const HttpResponse sent = list("E");
  ASSERT_EQ(ResultadoId(sent), 1) << sent.body;
  const boost::json::value lst_value = JsonAt(JsonBody(sent), "/resultado/lst");
  ASSERT_TRUE(lst_value.is_array()) << sent.body;
  const boost::json::array& lst = lst_value.as_array();
  ASSERT_EQ(lst.size(), 2u);
  EXPECT_EQ(lst[0].at("claveRastreo").as_string(), "SBXTEST0001");
  EXPECT_TRUE(absl::StrContains(sent.body, "\"monto\":0.50")) << sent.body;
  const HttpResponse received = list("R");
  ASSERT_EQ(JsonAt(JsonBody(received), "/resultado/lst").as_array().size(), 1u) << received.body;
  EXPECT_TRUE(absl::StrContains(received.body, "\"monto\":7.00")) << received.body;
}

TEST_F(StpRegistraTest, PostIsAcceptedLikePut) {
  TestOrder order;
  const HttpResponse created = client().Post("/speiws/rest/ordenPago/registra", order.Body());
  EXPECT_GT(ResultadoId(created), 0) << created.body;
  EXPECT_EQ(client().Get("/speiws/rest/ordenPago/registra").status, 404);
}

TEST_F(StpRegistraTest, AmountWithOneDecimalSignsWithTwo) {
  TestOrder order;
  order.monto = "1.20";  // the cadena carries "1.20" ...
  std::string body = order.Body();
  body.replace(body.find("\"monto\":1.20"), 12, "\"monto\":1.2");  // ... the JSON 1.2
  const HttpResponse created = Registra(body);
  EXPECT_GT(ResultadoId(created), 0) << created.body;
}

TEST_F(StpRegistraTest, BadSignatureIsRefused) {
  TestOrder order;
  const std::string signed_body = order.Body();
  TestOrder tampered = order;
  tampered.monto = "99.99";
  // Signed for 12.34, sent with 99.99.
  const std::string firma(boost::json::parse(signed_body).at("firma").as_string());
  const HttpResponse refused = Registra(tampered.Body(firma));
  EXPECT_EQ(refused.status, 200);
  EXPECT_EQ(ResultadoId(refused), 0) << refused.body;
  EXPECT_EQ(ErrorText(refused), "Error validando la firma");

  const HttpResponse garbage = Registra(order.Body("bm90IGEgc2lnbmF0dXJl"));
  EXPECT_EQ(ErrorText(garbage), "Error validando la firma");

  std::string unsigned_body = order.Body();
  unsigned_body.replace(unsigned_body.find(",\"firma\""), std::string::npos, "}");
  EXPECT_EQ(ErrorText(Registra(unsigned_body)), "El campo <FIRMA> es obligatorio");

  EXPECT_EQ(StateCount("/orders_created"), 0);
  EXPECT_EQ(StateCount("/signatures_rejected"), 2);  // the unsigned one is a missing field
  EXPECT_EQ(simulator_->sends().total.sends, 0);     // none was the company's send
}

TEST_F(StpRegistraTest, ReusedTrackingKeyIsRefusedTheSameDay) {
  TestOrder order;
  ASSERT_GT(ResultadoId(Registra(order.Body())), 0);
  TestOrder again = order;
  again.monto = "50.00";  // another order, correctly signed, same claveRastreo
  const HttpResponse refused = Registra(again.Body());
  EXPECT_EQ(ResultadoId(refused), -1) << refused.body;
  EXPECT_TRUE(absl::StrContains(ErrorText(refused), "ya fue utilizada")) << refused.body;
  EXPECT_TRUE(absl::StrContains(ErrorText(refused), "{SBXTEST0001}")) << refused.body;
  EXPECT_EQ(StateCount("/orders_created"), 1);

  // The next day (Mexico City) the key is free again.
  clock_.Advance(absl::Hours(24));
  EXPECT_GT(ResultadoId(Registra(again.Body())), 0);
  EXPECT_EQ(StateCount("/orders_created"), 2);
}

TEST_F(StpRegistraTest, BadFieldsAreRefusedInStpsShape) {
  struct Case {
    std::string name;
    TestOrder order;
    int64_t id;
    std::string text;
  };
  std::vector<Case> cases;
  auto add = [&](std::string name, auto change, int64_t id, std::string text) {
    TestOrder order;
    change(order);
    cases.push_back({std::move(name), order, id, std::move(text)});
  };
  add(
      "bad check digit", [](TestOrder& o) { o.cuenta_beneficiario = "072691004495711498"; }, 0,
      "El campo <CUENTA BENEFICIARIO> es invalido");
  add(
      "unknown institution", [](TestOrder& o) { o.institucion_contraparte = "40999"; }, -9,
      "La Institucion 40999 no es valida");
  add(
      "CLABE of another bank", [](TestOrder& o) { o.institucion_contraparte = "40012"; }, -22,
      "La cuenta CLABE {072691004495711499} no coincide para la institucion operante {40012}");
  add(
      "concept too long", [](TestOrder& o) { o.concepto = std::string(41, 'a'); }, 0,
      "El campo <CONCEPTO PAGO> excede la longitud maxima de 40");
  add(
      "name too long", [](TestOrder& o) { o.nombre_beneficiario = std::string(41, 'N'); }, 0,
      "El campo <NOMBRE BENEFICIARIO> excede la longitud maxima de 40");
  add(
      "tracking key too long", [](TestOrder& o) { o.clave_rastreo = std::string(31, 'K'); }, 0,
      "El campo <CLAVE RASTREO> excede la longitud maxima de 30");
  add(
      "tracking key with a dash", [](TestOrder& o) { o.clave_rastreo = "SBX-1"; }, -34,
      "Clave rastreo invalida : SBX-1");
  add(
      "three decimals", [](TestOrder& o) { o.monto = "1.234"; }, -20,
      "El monto {1.234} no es válido");
  add(
      "zero amount", [](TestOrder& o) { o.monto = "0.00"; }, -20, "El monto {0.0} no es válido");
  add(
      "reference of 8 digits", [](TestOrder& o) { o.referencia = "10000000"; }, 0,
      "El campo <REFERENCIA NUMERICA> es invalido");
  add(
      "unknown account type", [](TestOrder& o) { o.tipo_cuenta_beneficiario = "5"; }, -11,
      "El tipo de cuenta 5 es invalido");
  add(
      "not the company's account", [](TestOrder& o) { o.cuenta_ordenante = "646180000000000025"; },
      -7, "La cuenta {646180000000000025} no existe ");
  add(
      "missing name", [](TestOrder& o) { o.nombre_beneficiario = ""; }, 0,
      "El campo <NOMBRE BENEFICIARIO> es obligatorio");
  for (const Case& c : cases) {
    const HttpResponse refused = Registra(c.order.Body());
    EXPECT_EQ(refused.status, 200) << c.name;
    EXPECT_EQ(ResultadoId(refused), c.id) << c.name << ": " << refused.body;
    EXPECT_EQ(ErrorText(refused), c.text) << c.name;
  }
  EXPECT_EQ(StateCount("/orders_created"), 0);
  EXPECT_EQ(StateCount("/signatures_rejected"), 0);  // all were signed correctly
}

TEST_F(StpRegistraTest, LostReplyStillCreatesExactlyOneOrder) {
  ASSERT_EQ(client().Post("/_sandbox/send_faults", R"({"lose_reply_next":1})").status, 200);
  TestOrder order;
  const HttpResponse lost = Registra(order.Body());
  EXPECT_EQ(lost.status, 0) << "the reply should have been lost: " << lost.body;

  // The caller retries the same signed order: STP refuses the tracking key, once used.
  const HttpResponse retry = Registra(order.Body());
  EXPECT_EQ(ResultadoId(retry), -1) << retry.body;

  // Reading by tracking key resolves it: one order, the first one.
  const HttpResponse read = ConsultaPorRastreo(order.clave_rastreo);
  EXPECT_EQ(ResultadoId(read), 1) << read.body;
  EXPECT_EQ(StateCount("/orders_created"), 1);
  const SendCount sends = simulator_->sends().ForKey("orden", order.clave_rastreo);
  EXPECT_EQ(sends.sends, 2);
  EXPECT_EQ(sends.created, 1);
  EXPECT_EQ(sends.replies_lost, 1);
}

TEST_F(StpRegistraTest, QueryOfUnknownTrackingKeyAndBadQuerySignature) {
  const HttpResponse missing = ConsultaPorRastreo("NOEXISTE1");
  EXPECT_EQ(ResultadoId(missing), -100) << missing.body;
  EXPECT_EQ(ErrorText(missing), "No se encontró la orden con rastreo NOEXISTE1");

  const HttpResponse unsigned_query = client().Post(
      "/speiws/rest/ordenPago/consOrdEnvRastreo",
      R"({"empresa":"SANDBOX","claveRastreo":"X1","institucionOperante":90646,"firma":"AAAA"})");
  EXPECT_EQ(ErrorText(unsigned_query), "Error validando la firma");
}

TEST_F(StpRegistraTest, WithoutDedupAReusedTrackingKeyMakesASecondOrder) {
  simulator_->SetDedup(false);
  TestOrder order;
  ASSERT_GT(ResultadoId(Registra(order.Body())), 0);
  ASSERT_GT(ResultadoId(Registra(order.Body())), 0);
  EXPECT_EQ(StateCount("/orders_created"), 2);
  EXPECT_EQ(simulator_->sends().ForKey("orden", order.clave_rastreo).created, 2);
}

TEST_F(StpRegistraTest, InjectedHtmlErrorPage) {
  ASSERT_EQ(
      client()
          .Post("/_sandbox/faults",
                R"({"path_prefix":"/speiws/","fail_next":1,"fail_status":502,"fail_html":true})")
          .status,
      200);
  TestOrder order;
  const HttpResponse failed = Registra(order.Body());
  EXPECT_EQ(failed.status, 502);
  EXPECT_TRUE(absl::StartsWith(failed.body, "<html>")) << failed.body;
  EXPECT_EQ(StateCount("/orders_created"), 0);  // the handler never ran
  EXPECT_GT(ResultadoId(Registra(order.Body())), 0);
}

}  // namespace
}  // namespace sandbox
