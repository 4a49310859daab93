#include "gateway/config/config.h"

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "providers/registration/provider_registration.h"

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
  url: postgres://gateway@db/payouts?sslmode=verify-full
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
  EXPECT_EQ(config->store_url, "postgres://gateway@db/payouts?sslmode=verify-full");
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
  // The example documents every provider this binary links, and only those.
  EXPECT_EQ(example->providers.size(), providers::LinkedProviders().size());
  for (const providers::ProviderRegistration* linked : providers::LinkedProviders()) {
    EXPECT_EQ(example->providers.count(linked->name), 1u) << linked->name;
  }
  EXPECT_EQ(example->store_lease, absl::Seconds(30));
  EXPECT_EQ(example->reconciliation.interval, absl::Hours(24));
  EXPECT_EQ(example->callers.file, "/run/secrets/gateway/callers");
  EXPECT_EQ(example->policies_file, "/run/secrets/gateway/policies.yaml");
  auto embedded = LoadConfigFile("config/gateway.yaml");
  ASSERT_TRUE(embedded.ok()) << embedded.status();
  EXPECT_TRUE(embedded->providers.at("monato").enabled);
  EXPECT_TRUE(embedded->providers.at("fintoc").enabled);
  EXPECT_TRUE(embedded->providers.at("stp").enabled);  // scripts/run.sh pays through all three
  EXPECT_EQ(embedded->store_url, "sqlite://var/gateway.db");
  EXPECT_EQ(embedded->admin_listen_address, "127.0.0.1:9464");
  EXPECT_EQ(example->admin_listen_address, "");  // off unless configured
  EXPECT_EQ(embedded->policies_file, "");        // the embedded default stays open
}

TEST(ConfigTest, PoliciesFileIsAPathAndEmptyByDefault) {
  auto none = ParseConfig("server: {listen_address: 127.0.0.1:50051}\n", {});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->policies_file, "");  // no policies: every caller may do everything
  constexpr char kCallers[] = "callers: {file: /run/secrets/callers}, ";
  auto set = ParseConfig(
      absl::StrCat("server: {", kCallers, "policies_file: /etc/gateway/policies.yaml}\n"), {});
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->policies_file, "/etc/gateway/policies.yaml");
  auto from_env = ParseConfig(absl::StrCat("server: {", kCallers, "policies_file: /a.yaml}\n"),
                              {"GATEWAY_SERVER__POLICIES_FILE=/run/secrets/policies.yaml"});
  ASSERT_TRUE(from_env.ok()) << from_env.status();
  EXPECT_EQ(from_env->policies_file, "/run/secrets/policies.yaml");
  auto explicitly_empty = ParseConfig("server: {policies_file: \"\"}\n", {});
  ASSERT_TRUE(explicitly_empty.ok()) << explicitly_empty.status();
  EXPECT_EQ(explicitly_empty->policies_file, "");

  for (const char* bad :
       {"server: {policies_file: [a, b]}\n", "server: {policies_file: {file: /a}}\n",
        "server: {policies_file: \" /a.yaml\"}\n", "server: {policies_file: \"/a\\n.yaml\"}\n"}) {
    auto refused = ParseConfig(bad, {});
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(std::string(refused.status().message()), HasSubstr("server.policies_file")) << bad;
  }
  // A typo in the key is an unknown key, not silently "no policies".
  auto typo = ParseConfig("server: {policy_file: /a.yaml}\n", {});
  EXPECT_THAT(std::string(typo.status().message()), HasSubstr("server.policy_file"));
}

