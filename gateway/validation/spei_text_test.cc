#include "gateway/validation/spei_text.h"

#include "gtest/gtest.h"

namespace gateway {
namespace {

TEST(FoldSpeiTextTest, FoldsSpanishAccentsToAscii) {
  EXPECT_EQ(*FoldSpeiText("Pago Señor Pérez Ñandú ü", ""), "Pago Senor Perez Nandu u");
  EXPECT_EQ(*FoldSpeiText("ÁÉÍÓÚáéíóúÇç", ""), "AEIOUaeiouCc");
}

TEST(FoldSpeiTextTest, RejectsWhatSpeiCannotCarry) {
  for (const char* bad : {"pago #1", "a\tb", "emoji \xF0\x9F\x98\x80", "\xC3", "\xC3(",
                          "\xC2\xA9 copyright", "\xC3\x86sir", "x\xC3\x97y"}) {
    EXPECT_FALSE(FoldSpeiText(bad, "").ok()) << bad;
  }
  auto status = FoldSpeiText("ab#", "").status();
  EXPECT_NE(status.message().find("position 3"), absl::string_view::npos) << status;
}

TEST(FoldSpeiTextTest, AllowsTheExtraCharactersAskedFor) {
  EXPECT_EQ(*FoldSpeiText("Pérez-López, S.A.", ".,-"), "Perez-Lopez, S.A.");
  EXPECT_FALSE(FoldSpeiText("Pérez-López", "").ok());
}

TEST(RfcTest, AcceptsCompaniesPersonsGenericAndNd) {
  for (const char* good : {"XAXX010101000", "XEXX010101000", "LFHU290523OG0", "ABC680524P76", "ND",
                           "&AB010101AB1", "MUÑO800101AB1"}) {
    EXPECT_TRUE(IsValidRfc(good)) << good;
  }
  for (const char* bad :
       {"", "N", "xaxx010101000", "XAXX011301000", "XAXX010100000", "XAXX010101", "XAXX0101010000",
        "AB010101AB1", "XAXXX010101000", "XAXX01010100-", "12345678901"}) {
    EXPECT_FALSE(IsValidRfc(bad)) << bad;
  }
}

TEST(DebitCardTest, LuhnAndLength) {
  EXPECT_TRUE(IsValidDebitCard("4111111111111111"));
  EXPECT_TRUE(IsValidDebitCard("378282246310005"));  // 15 digits
  EXPECT_FALSE(IsValidDebitCard("4111111111111112"));
  EXPECT_FALSE(IsValidDebitCard("411111111111111"));  // 15 digits, bad Luhn
  EXPECT_FALSE(IsValidDebitCard("41111111111111111"));
  EXPECT_FALSE(IsValidDebitCard("4111-1111-1111-1111"));
}

}  // namespace
}  // namespace gateway
