// payctl for production: the real payctl binary against a real gateway serving TLS, with
// certificates made by the openssl tool. The right CA and client certificate connect; another
// CA, a wrong server name or no client certificate do not; the caller token read from
// --token_file reaches the gateway's callers check and is never printed.
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/e2e/process_fixtures.h"  // also ChildProcess

namespace e2e {
namespace {

constexpr char kToken[] = "payctl-operator-token-000000001";
constexpr char kWrongToken[] = "payctl-operator-token-999999999";

const OpensslPki kPki{"payctl-pki-"};
std::string Pki(const std::string& name) { return kPki.Path(name); }
void MakeCa(const std::string& ca) { kPki.MakeCa(ca); }
void MakeCert(const std::string& ca, const std::string& cn, const std::string& name) {
  kPki.MakeCert(ca, cn, name);
}

struct PayctlRun {
  int exit_code;
  std::string output;  // stdout and stderr
};

// payctl with `args` against the gateway on `port`; GATEWAY_CALLER_TOKEN as given ("": unset).
PayctlRun Payctl(int port, std::vector<std::string> args, const std::string& env_token = "") {
  static int runs = 0;
  args.insert(args.begin(), absl::StrCat("--addr=127.0.0.1:", port));
  ChildOptions options;
  if (!env_token.empty()) options.env.push_back(absl::StrCat("GATEWAY_CALLER_TOKEN=", env_token));
  ChildProcess payctl("gateway/cli/payctl", args, TempPath(absl::StrCat("payctl-", ++runs, ".log")),
                      options);
  const int exit_code = payctl.WaitForExit(absl::Seconds(20));
  return {exit_code, payctl.Log()};
}

std::vector<std::string> Tls(const std::string& ca, const std::string& client) {
  std::vector<std::string> args = {absl::StrCat("--tls_ca_file=", Pki(ca + ".pem"))};
  if (!client.empty()) {
    args.push_back(absl::StrCat("--tls_cert_file=", Pki(client + ".pem")));
    args.push_back(absl::StrCat("--tls_key_file=", Pki(client + ".key")));
  }
  return args;
}

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

class PayctlTlsE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    MakeCa("ca");
    MakeCa("rogue-ca");
    MakeCert("ca", "localhost", "server");
    MakeCert("ca", "operator", "operator");
  }
  std::string ServerTls() const {
    return absl::StrCat("  tls_cert_file: ", Pki("server.pem"),
                        "\n  tls_key_file: ", Pki("server.key"));
  }
  Sandbox sandbox_;
};

TEST_F(PayctlTlsE2eTest, MutualTlsConnectsOnlyWithTheRightCaAndAClientCertificate) {
  GatewayProcessOptions options;
  options.extra_server_yaml = absl::StrCat(ServerTls(), "\n  tls_client_ca_file: ", Pki("ca.pem"));
  Gateway gateway("payctl-mtls", absl::StrCat("sqlite://", TempPath("payctl-mtls/gateway.db")),
                  sandbox_, options);
  ASSERT_GT(gateway.port(), 0);

  PayctlRun ok = Payctl(gateway.port(), With(Tls("ca", "operator"), {"health"}));
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_TRUE(absl::StrContains(ok.output, "health: SERVING")) << ok.output;

  // The name checked in the server certificate, overridden: one it has, and one it has not.
  PayctlRun named = Payctl(gateway.port(),
                           With(Tls("ca", "operator"), {"--tls_server_name=localhost", "health"}));
  EXPECT_EQ(named.exit_code, 0) << named.output;
  PayctlRun misnamed = Payctl(
      gateway.port(), With(Tls("ca", "operator"), {"--tls_server_name=other.example", "health"}));
  EXPECT_EQ(misnamed.exit_code, 1) << misnamed.output;

  // Another CA: the server certificate is not trusted. No client certificate: the server
  // refuses the handshake. Plaintext: no TLS at all.
  PayctlRun rogue = Payctl(gateway.port(), With(Tls("rogue-ca", "operator"), {"health"}));
  EXPECT_EQ(rogue.exit_code, 1) << rogue.output;
  EXPECT_FALSE(absl::StrContains(rogue.output, "SERVING")) << rogue.output;
  PayctlRun anonymous = Payctl(gateway.port(), With(Tls("ca", ""), {"health"}));
  EXPECT_EQ(anonymous.exit_code, 1) << anonymous.output;
  EXPECT_FALSE(absl::StrContains(anonymous.output, "SERVING")) << anonymous.output;
  PayctlRun plaintext = Payctl(gateway.port(), {"health"});
  EXPECT_EQ(plaintext.exit_code, 1) << plaintext.output;
}