// Policies name callers: with no caller authentication every call is the anonymous caller,
// which no policy can name, so such a configuration would refuse everything. It is refused.
TEST(ConfigTest, PoliciesWithoutCallerAuthenticationAreRefused) {
  auto anonymous = ParseConfig("server: {policies_file: /etc/gateway/policies.yaml}\n", {});
  EXPECT_EQ(anonymous.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(anonymous.status().message()), HasSubstr("caller authentication"));
  auto tokens_from_env = ParseConfig(
      "server: {callers: {env: GATEWAY_CALLERS}, policies_file: /etc/gateway/policies.yaml}\n", {});
  EXPECT_TRUE(tokens_from_env.ok()) << tokens_from_env.status();
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

// Caller tokens are bearer secrets: a gRPC port off the host without TLS needs an explicit
// server.allow_plaintext (a mesh doing mTLS encrypts for the gateway).
TEST(ConfigTest, CallerTokensOnAPlaintextPortNeedAnExplicitAllow) {
  constexpr char kCallers[] = "  callers: {file: /run/secrets/gateway/callers}\n";
  auto open = ParseConfig(absl::StrCat("server:\n  listen_address: 0.0.0.0:50051\n", kCallers), {});
  EXPECT_EQ(open.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(open.status().message()), HasSubstr("server.allow_plaintext"));
  auto from_env = ParseConfig(absl::StrCat("server:\n", kCallers),
                              {"GATEWAY_SERVER__LISTEN_ADDRESS=[::]:50051"});
  EXPECT_FALSE(from_env.ok());

  auto allowed = ParseConfig(
      absl::StrCat("server:\n  listen_address: 0.0.0.0:50051\n  allow_plaintext: true\n", kCallers),
      {});
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  EXPECT_TRUE(allowed->allow_plaintext);
  EXPECT_TRUE(ParseConfig(absl::StrCat("server:\n  listen_address: 0.0.0.0:50051\n"
                                       "  tls_cert_file: /c.pem\n  tls_key_file: /k.pem\n",
                                       kCallers),
                          {})
                  .ok());
  for (const char* local : {"127.0.0.1:50051", "localhost:50051", "[::1]:50051"}) {
    EXPECT_TRUE(
        ParseConfig(absl::StrCat("server:\n  listen_address: \"", local, "\"\n", kCallers), {})
            .ok())
        << local;
  }
  // Without caller tokens there is nothing to protect on the wire here.
  EXPECT_TRUE(ParseConfig("server: {listen_address: 0.0.0.0:50051}\n", {}).ok());
  EXPECT_FALSE(ParseConfig("server: {allow_plaintext: sometimes}\n", {}).ok());
}

// A PostgreSQL server off the host must be reached with TLS (sslmode require, verify-ca or
// verify-full) unless store.allow_plaintext says otherwise; the URL (a secret) is never shown.
TEST(ConfigTest, PostgresOffTheHostNeedsSslmodeOrAnExplicitAllow) {
  auto store = [](const std::string& url, const std::string& extra = "") {
    return ParseConfig(absl::StrCat("store:\n  url: \"", url, "\"\n", extra), {});
  };
  for (const char* plaintext :
       {"postgres://gateway:pw-s3cret@db.internal:5432/payouts",
        "postgresql://gateway:pw-s3cret@db.internal/payouts?sslmode=prefer&pool_size=4",
        "postgres://gateway:pw-s3cret@db.internal/payouts?sslmode=disable",
        "postgres://gateway:pw-s3cret@localhost,db.internal:5433/payouts",
        "postgres://gateway:pw-s3cret@/payouts?host=db.internal",
        "postgres://gateway:pw-s3cret@10.0.0.7/payouts?sslmode=allow"}) {
    auto parsed = store(plaintext);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << plaintext;
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr("sslmode")) << plaintext;
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr("store.allow_plaintext"));
    EXPECT_THAT(std::string(parsed.status().message()), testing::Not(HasSubstr("pw-s3cret")));
    EXPECT_TRUE(store(plaintext, "  allow_plaintext: true\n").ok()) << plaintext;
  }
  for (const char* fine :
       {"postgres://gateway:pw@db.internal:5432/payouts?sslmode=verify-full&pool_size=4",
        "postgres://gateway:pw@db.internal/payouts?pool_size=4&sslmode=require",
        "postgresql://gateway:pw@db1,db2:5433/payouts?sslmode=verify-ca",
        "postgres://gateway:pw@127.0.0.1:5432/payouts", "postgres://gateway@localhost/payouts",
        "postgres://gateway@[::1]:5432/payouts", "postgres:///payouts?host=/var/run/postgresql",
        "postgres://%2Fvar%2Frun%2Fpostgresql/payouts", "sqlite://var/gateway.db"}) {
    EXPECT_TRUE(store(fine).ok()) << fine << ": " << store(fine).status();
  }
  // The URL usually comes from the environment (a Secret): checked the same way.
  EXPECT_FALSE(ParseConfig("", {"GATEWAY_STORE__URL=postgres://u:pw@db.internal/payouts"}).ok());
}

