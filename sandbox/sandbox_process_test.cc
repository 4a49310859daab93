// The //sandbox:sandbox binary as a process: flags, secret files, the ports file and the CA it
// writes, one Monato payout and one Fintoc transfer over HTTPS, and a clean exit on SIGTERM.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "sandbox/common/crypto.h"
#include "sandbox/stp/stp_test_fixture.h"
#include "sandbox/testing/jws_signer.h"
#include "sandbox/testing/test_client.h"
#include "sandbox/testing/test_keys.h"

extern char** environ;

namespace sandbox {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteAll(const std::string& path, const std::string& contents) {
  std::ofstream(path) << contents;
}

class SandboxProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One directory per test: a ports file left by another test must not be read as ours.
    dir_ = absl::StrCat(::testing::TempDir(), "/",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_EQ(system(absl::StrCat("rm -rf ", dir_, " && mkdir -p ", dir_).c_str()), 0);
  }
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  void Start(const std::vector<std::string>& flags) {
    std::vector<std::string> args = {"sandbox/sandbox",
                                     absl::StrCat("--ports_file=", dir_, "/ports"),
                                     absl::StrCat("--ca_out=", dir_, "/ca.pem")};
    args.insert(args.end(), flags.begin(), flags.end());
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ASSERT_EQ(posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ), 0);
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (absl::Now() < deadline && ReadAll(dir_ + "/ports").empty()) {
      absl::SleepFor(absl::Milliseconds(20));
    }
    for (absl::string_view line :
         absl::StrSplit(ReadAll(dir_ + "/ports"), '\n', absl::SkipEmpty())) {
      std::vector<std::string> parts = absl::StrSplit(line, '=');
      ASSERT_EQ(parts.size(), 2u) << line;
      ASSERT_TRUE(absl::SimpleAtoi(parts[1], &ports_[parts[0]])) << line;
    }
    ASSERT_GT(ports_["monato"], 0);
    ASSERT_GT(ports_["fintoc"], 0);
  }

  TestClient Client(const std::string& provider) {
    // "localhost" checks the DNS name in the certificate; the tests elsewhere use the IP.
    return TestClient(absl::StrCat("https://localhost:", ports_[provider]),
                      ReadAll(dir_ + "/ca.pem"));
  }

  int StopAndWait(int signal_number) {
    kill(pid_, signal_number);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string dir_;
  pid_t pid_ = -1;
  std::map<std::string, int> ports_;
};

