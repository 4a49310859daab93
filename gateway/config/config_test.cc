#include "gateway/config/config.h"

#include <cstdlib>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gateway {
namespace {

using testing::HasSubstr;

constexpr char kYaml[] = R"yaml(
server:
  listen_address: 0.0.0.0:50051
  drain_delay: 5s
  shutdown_grace: 25s
log:
  level: debug
store:
  url: postgres://gateway@db/payouts
validation:
  extra_banks:
    - {banxico_code: "90735", name: "Fintoc (test mode)"}
providers:
  monato:
    enabled: true
    base_url: https://apicore.stg.finch.lat
    timeout: 1500ms
    max_payout_minor: 99999999999
    client_id: c2d1d1e3
    credentials:
      api_key: {file: /run/secrets/monato/api_key}
      client_secret: {env: MONATO_CLIENT_SECRET}
)yaml";

TEST(ConfigTest, ParsesEverySection) {
  auto config = ParseConfig(kYaml, {});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen_address, "0.0.0.0:50051");
  EXPECT_EQ(config->drain_delay, absl::Seconds(5));
  EXPECT_EQ(config->shutdown_grace, absl::Seconds(25));
  EXPECT_EQ(config->log_level, "debug");
  EXPECT_EQ(config->store_url, "postgres://gateway@db/payouts");
  ASSERT_EQ(config->extra_banks.size(), 1u);
  EXPECT_EQ(config->extra_banks[0].first, "90735");
  const ProviderSettings& monato = config->providers.at("monato");
  EXPECT_TRUE(monato.enabled);
  EXPECT_EQ(monato.timeout, absl::Milliseconds(1500));
  EXPECT_EQ(monato.max_payout_minor, 99999999999);
  EXPECT_EQ(monato.options.at("client_id"), "c2d1d1e3");
  EXPECT_EQ(monato.credentials.at("api_key").file, "/run/secrets/monato/api_key");
  EXPECT_EQ(monato.credentials.at("client_secret").env, "MONATO_CLIENT_SECRET");
}

TEST(ConfigTest, DefaultsWhenEmpty) {
  auto config = ParseConfig("", {});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen_address, "127.0.0.1:50051");
  EXPECT_EQ(config->shutdown_grace, absl::Seconds(20));
  EXPECT_TRUE(config->providers.empty());
}

TEST(ConfigTest, EnvironmentOverridesTheFile) {
  auto config = ParseConfig(
      kYaml, {"GATEWAY_SERVER__LISTEN_ADDRESS=127.0.0.1:6000",
              "GATEWAY_PROVIDERS__MONATO__TIMEOUT=3s", "GATEWAY_PROVIDERS__FINTOC__ENABLED=false",
              "GATEWAY_CONFIG=/etc/gateway.yaml", "HOME=/root"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen_address, "127.0.0.1:6000");
  EXPECT_EQ(config->providers.at("monato").timeout, absl::Seconds(3));
  EXPECT_FALSE(config->providers.at("fintoc").enabled);
}

TEST(ConfigTest, MistakesAreNamed) {
  EXPECT_THAT(std::string(ParseConfig("sever: {}", {}).status().message()),
              HasSubstr("unknown key \"sever\""));
  EXPECT_THAT(std::string(ParseConfig("server: {listen_adress: x}", {}).status().message()),
              HasSubstr("server.listen_adress"));
  EXPECT_THAT(std::string(ParseConfig("server: {shutdown_grace: soon}", {}).status().message()),
              HasSubstr("server.shutdown_grace must be a duration"));
  EXPECT_THAT(std::string(ParseConfig("providers: {paypal: {}}", {}).status().message()),
              HasSubstr("paypal"));
  EXPECT_THAT(std::string(ParseConfig("server: [1, 2", {}).status().message()),
              HasSubstr("not valid YAML"));
}

TEST(ConfigTest, SecretsMustComeFromAFileOrTheEnvironment) {
  auto inline_secret =
      ParseConfig("providers: {monato: {credentials: {api_key: {value: abc}}}}", {});
  EXPECT_FALSE(inline_secret.ok());
  auto both = ParseConfig("providers: {monato: {credentials: {api_key: {file: a, env: B}}}}", {});
  EXPECT_THAT(std::string(both.status().message()), HasSubstr("exactly one"));
}

TEST(ConfigTest, ReadsSecretsWithoutRevealingThemInErrors) {
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/api_key";
  std::ofstream(path) << "s3cr3t-value\n";
  auto from_file = ReadSecret(SecretRef{path, ""});
  ASSERT_TRUE(from_file.ok()) << from_file.status();
  EXPECT_EQ(*from_file, "s3cr3t-value");
  setenv("CONFIG_TEST_SECRET", "env-secret", 1);
  EXPECT_EQ(*ReadSecret(SecretRef{"", "CONFIG_TEST_SECRET"}), "env-secret");
  auto missing = ReadSecret(SecretRef{"", "CONFIG_TEST_UNSET"});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("CONFIG_TEST_UNSET"));
  EXPECT_FALSE(ReadSecret(SecretRef{"/nonexistent/secret", ""}).ok());
}

