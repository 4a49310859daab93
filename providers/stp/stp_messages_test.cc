#include "providers/stp/stp_messages.h"

#include <string>

#include "gtest/gtest.h"
#include "providers/common/json_fields.h"
#include "providers/stp/stp_original_string.h"
#include "vocabulary/error_details.h"

namespace providers::stp {
namespace {

constexpr char kTrackingKey[] = "GWXJ4BNP4PAHH6UQKBIDPF3LRCEOY";

PayoutOrder ClabeOrder() {
  PayoutOrder order;
  auto& request = order.request;
  request.set_idempotency_key("order-42");
  request.mutable_amount()->set_amount_minor(120);
  request.mutable_amount()->set_currency("MXN");
  auto* counterparty = request.mutable_counterparty();
  counterparty->set_clabe("072691004495711499");
  counterparty->set_institution_code("40072");
  counterparty->set_holder_name("Ricardo Sanchez");
  request.set_description("Prueba");
  request.set_numeric_reference(5273144);
  order.source_account_native_id = "646180110400000007";
  return order;
}

OrderSettings Settings() {
  OrderSettings settings;
  settings.empresa = "TAMIZI";
  return settings;
}

TEST(StpRegistraTest, AClabeOrderGivesStpsFieldsAndCadena) {
  auto fields = RegistraFields(ClabeOrder(), Settings(), kTrackingKey);
  ASSERT_TRUE(fields.ok()) << fields.status();
  auto cadena = OriginalString(*fields);
  ASSERT_TRUE(cadena.ok());
  // The recorded order's cadena with our tracking key: same field values, same places.
  EXPECT_EQ(*cadena,
            absl::StrCat("||40072|TAMIZI|||", kTrackingKey,
                         "|90646|1.20|1|40||646180110400000007||40|Ricardo "
                         "Sanchez|072691004495711499|ND||||||Prueba||||||5273144||T||3|0|||"));
}

TEST(StpRegistraTest, BodyCarriesExactlyTheSignedFieldsAndRebuildsTheSameCadena) {
  auto fields = RegistraFields(ClabeOrder(), Settings(), kTrackingKey);
  ASSERT_TRUE(fields.ok());
  const std::string body = RegistraBody(*fields, "c2lnbmF0dXJl");
  // monto is a JSON number with its two decimals, written as text (never via a double).
  EXPECT_EQ(body.rfind("{\"monto\":1.20,", 0), 0u) << body;
  auto parsed = ParseJsonObject(body);
  ASSERT_TRUE(parsed.ok()) << body;
  EXPECT_TRUE(parsed->at("tipoCuentaBeneficiario").is_int64());
  EXPECT_TRUE(parsed->at("referenciaNumerica").is_int64());
  EXPECT_TRUE(parsed->at("tipoPago").is_int64());
  EXPECT_TRUE(parsed->at("institucionContraparte").is_string());
  EXPECT_EQ(parsed->at("firma").as_string(), "c2lnbmF0dXJl");
  EXPECT_FALSE(parsed->contains("nombreOrdenante"));  // empty fields are not sent
  EXPECT_FALSE(parsed->contains("iva"));
  // What the simulator does: the body's fields give back the very cadena that was signed.
  auto rebuilt = OrderFieldsFromBody(*parsed);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(*OriginalString(*rebuilt), *OriginalString(*fields));
}

TEST(StpRegistraTest, CardRfcTruncationAndLargeAmounts) {
  PayoutOrder order = ClabeOrder();
  auto* counterparty = order.request.mutable_counterparty();
  counterparty->set_debit_card("4152313311111111");
  counterparty->set_institution_code("40012");
  counterparty->set_rfc("XAXX010101000");
  order.request.set_description(std::string(50, 'A'));
  order.request.mutable_amount()->set_amount_minor(123456789012);
  auto fields = RegistraFields(order, Settings(), kTrackingKey);
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_EQ(fields->Get(Field::kTipoCuentaBeneficiario), "3");
  EXPECT_EQ(fields->Get(Field::kCuentaBeneficiario), "4152313311111111");
  EXPECT_EQ(fields->Get(Field::kRfcCurpBeneficiario), "XAXX010101000");
  EXPECT_EQ(fields->Get(Field::kConceptoPago), std::string(39, 'A'));
  EXPECT_EQ(fields->Get(Field::kMonto), "1234567890.12");
  const std::string body = RegistraBody(*fields, "x");
  auto rebuilt = OrderFieldsFromBody(*ParseJsonObject(body));
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(rebuilt->Get(Field::kMonto), "1234567890.12");

  order.request.mutable_amount()->set_amount_minor(1);
  EXPECT_EQ(RegistraFields(order, Settings(), kTrackingKey)->Get(Field::kMonto), "0.01");
}

TEST(StpRegistraTest, WhatStpCannotCarryIsRefusedNamingTheField) {
  auto refused = [](PayoutOrder order, absl::string_view field) {
    auto fields = RegistraFields(order, Settings(), kTrackingKey);
    ASSERT_EQ(fields.status().code(), absl::StatusCode::kInvalidArgument) << field;
    const auto violations = gateway::FieldViolationsOf(fields.status());
    ASSERT_EQ(violations.size(), 1u) << fields.status();
    EXPECT_EQ(violations[0].field(), field);
  };
  PayoutOrder usd = ClabeOrder();
  usd.request.mutable_amount()->set_currency("USD");
  refused(usd, "amount.currency");
  PayoutOrder zero = ClabeOrder();
  zero.request.mutable_amount()->set_amount_minor(0);
  refused(zero, "amount.amount_minor");
  PayoutOrder no_institution = ClabeOrder();
  no_institution.request.mutable_counterparty()->clear_institution_code();
  refused(no_institution, "counterparty.institution_code");
  PayoutOrder big_reference = ClabeOrder();
  big_reference.request.set_numeric_reference(10'000'000);
  refused(big_reference, "numeric_reference");
  PayoutOrder no_reference = ClabeOrder();
  no_reference.request.set_numeric_reference(0);
  refused(no_reference, "numeric_reference");
  PayoutOrder no_destination = ClabeOrder();
  no_destination.request.mutable_counterparty()->clear_clabe();
  refused(no_destination, "counterparty");

  PayoutOrder pipe = ClabeOrder();
  pipe.request.mutable_counterparty()->set_holder_name("A|B");
  EXPECT_EQ(RegistraFields(pipe, Settings(), kTrackingKey).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RegistraFields(ClabeOrder(), Settings(), "bad key!").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RegistraFields(ClabeOrder(), OrderSettings{}, kTrackingKey).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(StpRegistraTest, StatusQueryBodyIsTheRecordedShape) {
  auto parsed =
      ParseJsonObject(StatusQueryBody("TAMIZI", "CR1564969083", "90646", "20200420", "ZmlybWE="));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->at("empresa").as_string(), "TAMIZI");
  EXPECT_EQ(parsed->at("institucionOperante").as_int64(), 90646);
  EXPECT_EQ(parsed->at("fechaOperacion").as_string(), "20200420");
  auto today = ParseJsonObject(StatusQueryBody("TAMIZI", "CR1", "90646", "", "x"));
  EXPECT_FALSE(today->contains("fechaOperacion"));
  // The receiver rebuilds the query's signed string from its body the same way as an order's.
  auto rebuilt = OrderFieldsFromBody(*parsed);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(*OriginalString(*rebuilt),
            *StatusQueryOriginalString("TAMIZI", "CR1564969083", "90646", "20200420"));
}

TEST(StpRepliesTest, RegistraSuccessDuplicateAndRejection) {
  auto registered = ParseRegistraReply(R"({"resultado":{"id":9349827}})");
  ASSERT_TRUE(registered.ok()) << registered.status();
  EXPECT_EQ(registered->kind, RegistraOutcome::Kind::kRegistered);
  EXPECT_EQ(registered->order_id, "9349827");

  auto duplicate = ParseRegistraReply(
      R"({"resultado":{"id":-1,"descripcionError":"La clave de rastreo GW123 ya fue utilizada"}})");
  ASSERT_TRUE(duplicate.ok()) << duplicate.status();
  EXPECT_EQ(duplicate->kind, RegistraOutcome::Kind::kAlreadyRegistered);

  auto pld = ParseRegistraReply(
      R"({"resultado":{"id":-200,"descripcionError":"Orden sin cuenta ordenante. Se rechaza por PLD"}})");
  ASSERT_TRUE(pld.ok());
  EXPECT_EQ(pld->kind, RegistraOutcome::Kind::kRejected);
  EXPECT_NE(pld->reason.find("PLD"), std::string::npos);
}

TEST(StpRepliesTest, RegistraErrorsMapToStatusesWithReasonsAndMaskedAccounts) {
  struct Case {
    const char* body;
    absl::StatusCode code;
    const char* reason;
  };
  const Case cases[] = {
      {R"({"resultado":{"id":0,"descripcionError":"Error validando la firma"}})",
       absl::StatusCode::kUnauthenticated, "STP_INVALID_SIGNATURE"},
      {R"({"resultado":{"id":0,"descripcionError":"El campo monto es obligatorio"}})",
       absl::StatusCode::kInvalidArgument, "STP_MANDATORY_FIELD"},
      {R"({"resultado":{"id":0,"descripcionError":"No se recibió respuesta del servicio"}})",
       absl::StatusCode::kUnknown, "STP_NO_SERVICE_RESPONSE"},
      {R"({"resultado":{"id":-7,"descripcionError":"La cuenta 646180110400000007 no existe"}})",
       absl::StatusCode::kFailedPrecondition, "STP_ACCOUNT_DOES_NOT_EXIST"},
      {R"({"resultado":{"id":-9,"descripcionError":"La Institucion 12345 no es valida"}})",
       absl::StatusCode::kInvalidArgument, "STP_INVALID_INSTITUTION"},
      {R"({"resultado":{"id":-20,"descripcionError":"El monto {0.00} no es válido"}})",
       absl::StatusCode::kInvalidArgument, "STP_INVALID_AMOUNT"},
      {R"({"resultado":{"id":-34,"descripcionError":"Clave rastreo invalida"}})",
       absl::StatusCode::kInvalidArgument, "STP_INVALID_TRACKING_KEY"},
      {R"({"resultado":{"id":-1,"descripcionError":"otra cosa"}})",
       absl::StatusCode::kAlreadyExists, "STP_TRACKING_KEY_ALREADY_USED"},
      {R"({"resultado":{"id":-55,"descripcionError":"nuevo"}})",
       absl::StatusCode::kFailedPrecondition, "STP_ERROR_NEG55"},
      {"<html>502 Bad Gateway</html>", absl::StatusCode::kUnknown, "STP_UNREADABLE_REPLY"},
      {R"({"resultado":{}})", absl::StatusCode::kUnknown, "STP_UNREADABLE_REPLY"},
      {R"({"resultado":{"id":"abc"}})", absl::StatusCode::kUnknown, "STP_UNREADABLE_REPLY"},
      {R"({"resultado":{"id":1.5}})", absl::StatusCode::kUnknown, "STP_UNREADABLE_REPLY"},
      {R"({"id":5})", absl::StatusCode::kUnknown, "STP_UNREADABLE_REPLY"},
  };
  for (const Case& c : cases) {
    auto outcome = ParseRegistraReply(c.body);
    ASSERT_FALSE(outcome.ok()) << c.body;
    EXPECT_EQ(outcome.status().code(), c.code) << c.body << " " << outcome.status();
    EXPECT_EQ(gateway::ReasonOf(outcome.status()), c.reason) << c.body;
    EXPECT_EQ(outcome.status().message().find("646180110400000007"), std::string::npos);
  }
}

TEST(StpRepliesTest, HostileRepliesNeverCrashNorSucceed) {
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  for (const std::string& body :
       {std::string(), std::string("null"), std::string("[]"), std::string("{\"resultado\":[]}"),
        std::string("{\"resultado\":{\"id\":-9223372036854775808}}"),
        std::string("{\"resultado\":{\"id\":99999999999999999999999}}"),
        std::string("{\"resultado\":{\"id\":0}}"), std::string("{\"resultado\":null}"),
        std::string("\xff\xfe"), deep}) {
    EXPECT_FALSE(ParseRegistraReply(body).ok()) << body.substr(0, 40);
    EXPECT_FALSE(ParseStatusQueryReply(body).ok()) << body.substr(0, 40);
  }
}

// The recorded consOrdEnvRastreo reply of stpmex-python (trimmed).
constexpr char kRecordedQueryReply[] =
    R"({"resultado":{"id":1,"ordenPago":{"causaDevolucion":1,"claveRastreo":"CR1564969083",)"
    R"("conceptoPago":"Prueba","cuentaBeneficiario":"072691004495711499",)"
    R"("cuentaOrdenante":"646180157075068123","empresa":"TAMIZI","estado":"D",)"
    R"("fechaOperacion":20200420,"folioOrigen":"CR1564969083","idEF":7838161,)"
    R"("institucionContraparte":40072,"institucionOperante":90646,"monto":1.20,)"
    R"("nombreBeneficiario":"Ricardo Sanchez  ","referenciaNumerica":5273144,)"
    R"("rfcCurpBeneficiario":"ND","tipoCuentaBeneficiario":40,"tipoPago":1,)"
    R"("tsCaptura":1587197039698,"tsLiquidacion":1587197044940}}})";

TEST(StpRepliesTest, StatusQueryReplyBecomesAPayout) {
  auto payout = ParseStatusQueryReply(kRecordedQueryReply);
  ASSERT_TRUE(payout.ok()) << payout.status();
  EXPECT_EQ(payout->provider_payout_id(), "7838161");
  EXPECT_EQ(payout->tracking_key(), "CR1564969083");
  EXPECT_EQ(payout->status(), payments::v1::PAYOUT_STATUS_RETURNED);
  EXPECT_EQ(payout->provider_status(), "D");
  EXPECT_EQ(payout->status_reason(), "1");
  EXPECT_EQ(payout->amount().amount_minor(), 120);
  EXPECT_EQ(payout->amount().currency(), "MXN");
  EXPECT_EQ(payout->numeric_reference(), 5273144u);
  EXPECT_EQ(payout->description(), "Prueba");
  EXPECT_EQ(payout->counterparty().clabe(), "072691004495711499");
  EXPECT_EQ(payout->counterparty().institution_code(), "40072");
  EXPECT_EQ(payout->counterparty().holder_name(), "Ricardo Sanchez");
  EXPECT_EQ(payout->create_time().seconds(), 1587197039);
  EXPECT_TRUE(payout->id().empty());  // the adapter names it
}

TEST(StpRepliesTest, StatusQueryNotFoundAndInexactAmounts) {
  auto missing = ParseStatusQueryReply(
      R"({"resultado":{"descripcionError":"No se encontró la orden con rastreo X","id":-100}})");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(gateway::ReasonOf(missing.status()), "STP_ORDER_NOT_FOUND");

  std::string inexact = kRecordedQueryReply;
  inexact.replace(inexact.find("1.20"), 4, "1.205");
  EXPECT_EQ(ParseStatusQueryReply(inexact).status().code(), absl::StatusCode::kInvalidArgument);
  std::string no_state = kRecordedQueryReply;
  no_state.replace(no_state.find("\"estado\":\"D\""), 12, "\"estado\":\"\"");
  EXPECT_EQ(ParseStatusQueryReply(no_state).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(StpMoneyTest, MontoIsExactOrRefused) {
  auto minor = [](const char* json) { return MontoMinor(*ParseJson(json)); };
  EXPECT_EQ(*minor("1.2"), 120);
  EXPECT_EQ(*minor("1.20"), 120);
  EXPECT_EQ(*minor("0.01"), 1);
  EXPECT_EQ(*minor("5"), 500);
  EXPECT_EQ(*minor("\"1.20\""), 120);
  EXPECT_EQ(*minor("1234567890.12"), 123456789012);
  EXPECT_EQ(*minor("9999999999999.99"), 999999999999999);  // below 10^13 pesos
  EXPECT_FALSE(minor("0.30000000000000004").ok());
  EXPECT_FALSE(minor("1.205").ok());
  EXPECT_FALSE(minor("-1").ok());
  EXPECT_FALSE(minor("-0.5").ok());
  EXPECT_FALSE(minor("1e300").ok());
  EXPECT_FALSE(minor("10000000000000").ok());
  EXPECT_FALSE(minor("\"1.2.3\"").ok());
  EXPECT_FALSE(minor("true").ok());
  EXPECT_FALSE(minor("null").ok());
}

TEST(StpStatesTest, CodesAndWordsMapAndTheRestIsUnknown) {
  using payments::v1::PayoutStatus;
  EXPECT_EQ(MapOrderState("LQ"), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ(MapOrderState("D"), payments::v1::PAYOUT_STATUS_RETURNED);
  EXPECT_EQ(MapOrderState("CN"), payments::v1::PAYOUT_STATUS_FAILED);
  EXPECT_EQ(MapOrderState("RB"), payments::v1::PAYOUT_STATUS_REJECTED);
  EXPECT_EQ(MapOrderState("E"), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(MapOrderState("XD"), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(MapOrderState("liquidacion"), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ(MapOrderState("LIQUIDADA"), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ(MapOrderState("Devuelta"), payments::v1::PAYOUT_STATUS_RETURNED);
  EXPECT_EQ(MapOrderState(" CANCELADA "), payments::v1::PAYOUT_STATUS_FAILED);
  EXPECT_EQ(MapOrderState(""), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_EQ(MapOrderState("ZZ"), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_EQ(MapOrderState(std::string(100000, 'L')), payments::v1::PAYOUT_STATUS_UNKNOWN);
}

TEST(StpMaskTest, LongDigitRunsKeepTheirLastFour) {
  EXPECT_EQ(MaskAccountNumbers("La cuenta 646180110400000007 no existe"),
            "La cuenta ****0007 no existe");
  EXPECT_EQ(MaskAccountNumbers("Institucion 90646 y 123456789"), "Institucion 90646 y 123456789");
  EXPECT_EQ(MaskAccountNumbers("a\nb"), "a b");
  EXPECT_LE(MaskAccountNumbers(std::string(1000, 'x')).size(), 200u);
}

}  // namespace
}  // namespace providers::stp
