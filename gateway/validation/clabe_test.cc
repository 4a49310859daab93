// Vectors from docs/providers/spei.md#test-vectors. Many documentation example CLABEs have wrong
// check digits; those appear below as invalid on purpose.
#include "gateway/validation/clabe.h"

#include <string>

#include "gtest/gtest.h"

namespace gateway {
namespace {

const BankCatalog& Banks() {
  static const BankCatalog* banks = new BankCatalog(BankCatalog::Builtin());
  return *banks;
}

class ValidClabeTest : public testing::TestWithParam<const char*> {};

TEST_P(ValidClabeTest, CheckDigitMatches) {
  const std::string clabe = GetParam();
  EXPECT_EQ(ClabeCheckDigit(clabe.substr(0, 17)), clabe[17]);
  BankCatalog banks = Banks();
  ASSERT_TRUE(banks.Add("90735", "Fintoc (test mode)").ok());  // in no public list
  ClabeCheck check = CheckClabe(clabe, banks);
  EXPECT_TRUE(check.valid) << check.reason;
  EXPECT_EQ(check.bank_code, clabe.substr(0, 3));
  EXPECT_EQ(check.plaza, clabe.substr(3, 3));
}

INSTANTIATE_TEST_SUITE_P(
    ProvidersMdVectors, ValidClabeTest,
    testing::Values("002010077777777771", "002000000000000008", "012180026050783858",
                    "014180655091438298", "734180000001233635", "735969000000203297",
                    "735969000000203365", "735969000000203226", "735969000000204474",
                    "646180000000000009", "738969123456789126", "012969123456789127",
                    "021180040000000008", "072580123456789012", "127180000000000010",
                    "002180123456789013", "012969100000000013", "137180210044008609",
                    "631969456789123456", "723969738291465733", "680969192837645191",
                    "110969987654321988", "646180357600000000",
                    // Adjacent digits differing by 5 swap undetected: both are valid.
                    "012180000000000507", "012180000000000057"));

struct InvalidCase {
  const char* clabe;
  const char* reason_contains;
};

class InvalidClabeTest : public testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidClabeTest, IsRejectedWithAReason) {
  ClabeCheck check = CheckClabe(GetParam().clabe, Banks());
  EXPECT_FALSE(check.valid);
  EXPECT_NE(check.reason.find(GetParam().reason_contains), std::string::npos) << check.reason;
}

INSTANTIATE_TEST_SUITE_P(
    ProvidersMdVectors, InvalidClabeTest,
    testing::Values(InvalidCase{"738969123456789120",
                                "check digit (the first 17 digits call for 6)"},
                    InvalidCase{"012969123456789120", "call for 7"},
                    InvalidCase{"646180529600044117", "call for 1"},
                    InvalidCase{"734180123045603216", "call for 8"},
                    InvalidCase{"012180000000000008", "call for 2"},
                    InvalidCase{"002180123456789017", "call for 3"},
                    InvalidCase{"002000000000000007", "call for 8"},
                    InvalidCase{"102010077777777771", "check digit"},
                    InvalidCase{"002011077777777771", "check digit"},
                    InvalidCase{"002010077787777771", "check digit"},
                    InvalidCase{"002010077777777781", "check digit"},
                    InvalidCase{"002010077777777772", "check digit"},
                    InvalidCase{"020010077777777771", "check digit"},
                    InvalidCase{"01218002605078385", "18 digits, got 17"},
                    InvalidCase{"0121800260507838580", "18 digits, got 19"},
                    InvalidCase{"01218002605078385A", "digits only"},
                    InvalidCase{"000000000000000000", "bank code 000"},
                    // Fintoc's test prefix is in no public list: unknown until configured.
                    InvalidCase{"735969000000203297", "bank code 735"},
                    InvalidCase{"", "required"}));

TEST(ClabeTest, WorkedExampleFromProvidersMd) {
  EXPECT_EQ(ClabeCheckDigit("01218002605078385"), '8');
  EXPECT_EQ(ClabeCheckDigit("0121800260507838"), '\0');
  EXPECT_EQ(ClabeCheckDigit("0121800260507838X"), '\0');
}

TEST(ClabeTest, FindsTheBank) {
  ClabeCheck check = CheckClabe("012180026050783858", Banks());
  ASSERT_NE(check.bank, nullptr);
  EXPECT_EQ(check.bank->banxico_code, "40012");
  EXPECT_EQ(check.expected_check_digit, "8");
}

TEST(BankCatalogTest, BuiltinTableIsWellFormed) {
  const BankCatalog& banks = Banks();
  EXPECT_GT(banks.All().size(), 90u);
  for (const BankInfo& bank : banks.All()) {
    EXPECT_EQ(bank.clabe_prefix, bank.banxico_code.substr(bank.banxico_code.size() - 3));
    EXPECT_EQ(banks.FindByBanxicoCode(bank.banxico_code), banks.FindByPrefix(bank.clabe_prefix));
  }
  EXPECT_EQ(banks.FindByPrefix("738")->name, "Fintoc");
  EXPECT_EQ(banks.FindByPrefix("734")->banxico_code, "90734");
  EXPECT_EQ(banks.FindByBanxicoCode("40013"), nullptr);  // prefix 013 unknown
  EXPECT_EQ(banks.FindByBanxicoCode("90012"), nullptr);  // prefix known, code wrong
}

TEST(BankCatalogTest, RejectsMalformedExtraCodes) {
  BankCatalog banks;
  EXPECT_FALSE(banks.Add("735", "short").ok());
  EXPECT_FALSE(banks.Add("9073A", "letters").ok());
  EXPECT_FALSE(banks.Add("90735", "").ok());
  EXPECT_TRUE(banks.Add("90735", "Fintoc test").ok());
}

}  // namespace
}  // namespace gateway