TEST_F(SandboxProcessTest, ServesBothProvidersWithFileSecretsAndExitsOnSigterm) {
  WriteAll(dir_ + "/api_key", "file-api-key\n");
  WriteAll(dir_ + "/client_secret", "file-client-secret\n");
  WriteAll(dir_ + "/fintoc_key", "sk_test_from_file\n");
  WriteAll(dir_ + "/jws.pem", kJwsTestPublicKeyPem);
  Start({absl::StrCat("--monato_api_key_file=", dir_, "/api_key"),
         absl::StrCat("--monato_client_secret_file=", dir_, "/client_secret"),
         absl::StrCat("--fintoc_secret_key_file=", dir_, "/fintoc_key"),
         absl::StrCat("--fintoc_jws_public_key_file=", dir_, "/jws.pem"), "--settle_after_ms=-1",
         "--threads=1"});
  const std::string client_id = "c2d1d1e3-3340-4170-980e-e9269bbbc551";

  TestClient monato = Client("monato");
  HttpResponse token = monato.Post(
      absl::StrCat("/v1/clients/", client_id, "/auth/credential-tokens"),
      absl::StrCat(R"({"client_id":")", client_id, R"(","client_secret":"file-client-secret"})"),
      {{"x-api-key", "file-api-key"}});
  ASSERT_EQ(token.status, 200) << token.body;
  const HeaderList auth = {{"x-api-key", "file-api-key"},
                           {"Authorization", "Bearer " + JsonStr(JsonBody(token), "token")}};
  const HttpResponse accounts =
      monato.Get(absl::StrCat("/v1/clients/", client_id, "/accounts"), auth);
  ASSERT_EQ(accounts.status, 200) << accounts.body;
  const std::string source = JsonStrAt(JsonBody(accounts), "/data/0/instrumentId");
  // The demo default key is not accepted when a file gave another one.
  EXPECT_EQ(monato.Get("/v1/banks", {{"x-api-key", "monato-sandbox-api-key"}, auth[1]}).status,
            401);

  TestClient fintoc = Client("fintoc");
  EXPECT_EQ(
      fintoc.Get("/v2/accounts", {{"Authorization", "sk_test_sandbox_fintoc_secret_key"}}).status,
      401);
  const std::string body =
      R"({"amount":100,"currency":"MXN","account_id":"acc_31yYL7h9LVPg121AgFtCyJPDsgM","counterparty":{"account_number":"014180655091438298"}})";
  absl::StatusOr<std::string> signature =
      SignDetachedJws(kJwsTestPrivateKeyPem,
                      JwsProtectedHeader(RandomHex(16), absl::ToUnixSeconds(absl::Now())), body);
  ASSERT_TRUE(signature.ok());
  const HttpResponse transfer =
      fintoc.Post("/v2/transfers", body,
                  {{"Authorization", "sk_test_from_file"}, {"Fintoc-JWS-Signature", *signature}});
  EXPECT_EQ(transfer.status, 201) << transfer.body;
  EXPECT_EQ(JsonAt(JsonBody(fintoc.Get("/_sandbox/fintoc/state")), "/outbound_created").as_int64(),
            1);

  const HttpResponse banks = monato.Get("/v1/banks?page_size=100", auth);
  std::string bbva;
  const boost::json::value bank_list = JsonAt(JsonBody(banks), "/banks");
  for (const auto& bank : bank_list.as_array()) {
    if (JsonStr(bank, "code") == "40012") bbva = JsonStr(bank, "id");
  }
  const HttpResponse instrument =
      monato.Post(absl::StrCat("/v1/clients/", client_id, "/instruments"),
                  absl::StrCat(R"({"type":"SENDER","rfc":"ND","client_id":")", client_id,
                               R"(","virtual_clabe":{"destination_bank_id":")", bbva,
                               R"(","clabe_number":"012180026050783858","holder_name":"Ana"}})"),
                  auth);
  ASSERT_EQ(instrument.status, 201) << instrument.body;
  HeaderList with_key = auth;
  with_key.emplace_back("Idempotency-Key", "2d3fc4c6-3b25-5722-a283-cfbc95c4e98f");
  const HttpResponse money_out = monato.Post(
      "/v1/transactions/money_out",
      absl::StrCat(
          R"({"client_id":")", client_id, R"(","source_instrument_id":")", source,
          R"(","destination_instrument_id":")", JsonStr(JsonBody(instrument), "id"),
          R"(","transaction_request":{"external_reference":"1234567","description":"demo","amount":"1.95","currency":"MXN"}})"),
      with_key);
  EXPECT_EQ(money_out.status, 201) << money_out.body;
  const boost::json::value state = JsonBody(monato.Get("/_sandbox/monato/state"));
  EXPECT_EQ(JsonAt(state, "/money_outs_created").as_int64(), 1);
  EXPECT_EQ(JsonStr(state, "main_account_balance"), "9999998.05");

  EXPECT_EQ(StopAndWait(SIGTERM), 0);
}

TEST_F(SandboxProcessTest, DemoDefaultsAndSigint) {
  Start({});
  TestClient monato = Client("monato");
  const std::string client_id = "c2d1d1e3-3340-4170-980e-e9269bbbc551";
  EXPECT_EQ(monato
                .Post(absl::StrCat("/v1/clients/", client_id, "/auth/credential-tokens"),
                      absl::StrCat(R"({"client_id":")", client_id,
                                   R"(","client_secret":"monato-sandbox-client-secret"})"),
                      {{"x-api-key", "monato-sandbox-api-key"}})
                .status,
            200);
  // Without a JWS key, Fintoc refuses to move money.
  const HttpResponse transfer =
      Client("fintoc").Post("/v2/transfers", "{}",
                            {{"Authorization", "sk_test_sandbox_fintoc_secret_key"},
                             {"Fintoc-JWS-Signature", JwsProtectedHeader(RandomHex(16), 1)}});
  EXPECT_EQ(transfer.status, 401);
  // Both providers deduplicate by default.
  EXPECT_TRUE(JsonAt(JsonBody(monato.Get("/_sandbox/dedup")), "/dedup").as_bool());
  EXPECT_TRUE(JsonAt(JsonBody(Client("fintoc").Get("/_sandbox/dedup")), "/dedup").as_bool());
  EXPECT_EQ(StopAndWait(SIGINT), 0);
}