TEST(ConfigTest, TheShippedConfigurationFilesParse) {
  auto example = LoadConfigFile("config/gateway.example.yaml");
  ASSERT_TRUE(example.ok()) << example.status();
  EXPECT_EQ(example->providers.size(), 2u);
  EXPECT_EQ(example->store_lease, absl::Seconds(30));
  EXPECT_EQ(example->callers.file, "/run/secrets/gateway/callers");
  auto embedded = LoadConfigFile("config/gateway.yaml");
  ASSERT_TRUE(embedded.ok()) << embedded.status();
  EXPECT_TRUE(embedded->providers.at("monato").enabled);
  EXPECT_TRUE(embedded->providers.at("fintoc").enabled);
  EXPECT_EQ(embedded->store_url, "sqlite://var/gateway.db");
  EXPECT_EQ(embedded->admin_listen_address, "127.0.0.1:9464");
  EXPECT_EQ(example->admin_listen_address, "");  // off unless configured
}

TEST(ConfigTest, ServerTlsFilesGoTogetherAndMutualTlsNeedsTheServerPair) {
  auto full = ParseConfig(
      "server: {tls_cert_file: /c.pem, tls_key_file: /k.pem, tls_client_ca_file: /ca.pem}\n", {});
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(full->tls_client_ca_file, "/ca.pem");
  auto half = ParseConfig("server: {tls_cert_file: /c.pem}\n", {});
  EXPECT_EQ(half.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(half.status().message()), HasSubstr("server.tls_key_file"));
  auto ca_only = ParseConfig("server: {tls_client_ca_file: /ca.pem}\n", {});
  EXPECT_EQ(ca_only.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ConfigTest, AdminAddressIsReadAndOverridable) {
  auto config = ParseConfig("server: {admin_listen_address: 0.0.0.0:9464}\n",
                            {"GATEWAY_SERVER__ADMIN_LISTEN_ADDRESS=127.0.0.1:0"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->admin_listen_address, "127.0.0.1:0");
}

// Found by fuzz/config_fuzzer: an environment override on a file whose top level is not a
// mapping threw YAML::InvalidNode out of ParseConfig (the gateway aborted with no message).
TEST(ConfigTest, ATopLevelThatIsNotAMappingIsRefusedWithAMessage) {
  for (const char* yaml : {"- a\n- b\n", "just text", "42"}) {
    absl::StatusOr<GatewayConfig> config = absl::UnknownError("not run");
    ASSERT_NO_THROW(config = ParseConfig(yaml, {"GATEWAY_SERVER__LISTEN_ADDRESS=127.0.0.1:1"}))
        << yaml;
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument) << yaml;
    ASSERT_NO_THROW(config = ParseConfig(yaml, {})) << yaml;
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument) << yaml;
  }
}

// Found by fuzz/config_fuzzer: yaml-cpp throws on a list where a mapping is read (and on a key
// that is not text); the exception escaped ParseConfig instead of naming the mistake.
TEST(ConfigTest, YamlOfTheWrongShapeAnywhereIsRefusedWithAMessage) {
  for (const char* yaml : {"validation:\n  extra_banks: {banxico_code: '40999', name: X}\n",
                           "? [a, b]\n: 1\n", "server: {? [x]: 1}\n"}) {
    absl::StatusOr<GatewayConfig> config = absl::UnknownError("not run");
    ASSERT_NO_THROW(config = ParseConfig(yaml, {})) << yaml;
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument) << yaml;
  }
}

}  // namespace
}  // namespace gateway
