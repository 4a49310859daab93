#include "providers/registration/provider_registration.h"

#include "gtest/gtest.h"

namespace providers {
namespace {

ProviderRegistration Named(const std::string& name, payments::v1::Provider id) {
  ProviderRegistration registration;
  registration.name = name;
  registration.id = id;
  registration.build = [](const ProviderSettings&,
                          const BuildContext&) -> absl::StatusOr<BuiltAdapter> {
    return absl::UnimplementedError("not in this test");
  };
  return registration;
}

TEST(ProviderRegistrationTest, LinkedProvidersAreFoundByNameInEnumOrder) {
  RegisterProvider(Named("fintoc", payments::v1::PROVIDER_FINTOC));
  RegisterProvider(Named("monato", payments::v1::PROVIDER_MONATO));
  const auto linked = LinkedProviders();
  ASSERT_EQ(linked.size(), 2u);
  EXPECT_EQ(linked[0]->name, "monato");
  EXPECT_EQ(linked[1]->name, "fintoc");
  ASSERT_NE(FindLinkedProvider("fintoc"), nullptr);
  EXPECT_EQ(FindLinkedProvider("fintoc")->id, payments::v1::PROVIDER_FINTOC);
  EXPECT_EQ(FindLinkedProvider("Fintoc"), nullptr);
  EXPECT_EQ(FindLinkedProvider("other"), nullptr);
  EXPECT_EQ(WebhookPath("fintoc"), "/webhooks/fintoc");
}

TEST(ProviderRegistrationDeathTest, ANameThatIsNotItsEnumValuesIsAProgrammingError) {
  EXPECT_DEATH(RegisterProvider(Named("fintok", payments::v1::PROVIDER_FINTOC)),
               "not the name of its enum value PROVIDER_FINTOC");
  EXPECT_DEATH(RegisterProvider(Named("", payments::v1::PROVIDER_UNSPECIFIED)), "enum value");
}

TEST(ProviderRegistrationDeathTest, AWebhookRouteNeedsItsSecretsKeyAndVerifier) {
  ProviderRegistration registration = Named("monato", payments::v1::PROVIDER_MONATO);
  registration.webhook = WebhookRouteSpec{};
  EXPECT_DEATH(RegisterProvider(std::move(registration)), "secrets key and a verifier");
}

}  // namespace
}  // namespace providers