TEST_F(SandboxProcessTest, NoDedupFlagTurnsDeduplicationOffOnBothPortsUntilSwitchedBack) {
  Start({"--no_dedup"});
  TestClient monato = Client("monato");
  TestClient fintoc = Client("fintoc");
  EXPECT_FALSE(JsonAt(JsonBody(monato.Get("/_sandbox/dedup")), "/dedup").as_bool());
  EXPECT_FALSE(JsonAt(JsonBody(fintoc.Get("/_sandbox/sends")), "/dedup").as_bool());
  EXPECT_EQ(JsonAt(JsonBody(fintoc.Get("/_sandbox/sends")), "/total/sends").as_int64(), 0);
  const HttpResponse on = fintoc.Post("/_sandbox/dedup", R"({"dedup":true})");
  EXPECT_EQ(on.status, 200) << on.body;
  EXPECT_TRUE(JsonAt(JsonBody(fintoc.Get("/_sandbox/dedup")), "/dedup").as_bool());
  EXPECT_FALSE(JsonAt(JsonBody(monato.Get("/_sandbox/dedup")), "/dedup").as_bool());
  EXPECT_TRUE(JsonBody(monato.Get("/_sandbox/transfers")).at("transfers").as_array().empty());
  EXPECT_EQ(StopAndWait(SIGTERM), 0);
}

TEST_F(SandboxProcessTest, WebhookFaultsFromFlagsAndTheControlCall) {
  Start({"--webhook_duplicate_percent=30", "--webhook_max_delay_ms=250"});
  TestClient monato = Client("monato");
  TestClient fintoc = Client("fintoc");
  boost::json::value faults = JsonBody(fintoc.Get("/_sandbox/webhook_faults"));
  EXPECT_EQ(JsonAt(faults, "/duplicate_percent").as_int64(), 30);
  EXPECT_EQ(JsonAt(faults, "/max_delay_ms").as_int64(), 250);
  const HttpResponse set = monato.Post("/_sandbox/webhook_faults", R"({"duplicate_percent":100})");
  ASSERT_EQ(set.status, 200) << set.body;
  faults = JsonBody(monato.Get("/_sandbox/webhook_faults"));
  EXPECT_EQ(JsonAt(faults, "/duplicate_percent").as_int64(), 100);
  EXPECT_EQ(JsonAt(faults, "/max_delay_ms").as_int64(), 250);  // unchanged
  EXPECT_EQ(monato.Post("/_sandbox/webhook_faults", R"({"duplicate_percent":101})").status, 400);
  EXPECT_EQ(monato.Post("/_sandbox/webhook_faults", R"({"max_delay_ms":-1})").status, 400);
  EXPECT_EQ(StopAndWait(SIGTERM), 0);
}

TEST_F(SandboxProcessTest, ServesStpWithThePublicKeyFile) {
  Start({absl::StrCat("--stp_public_key_file=", std::getenv("TEST_SRCDIR"), "/",
                      std::getenv("TEST_WORKSPACE"),
                      "/sandbox/stp/testdata/stp_sandbox_TEST_ONLY_public.pem"),
         "--settle_after_ms=-1"});
  ASSERT_GT(ports_["stp"], 0);
  TestClient stp = Client("stp");
  const TestOrder order;
  const HttpResponse created =
      stp.Fetch("PUT", "/speiws/rest/ordenPago/registra", order.Body(), {});
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_GT(JsonAt(JsonBody(created), "/resultado/id").as_int64(), 0) << created.body;
  EXPECT_EQ(JsonAt(JsonBody(stp.Get("/_sandbox/stp/state")), "/orders_created").as_int64(), 1);
  EXPECT_EQ(StopAndWait(SIGTERM), 0);
}

TEST_F(SandboxProcessTest, StpWithoutAPublicKeyRefusesEveryFirma) {
  Start({});
  const HttpResponse refused =
      Client("stp").Fetch("PUT", "/speiws/rest/ordenPago/registra", TestOrder().Body(), {});
  EXPECT_EQ(JsonStrAt(JsonBody(refused), "/resultado/descripcionError"),
            "Error validando la firma");
  EXPECT_EQ(StopAndWait(SIGTERM), 0);
}

TEST_F(SandboxProcessTest, AnUnreadableSecretFileStopsTheStart) {
  std::vector<std::string> argv_strings = {"sandbox/sandbox",
                                           "--monato_api_key_file=/nonexistent/key"};
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  ASSERT_EQ(posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ), 0);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
}

}  // namespace
}  // namespace sandbox
