// The providers.stp section: built only from a complete section, errors name the setting and
// never a secret.
#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "net/http/http_server.h"
#include "providers/registration/provider_registration.h"

namespace providers {
namespace {

ProviderSettings Complete() {
  const std::string passphrase = std::string(std::getenv("TEST_TMPDIR")) + "/stp_passphrase";
  std::ofstream(passphrase) << "stp-test-only\n";
  ProviderSettings settings;
  settings.enabled = true;
  settings.base_url = "https://127.0.0.1:1/speiws/rest";
  settings.options = {{"empresa", "TAMIZI"}, {"cuenta_ordenante", "646180110400000007"}};
  settings.credentials["private_key"] =
      SecretRef{"providers/stp/testdata/test_only_stp_key.pem", ""};
  settings.credentials["private_key_passphrase"] = SecretRef{passphrase, ""};
  return settings;
}

BuildContext Context() {
  BuildContext context;
  context.log = [](absl::string_view, const absl::Status&) {};
  return context;
}

TEST(StpRegistrationTest, ACompleteSectionBuildsTheAdapterWithItsWebhookRoute) {
  const ProviderRegistration* stp = FindLinkedProvider("stp");
  ASSERT_NE(stp, nullptr);
  EXPECT_EQ(stp->id, payments::v1::PROVIDER_STP);
  ASSERT_TRUE(stp->webhook.has_value());
  EXPECT_EQ(stp->webhook->secrets_key, "stp_tokens");
  auto built = stp->build(Complete(), Context());
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_EQ(built->adapter->id(), payments::v1::PROVIDER_STP);
  EXPECT_LT(built->adapter->capabilities().idempotency_key_lifetime, absl::Hours(24));

  net::http::ServerRequest request;
  request.body = R"({"id":1,"estado":"LIQUIDADA","claveRastreo":"GW1"})";
  WebhookVerifier verify = stp->webhook->verifier({"tok"});
  EXPECT_EQ(verify(request, absl::Now()).status().code(), absl::StatusCode::kUnauthenticated);
  request.query = "token=tok";
  auto event = verify(request, absl::Now());
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->provider_payout_id, "GW1");
}

TEST(StpRegistrationTest, MissingOrWrongSettingsAreNamedWithoutSecrets) {
  const ProviderRegistration* stp = FindLinkedProvider("stp");
  ASSERT_NE(stp, nullptr);
  ProviderSettings no_empresa = Complete();
  no_empresa.options.erase("empresa");
  auto refused = stp->build(no_empresa, Context());
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "providers.stp.empresa"));

  ProviderSettings wrong_passphrase = Complete();
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/wrong_passphrase";
  std::ofstream(path) << "not-the-passphrase-XYZ\n";
  wrong_passphrase.credentials["private_key_passphrase"] = SecretRef{path, ""};
  refused = stp->build(wrong_passphrase, Context());
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "providers.stp.credentials"));
  EXPECT_FALSE(absl::StrContains(refused.status().message(), "not-the-passphrase-XYZ"));

  ProviderSettings long_lifetime = Complete();
  long_lifetime.options["tracking_key_lifetime"] = "30h";
  EXPECT_FALSE(stp->build(long_lifetime, Context()).ok());
}

}  // namespace
}  // namespace providers
