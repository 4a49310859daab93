#include "vocabulary/money.h"

#include <cstdint>
#include <limits>

#include "gtest/gtest.h"

namespace gateway {
namespace {

TEST(MoneyTest, MinorUnitsToDecimalIsExact) {
  EXPECT_EQ(MinorUnitsToDecimal(1, 2), "0.01");
  EXPECT_EQ(MinorUnitsToDecimal(195, 2), "1.95");
  EXPECT_EQ(MinorUnitsToDecimal(100, 2), "1.00");
  EXPECT_EQ(MinorUnitsToDecimal(0, 2), "0.00");
  EXPECT_EQ(MinorUnitsToDecimal(99999999999, 2), "999999999.99");
  EXPECT_EQ(MinorUnitsToDecimal(-5, 2), "-0.05");
  EXPECT_EQ(MinorUnitsToDecimal(7000000, 0), "7000000");
  EXPECT_EQ(MinorUnitsToDecimal(std::numeric_limits<int64_t>::max(), 2), "92233720368547758.07");
  EXPECT_EQ(MinorUnitsToDecimal(std::numeric_limits<int64_t>::min(), 2), "-92233720368547758.08");
}

TEST(MoneyTest, DecimalToMinorUnitsParsesExactly) {
  EXPECT_EQ(*DecimalToMinorUnits("1.95", 2), 195);
  EXPECT_EQ(*DecimalToMinorUnits("0.01", 2), 1);
  EXPECT_EQ(*DecimalToMinorUnits("999999999.99", 2), 99999999999);
  EXPECT_EQ(*DecimalToMinorUnits("1.5", 2), 150);
  EXPECT_EQ(*DecimalToMinorUnits("12", 2), 1200);
  EXPECT_EQ(*DecimalToMinorUnits("1.950", 2), 195);
  EXPECT_EQ(*DecimalToMinorUnits("-0.05", 2), -5);
  EXPECT_EQ(*DecimalToMinorUnits("21960000", 0), 21960000);
  EXPECT_EQ(*DecimalToMinorUnits("92233720368547758.07", 2), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(*DecimalToMinorUnits("-92233720368547758.08", 2), std::numeric_limits<int64_t>::min());
}

TEST(MoneyTest, DecimalToMinorUnitsRejectsAnythingInexactOrOdd) {
  for (const char* bad :
       {"", "-", ".5", "1.", "1.955", "1,95", " 1.95", "1.95 ", "+1.95", "1e2", "0x10", "1.9a",
        "--1", "92233720368547758.08", "-92233720368547758.09", "NaN", "None"}) {
    EXPECT_FALSE(DecimalToMinorUnits(bad, 2).ok()) << "accepted \"" << bad << "\"";
  }
}

TEST(MoneyTest, StrictParsingDemandsTheExactScale) {
  EXPECT_EQ(*StrictDecimalToMinorUnits("5.00", 2), 500);
  EXPECT_FALSE(StrictDecimalToMinorUnits("5.0", 2).ok());
  EXPECT_FALSE(StrictDecimalToMinorUnits("5", 2).ok());
  EXPECT_FALSE(StrictDecimalToMinorUnits("5.000", 2).ok());
}

TEST(MoneyTest, RoundTripsEveryCentInARangeAndAtTheEdges) {
  for (int64_t cents = -1000; cents <= 100000; ++cents) {
    ASSERT_EQ(*StrictDecimalToMinorUnits(MinorUnitsToDecimal(cents, 2), 2), cents);
  }
  for (int64_t cents :
       {int64_t{99999999999}, std::numeric_limits<int64_t>::max(),
        std::numeric_limits<int64_t>::min(), int64_t{1} << 53, (int64_t{1} << 53) + 1}) {
    EXPECT_EQ(*DecimalToMinorUnits(MinorUnitsToDecimal(cents, 2), 2), cents);
  }
}

TEST(MoneyTest, CurrencyExponents) {
  EXPECT_EQ(*CurrencyExponent("MXN"), 2);
  EXPECT_EQ(*CurrencyExponent("CLP"), 0);
  EXPECT_FALSE(CurrencyExponent("mxn").ok());
  EXPECT_FALSE(CurrencyExponent("XXX").ok());
}

}  // namespace
}  // namespace gateway