TEST_F(PayctlTlsE2eTest, BadFlagsExitTwoNamingTheFlagWithoutConnecting) {
  // No gateway listens on port 1: a connection attempt would fail differently (exit 1).
  PayctlRun cert_only =
      Payctl(1, {absl::StrCat("--tls_ca_file=", Pki("ca.pem")),
                 absl::StrCat("--tls_cert_file=", Pki("operator.pem")), "health"});
  EXPECT_EQ(cert_only.exit_code, 2) << cert_only.output;
  EXPECT_TRUE(absl::StrContains(cert_only.output, "--tls_cert_file")) << cert_only.output;
  EXPECT_FALSE(absl::StrContains(cert_only.output, "health:")) << cert_only.output;

  PayctlRun missing_ca = Payctl(1, {"--tls_ca_file=/nonexistent/ca.pem", "health"});
  EXPECT_EQ(missing_ca.exit_code, 2) << missing_ca.output;
  EXPECT_TRUE(absl::StrContains(missing_ca.output, "--tls_ca_file")) << missing_ca.output;

  PayctlRun missing_token = Payctl(1, {"--token_file=/nonexistent/token", "health"});
  EXPECT_EQ(missing_token.exit_code, 2) << missing_token.output;
  EXPECT_TRUE(absl::StrContains(missing_token.output, "--token_file")) << missing_token.output;
}

TEST_F(PayctlTlsE2eTest, TheTokenFileReachesTheCallersCheckAndWinsOverTheEnvironment) {
  const std::string callers = TempPath("payctl-callers");
  ASSERT_TRUE(WriteFile(callers, absl::StrCat("operator: ", kToken, "\n")));
  const std::string token_file = TempPath("payctl-token-file");
  ASSERT_TRUE(WriteFile(token_file, absl::StrCat(kToken, "\n")));  // as Kubernetes mounts it
  const std::string wrong_token_file = TempPath("payctl-wrong-token");
  ASSERT_TRUE(WriteFile(wrong_token_file, absl::StrCat(kWrongToken, "\n")));

  GatewayProcessOptions options;
  options.callers_file = callers;
  options.extra_server_yaml = ServerTls();
  Gateway gateway("payctl-token", absl::StrCat("sqlite://", TempPath("payctl-token/gateway.db")),
                  sandbox_, options);
  ASSERT_GT(gateway.port(), 0);

  PayctlRun accepted = Payctl(
      gateway.port(), With(Tls("ca", ""), {absl::StrCat("--token_file=", token_file), "accounts"}),
      /*env_token=*/kWrongToken);
  EXPECT_EQ(accepted.exit_code, 0) << accepted.output;

  PayctlRun refused =
      Payctl(gateway.port(),
             With(Tls("ca", ""), {absl::StrCat("--token_file=", wrong_token_file), "accounts"}));
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_TRUE(absl::StrContains(refused.output, "error: 16")) << refused.output;  // UNAUTHENTICATED
  EXPECT_FALSE(absl::StrContains(refused.output, kWrongToken)) << "the token was printed";

  PayctlRun from_env = Payctl(gateway.port(), With(Tls("ca", ""), {"accounts"}), kToken);
  EXPECT_EQ(from_env.exit_code, 0) << from_env.output;
}

}  // namespace
}  // namespace e2e
