// The cadena original against STP's field order written out by hand, and the signature
// verifier against a signature made with OpenSSL's API and the throwaway test key.
#include "sandbox/stp/stp_cadena.h"

#include <string>

#include "gtest/gtest.h"
#include "sandbox/stp/stp_signature.h"
#include "sandbox/stp/stp_test_fixture.h"

namespace sandbox {
namespace {

TEST(StpCadenaTest, RecordedOrderInStpsFieldOrder) {
  // The order of stpmex-python's recorded registra call (tests/resources/cassettes/
  // test_registra_orden.yaml), without its firma.
  const boost::json::object order =
      boost::json::parse(
          R"({"monto": 1.2, "conceptoPago": "Prueba", "cuentaBeneficiario": "072691004495711499",
              "nombreBeneficiario": "Ricardo Sanchez", "institucionContraparte": "40072",
              "cuentaOrdenante": "646180110400000007", "institucionOperante": "90646",
              "tipoCuentaBeneficiario": 40, "tipoCuentaOrdenante": 40,
              "claveRastreo": "CR1609257595", "referenciaNumerica": 5273144,
              "rfcCurpBeneficiario": "ND", "prioridad": 0, "medioEntrega": 3, "tipoPago": 1,
              "topologia": "T", "empresa": "TAMIZI"})")
          .as_object();
  absl::StatusOr<std::string> cadena = StpCadenaOriginal(order);
  ASSERT_TRUE(cadena.ok()) << cadena.status();
  EXPECT_EQ(*cadena,
            "||40072|TAMIZI|||CR1609257595|90646|1.20|1|40||646180110400000007||40|"
            "Ricardo Sanchez|072691004495711499|ND||||||Prueba||||||5273144||T||3|0|||");
}

TEST(StpCadenaTest, QueryLayout) {
  const boost::json::object query =
      boost::json::parse(
          R"({"empresa":"TAMIZI","claveRastreo":"CR1564969083","institucionOperante":90646,
              "fechaOperacion":"20200420"})")
          .as_object();
  // stpmex-python's _firma_consulta: "|||" empresa "|" fecha "||" clave "|" inst + 30 '|'.
  EXPECT_EQ(StpCadenaOriginal(query).value_or(""),
            "|||TAMIZI|20200420||CR1564969083|90646" + std::string(30, '|'));
}

TEST(StpCadenaTest, Amounts) {
  EXPECT_EQ(StpAmountCentavos(boost::json::value(1.2)).value_or(-1), 120);
  EXPECT_EQ(StpAmountCentavos(boost::json::value(0.1 + 0.2)).value_or(-1), 30);
  EXPECT_EQ(StpAmountCentavos(boost::json::value(1234567.89)).value_or(-1), 123456789);
  EXPECT_EQ(StpAmountCentavos(boost::json::value(7)).value_or(-1), 700);
  EXPECT_EQ(StpAmountCentavos(boost::json::value("12.5")).value_or(-1), 1250);
  EXPECT_FALSE(StpAmountCentavos(boost::json::value(1.234)).ok());
  EXPECT_FALSE(StpAmountCentavos(boost::json::value(-1.0)).ok());
  EXPECT_FALSE(StpAmountCentavos(boost::json::value("1.234")).ok());
  EXPECT_FALSE(StpAmountCentavos(boost::json::value(true)).ok());
  EXPECT_EQ(StpNumberText(500.0), "500.0");
  EXPECT_EQ(StpNumberText(1.234), "1.234");
}

TEST(StpSignatureTest, VerifiesOpenSslSignatureAndNothingElse) {
  auto verifier = StpSignatureVerifier::Create(ReadTestData("stp_sandbox_TEST_ONLY_public.pem"));
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  const std::string cadena = "||40072|SANDBOX|||K1|90646|1.00||";
  const std::string firma = SignWithTestKey(cadena);
  ASSERT_FALSE(firma.empty());
  EXPECT_TRUE((*verifier)->Verify(cadena, firma));
  EXPECT_FALSE((*verifier)->Verify(cadena + " ", firma));
  EXPECT_FALSE((*verifier)->Verify(cadena, "not base64!"));
  EXPECT_FALSE((*verifier)->Verify(cadena, ""));

  auto no_key = StpSignatureVerifier::Create("");
  ASSERT_TRUE(no_key.ok());
  EXPECT_FALSE((*no_key)->Verify(cadena, firma));
  EXPECT_FALSE(StpSignatureVerifier::Create("-----BEGIN PUBLIC KEY-----\nAAAA\n").ok());
}

}  // namespace
}  // namespace sandbox