// The webhook and admin listeners face the network: a connection cap and a header deadline.
TEST(ConfigTest, ListenerLimitsAreReadAndChecked) {
  auto config = ParseConfig(
      "server: {admin_max_connections: 8}\n"
      "webhooks: {max_connections: 64, header_timeout: 5s}\n",
      {});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->admin_max_connections, 8);
  EXPECT_EQ(config->webhooks.max_connections, 64);
  EXPECT_EQ(config->webhooks.header_timeout, absl::Seconds(5));
  auto defaults = ParseConfig("", {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_GT(defaults->webhooks.max_connections, 0);
  EXPECT_GT(defaults->admin_max_connections, 0);
  EXPECT_EQ(defaults->webhooks.header_timeout, absl::Seconds(10));
  for (const char* bad :
       {"webhooks: {max_connections: 0}", "webhooks: {max_connections: many}",
        "server: {admin_max_connections: -1}", "webhooks: {header_timeout: 0s}"}) {
    EXPECT_FALSE(ParseConfig(bad, {}).ok()) << bad;
  }
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

// Provider sections and webhook secret keys are those of the linked registrations (this test
// links Monato's, Fintoc's and STP's, as the gateway binary does), with the same precise errors.
TEST(ConfigTest, ProviderSectionsAndWebhookKeysComeFromTheLinkedProviders) {
  auto unknown = ParseConfig("providers: {acme: {enabled: true}}", {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(),
            "unknown key \"providers.acme\" (known: fintoc, monato, stp)");

  auto bad_key = ParseConfig("webhooks: {acme_secrets: []}", {});
  ASSERT_FALSE(bad_key.ok());
  EXPECT_EQ(bad_key.status().message(),
            "unknown key \"webhooks.acme_secrets\" (known: enabled, fintoc_secrets, "
            "header_timeout, listen_address, max_connections, monato_tokens, public_url, "
            "stp_tokens, tls_cert_file, tls_key_file)");

  auto config = ParseConfig(R"(
webhooks:
  fintoc_secrets: [{file: /run/secrets/fintoc/new}, {env: FINTOC_OLD}]
  monato_tokens: [{file: /run/secrets/monato/token}]
)",
                            {});
  ASSERT_TRUE(config.ok()) << config.status();
  const auto& secrets = config->webhooks.provider_secrets;
  ASSERT_EQ(secrets.at("fintoc").size(), 2u);
  EXPECT_EQ(secrets.at("fintoc")[0].file, "/run/secrets/fintoc/new");
  EXPECT_EQ(secrets.at("fintoc")[1].env, "FINTOC_OLD");
  ASSERT_EQ(secrets.at("monato").size(), 1u);
  EXPECT_EQ(secrets.at("monato")[0].file, "/run/secrets/monato/token");

  auto not_a_list = ParseConfig("webhooks: {monato_tokens: {file: x}}", {});
  ASSERT_FALSE(not_a_list.ok());
  EXPECT_EQ(not_a_list.status().message(), "webhooks.monato_tokens must be a list");
}

TEST(ConfigTest, ReconciliationIsOffUnlessAnIntervalIsSet) {
  auto none = ParseConfig("", {});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->reconciliation.interval, absl::ZeroDuration());
  EXPECT_EQ(none->reconciliation.lookback, absl::Hours(24));
  EXPECT_EQ(none->reconciliation.stuck_after, absl::Hours(1));
  EXPECT_EQ(none->reconciliation.grace, absl::Minutes(15));
  EXPECT_EQ(none->reconciliation.max_records_per_slice, 10000);
  auto set = ParseConfig(
      "reconciliation: {interval: 24h, lookback: 48h, stuck_after: 30m, grace: 5m,\n"
      "                 max_records_per_slice: 2000}\n",
      {"GATEWAY_RECONCILIATION__INTERVAL=12h"});
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->reconciliation.interval, absl::Hours(12));
  EXPECT_EQ(set->reconciliation.lookback, absl::Hours(48));
  EXPECT_EQ(set->reconciliation.stuck_after, absl::Minutes(30));
  EXPECT_EQ(set->reconciliation.grace, absl::Minutes(5));
  EXPECT_EQ(set->reconciliation.max_records_per_slice, 2000);
  EXPECT_THAT(
      std::string(ParseConfig("reconciliation: {max_records_per_slice: 0}", {}).status().message()),
      HasSubstr("reconciliation.max_records_per_slice"));
  EXPECT_THAT(std::string(ParseConfig("reconciliation: {interval: daily}", {}).status().message()),
              HasSubstr("reconciliation.interval must be a duration"));
  EXPECT_THAT(std::string(ParseConfig("reconciliation: {lookback: 800h}", {}).status().message()),
              HasSubstr("reconciliation.lookback must be more than 0 and at most 744h"));
  EXPECT_THAT(std::string(ParseConfig("reconciliation: {stuck_after: 0s}", {}).status().message()),
              HasSubstr("reconciliation.stuck_after"));
  EXPECT_THAT(std::string(ParseConfig("reconciliation: {intervall: 1h}", {}).status().message()),
              HasSubstr("reconciliation.intervall"));
}

}  // namespace
}  // namespace gateway
