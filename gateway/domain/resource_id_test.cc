#include "gateway/domain/resource_id.h"

#include "gtest/gtest.h"

namespace gateway {
namespace {

TEST(ResourceIdTest, RoundTripsAndKeepsDotsInTheNativeId) {
  ResourceId id{payments::v1::PROVIDER_FINTOC, std::string(kind::kPayout), "tr_1.2.3"};
  EXPECT_EQ(id.ToString(), "fintoc.payout.tr_1.2.3");
  auto parsed = ResourceId::Parse(id.ToString(), kind::kPayout);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->provider, payments::v1::PROVIDER_FINTOC);
  EXPECT_EQ(parsed->native_id, "tr_1.2.3");
}

TEST(ResourceIdTest, RejectsMalformedIds) {
  for (const char* bad : {"", "monato", "monato.acct", "monato.acct.", "paypal.acct.x",
                          "monato.payout.x", "monato.acct.a b", ".acct.x"}) {
    EXPECT_FALSE(ResourceId::Parse(bad, kind::kAccount).ok()) << bad;
  }
  EXPECT_FALSE(ResourceId::Parse(std::string(201, 'a'), kind::kAccount).ok());
}

TEST(ResourceIdTest, ProviderNamesRoundTrip) {
  for (auto p : {payments::v1::PROVIDER_MONATO, payments::v1::PROVIDER_FINTOC}) {
    EXPECT_EQ(ProviderFromName(ProviderName(p)), p);
  }
  EXPECT_EQ(ProviderName(payments::v1::PROVIDER_UNSPECIFIED), "");
}

}  // namespace
}  // namespace gateway
