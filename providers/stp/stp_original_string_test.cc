#include "providers/stp/stp_original_string.h"

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace providers::stp {
namespace {

// The order stpmex-python recorded against STP's demo host (docs/providers/stp.md#cadena-original).
OrderFields RecordedOrder() {
  OrderFields fields;
  fields.Set(Field::kInstitucionContraparte, "40072");
  fields.Set(Field::kEmpresa, "TAMIZI");
  fields.Set(Field::kClaveRastreo, "CR1609257595");
  fields.Set(Field::kInstitucionOperante, "90646");
  fields.Set(Field::kMonto, "1.20");
  fields.Set(Field::kTipoPago, "1");
  fields.Set(Field::kTipoCuentaOrdenante, "40");
  fields.Set(Field::kCuentaOrdenante, "646180110400000007");
  fields.Set(Field::kTipoCuentaBeneficiario, "40");
  fields.Set(Field::kNombreBeneficiario, "Ricardo Sanchez");
  fields.Set(Field::kCuentaBeneficiario, "072691004495711499");
  fields.Set(Field::kRfcCurpBeneficiario, "ND");
  fields.Set(Field::kConceptoPago, "Prueba");
  fields.Set(Field::kReferenciaNumerica, "5273144");
  fields.Set(Field::kTopologia, "T");
  fields.Set(Field::kMedioEntrega, "3");
  fields.Set(Field::kPrioridad, "0");
  return fields;
}

TEST(StpOriginalStringTest, RecordedOrderGivesTheStringStpAccepted) {
  auto text = OriginalString(RecordedOrder());
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text,
            "||40072|TAMIZI|||CR1609257595|90646|1.20|1|40||646180110400000007||40|Ricardo "
            "Sanchez|072691004495711499|ND||||||Prueba||||||5273144||T||3|0|||");
}

TEST(StpOriginalStringTest, EmptyOrderIsThirtyFiveBarsBetweenTheDoubleBars) {
  auto text = OriginalString(OrderFields());
  ASSERT_TRUE(text.ok());
  // "||" + 33 separators + "||".
  EXPECT_EQ(*text, std::string(37, '|'));
}

TEST(StpOriginalStringTest, FieldNamesAreStpsThirtyFourInOrder) {
  const auto& names = FieldNames();
  EXPECT_EQ(names.size(), 34u);
  EXPECT_EQ(FieldName(Field::kInstitucionContraparte), "institucionContraparte");
  EXPECT_EQ(FieldName(Field::kClaveRastreo), "claveRastreo");
  EXPECT_EQ(FieldName(Field::kMonto), "monto");
  EXPECT_EQ(FieldName(Field::kConceptoPago), "conceptoPago");
  EXPECT_EQ(FieldName(Field::kReferenciaNumerica), "referenciaNumerica");
  EXPECT_EQ(FieldName(Field::kIva), "iva");
  EXPECT_EQ(std::set<absl::string_view>(names.begin(), names.end()).size(), 34u);
}

TEST(StpOriginalStringTest, EachFieldLandsInItsOwnPosition) {
  for (size_t i = 0; i < kFieldCount; ++i) {
    OrderFields fields;
    fields.Set(static_cast<Field>(i), "X");
    auto text = OriginalString(fields);
    ASSERT_TRUE(text.ok());
    // Position i is preceded by "||" and i separators.
    EXPECT_EQ(text->find('X'), 2 + i) << FieldNames()[i];
  }
}

TEST(StpOriginalStringTest, ABarOrControlCharacterInAValueIsRefused) {
  for (const std::string& bad :
       {std::string("a|b"), std::string("a\nb"), std::string("a\0b", 3), std::string("\x7f")}) {
    OrderFields fields = RecordedOrder();
    fields.Set(Field::kConceptoPago, bad);
    auto text = OriginalString(fields);
    ASSERT_FALSE(text.ok());
    EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(text.status().message().find("conceptoPago"), std::string::npos);
  }
}

TEST(StpOriginalStringTest, StatusQueryStringIsTheRecordedOne) {
  // stpmex-python writes it as "|||E|F||C|I" and 30 bars; its recorded firma verified.
  auto text = StatusQueryOriginalString("TAMIZI", "CR1564969083", "90646", "20200420");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "|||TAMIZI|20200420||CR1564969083|90646" + std::string(30, '|'));
  auto today = StatusQueryOriginalString("TAMIZI", "CR1564969083", "90646");
  ASSERT_TRUE(today.ok());
  EXPECT_EQ(*today, "|||TAMIZI|||CR1564969083|90646" + std::string(30, '|'));
}

}  // namespace
}  // namespace providers::stp
