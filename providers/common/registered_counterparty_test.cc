#include "providers/common/registered_counterparty.h"

#include "gtest/gtest.h"

namespace providers {
namespace {

TEST(RegisteredCounterpartyTest, ShowsOnlyTheLastFourDigits) {
  payments::v1::Counterparty clabe;
  clabe.set_clabe("012180015000000003");
  clabe.set_holder_name("Ana");
  clabe.set_institution_code("40012");
  const auto registered = Registered(payments::v1::PROVIDER_MONATO, "inst-1", clabe, "rent");
  EXPECT_EQ(registered.id(), "monato.cpty.inst-1");
  EXPECT_EQ(registered.provider(), payments::v1::PROVIDER_MONATO);
  EXPECT_EQ(registered.counterparty().clabe(), "0003");
  EXPECT_EQ(registered.counterparty().holder_name(), "Ana");
  EXPECT_EQ(registered.counterparty().institution_code(), "40012");
  EXPECT_EQ(registered.alias(), "rent");

  payments::v1::Counterparty card;
  card.set_debit_card("4111111111111111");
  EXPECT_EQ(Registered(payments::v1::PROVIDER_FINTOC, "x", card, "").counterparty().debit_card(),
            "1111");
}

TEST(RegisteredCounterpartyTest, AShortNumberIsKeptWhole) {
  EXPECT_EQ(LastFour("123"), "123");
  EXPECT_EQ(LastFour("1234"), "1234");
  EXPECT_EQ(LastFour("12345"), "2345");
  EXPECT_EQ(LastFour(""), "");
}

}  // namespace
}  // namespace providers
