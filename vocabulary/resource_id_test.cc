#include "vocabulary/resource_id.h"

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

// The provider's id ends up in provider URLs (after the provider checks its own grammar,
// providers/common/native_id.h): the gateway id already refuses anything that is not an
// RFC 3986 unreserved character, and dot-only segments.
TEST(ResourceIdTest, RefusesUrlDelimitersEscapesDotSegmentsAndNonAscii) {
  for (const std::string& bad :
       {std::string("monato.txn.a/refund"), std::string("monato.txn.a?b=1"),
        std::string("monato.txn.%2F"), std::string("monato.txn.."), std::string("monato.txn..."),
        std::string("monato.txn.a#b"), std::string("monato.txn.a\\b"),
        std::string("monato.txn.\xc3\xb1"), std::string("monato.txn.a\r\nb"),
        std::string("monato.txn.a:b"), std::string("monato.txn.a@b")}) {
    EXPECT_EQ(ResourceId::Parse(bad, kind::kTransaction).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_TRUE(
      ResourceId::Parse("monato.txn.16811ee8-3f1a-4c1e-9d2b-0a1b2c3d4e5f", kind::kTransaction)
          .ok());
  EXPECT_TRUE(ResourceId::Parse("fintoc.txn.tr_1.2~3", kind::kTransaction).ok());
}

TEST(ResourceIdTest, ProviderNamesRoundTrip) {
  for (auto p : {payments::v1::PROVIDER_MONATO, payments::v1::PROVIDER_FINTOC}) {
    EXPECT_EQ(ProviderFromName(ProviderName(p)), p);
  }
  EXPECT_EQ(ProviderName(payments::v1::PROVIDER_UNSPECIFIED), "");
}

}  // namespace
}  // namespace gateway

namespace gateway {
namespace {

// Names follow the enum (PROVIDER_<NAME> -> "<name>"): one place, whatever a binary links.
TEST(ProviderNameTest, IsTheEnumValuesLowerCaseTail) {
  EXPECT_EQ(ProviderName(payments::v1::PROVIDER_MONATO), "monato");
  EXPECT_EQ(ProviderName(payments::v1::PROVIDER_FINTOC), "fintoc");
  EXPECT_EQ(ProviderName(payments::v1::PROVIDER_TEST_ONLY), "test_only");
  EXPECT_EQ(ProviderName(payments::v1::PROVIDER_UNSPECIFIED), "");
  EXPECT_EQ(ProviderName(static_cast<payments::v1::Provider>(77)), "");
  EXPECT_EQ(ProviderFromName("fintoc"), payments::v1::PROVIDER_FINTOC);
  EXPECT_EQ(ProviderFromName("test_only"), payments::v1::PROVIDER_TEST_ONLY);
  for (const char* not_a_name : {"", "unspecified", "MONATO", "Monato", "PROVIDER_MONATO"}) {
    EXPECT_EQ(ProviderFromName(not_a_name), payments::v1::PROVIDER_UNSPECIFIED) << not_a_name;
  }
}

}  // namespace
}  // namespace gateway
