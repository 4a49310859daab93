#include "tests/e2e/gateway_under_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "absl/strings/str_cat.h"
#include "sandbox/tls/test_pki.h"

namespace e2e {
namespace {

// A loopback port free right now, for the webhook listener: the Fintoc sandbox and Monato's
// registration need its URL before the gateway starts (scripts/run.sh picks it the same way).
// Picked BELOW the kernel's ephemeral range: a port from bind(0) lies inside it, so any
// outgoing connection (the many this test process makes) could take it between this pick and
// the gateway's listen, which failed a run with "Address already in use".
int FreeLoopbackPort() {
  int ephemeral_low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low;
  // Not seeded from the pid: Bazel's sandbox gives every test process the same one.
  std::random_device random;
  for (int attempt = 0; attempt < 200; ++attempt) {
    const int span = std::max(1, ephemeral_low - 20000);
    const int port = 20000 + static_cast<int>(random() % span);
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    const bool free = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    close(fd);
    if (free) return port;
  }
  return 0;
}

// A secret file as production mounts them; returns its path.
std::string WriteSecret(const std::string& dir, const std::string& name, const std::string& value) {
  const std::string path = absl::StrCat(dir, "/", name);
  std::ofstream(path) << value << "\n";
  return path;
}

// A file of the STP simulator's throwaway key pair (//sandbox/stp:test_keys, in runfiles).
std::string TestDataPath(const std::string& name) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(srcdir ? srcdir : ".", "/", workspace ? workspace : "",
                      "/sandbox/stp/testdata/", name);
}

}  // namespace

GatewayUnderTest::GatewayUnderTest(SandboxOptions options) {
  static std::atomic<int> instances{0};
  dir_ = absl::StrCat(std::getenv("TEST_TMPDIR"), "/gateway-", ++instances);
  std::filesystem::create_directories(dir_);
  auto pki = sandbox::MakeTestPki("e2e sandbox CA", {"localhost"}, {"127.0.0.1"});
  EXPECT_TRUE(pki.ok()) << pki.status();
  ca_file_ = absl::StrCat(dir_, "/sandbox-ca.pem");
  std::ofstream(ca_file_) << pki->ca_cert_pem;
  webhook_port_ = FreeLoopbackPort();
  EXPECT_GT(webhook_port_, 0);

  sandbox::ServerOptions server_options;
  server_options.cert_pem = pki->server_cert_pem;
  server_options.key_pem = pki->server_key_pem;
  server_options.threads = 2;
  StartMonato(options, server_options);
  StartFintoc(options, server_options);
  if (options.stp) StartStp(options, server_options);
  net::http::BeastHttpClientOptions control_options;
  control_options.ca_file = ca_file_;
  control_http_ = *net::http::BeastHttpClient::Create(control_options);

  auto process = gateway::GatewayProcess::Start(Config(options));
  if (!process.ok()) {
    // Nothing below can run without a gateway: stop here with the reason.
    std::fprintf(stderr, "GatewayProcess::Start failed: %s\n", process.status().ToString().c_str());
    std::abort();
  }
  process_ = *std::move(process);
  // Monato's webhook registration, which production does not wait for: the sandbox must know
  // where to deliver before a test pays. Tests of refused credentials cannot register.
  const absl::Status registered = process_->WaitForStartupSteps(absl::Seconds(30));
  if (options.gateway_api_key == sandbox::kMonatoDemoApiKey) {
    EXPECT_TRUE(registered.ok()) << registered;
  }
  channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", process_->port()),
                                 grpc::InsecureChannelCredentials());
  payouts_ = payments::v1::PayoutService::NewStub(channel_);
  accounts_ = payments::v1::AccountService::NewStub(channel_);
}

gateway::GatewayConfig GatewayUnderTest::Config(const SandboxOptions& options) const {
  gateway::GatewayConfig config;
  config.listen_address = "127.0.0.1:0";
  config.admin_listen_address = "127.0.0.1:0";
  config.shutdown_grace = absl::Seconds(5);
  config.store_url = absl::StrCat("sqlite://", dir_, "/gateway.db");
  // The tests drive the resolver themselves (engine().ResolveOnce); a timed pass would race
  // them. The resolver thread still runs, as in production.
  config.resolve_interval = absl::Hours(1);

  gateway::ProviderSettings& monato = config.providers["monato"];
  monato.enabled = true;
  monato.base_url = absl::StrCat("https://127.0.0.1:", monato_server_->port());
  monato.ca_file = ca_file_;
  monato.options["client_id"] = sandbox::kMonatoDefaultClientId;
  monato.credentials["api_key"].file = WriteSecret(dir_, "monato_api_key", options.gateway_api_key);
  monato.credentials["client_secret"].file =
      WriteSecret(dir_, "monato_client_secret", sandbox::kMonatoDemoClientSecret);

  gateway::ProviderSettings& fintoc = config.providers["fintoc"];
  fintoc.enabled = true;
  fintoc.base_url = FintocBaseUrl();
  fintoc.ca_file = ca_file_;
  fintoc.options["mode"] = "test";
  fintoc.credentials["secret_key"].file =
      WriteSecret(dir_, "fintoc_secret_key", sandbox::kFintocDemoSecretKey);
  fintoc.credentials["jws_private_key"].file = fintoc_jws_key_file_;

  gateway::WebhookSettings& webhooks = config.webhooks;
  webhooks.enabled = true;
  webhooks.listen_address = absl::StrCat("127.0.0.1:", webhook_port_);
  webhooks.public_url = absl::StrCat("http://127.0.0.1:", webhook_port_);
  webhooks.provider_secrets["fintoc"] = {
      {WriteSecret(dir_, "fintoc_webhook_secret", sandbox::kFintocDemoWebhookSecret), ""}};
  webhooks.provider_secrets["monato"] = {
      {WriteSecret(dir_, "monato_webhook_token", kMonatoWebhookToken), ""}};
  if (options.stp) {
    gateway::ProviderSettings& stp = config.providers["stp"];
    stp.enabled = true;
    stp.base_url = absl::StrCat("https://127.0.0.1:", stp_server_->port(), "/speiws/rest");
    stp.ca_file = ca_file_;
    stp.options["empresa"] = sandbox::kStpDefaultEmpresa;
    stp.options["cuenta_ordenante"] = sandbox::kStpDefaultCuentaOrdenante;
    stp.credentials["private_key"].file = TestDataPath("stp_sandbox_TEST_ONLY_private.pem");
    webhooks.provider_secrets["stp"] = {
        {WriteSecret(dir_, "stp_webhook_token", kStpWebhookToken), ""}};
  }
  config.reconciliation = options.reconciliation;
  return config;
}

net::http::BeastHttpClient& GatewayUnderTest::GatewayClientOf(const std::string& provider) {
  gateway::BuiltProviders& built = process_->providers();
  for (const gateway::BuiltProviders::PoolOf& pool : built.pools) {
    if (pool.provider != provider) continue;
    for (auto& client : built.http_clients) {
      if (client.get() == pool.client) return *client;
    }
  }
  std::fprintf(stderr, "no HTTPS client for provider %s\n", provider.c_str());
  std::abort();
}

std::string GatewayUnderTest::WebhookUrl(const std::string& provider) const {
  return absl::StrCat("http://127.0.0.1:", webhook_port_, "/webhooks/", provider);
}

// The gateway's own shutdown first (inbound work, then its provider clients, then its store),
// then the sandboxes (whose webhooks now meet a closed port).
GatewayUnderTest::~GatewayUnderTest() {
  process_->Shutdown();
  monato_server_->Stop();
  fintoc_server_->Stop();
  if (stp_server_) stp_server_->Stop();
  monato_->Shutdown();
  fintoc_->Shutdown();
  if (stp_) stp_->Shutdown();
  control_http_->Shutdown();
}

void GatewayUnderTest::StartMonato(const SandboxOptions& options,
                                   const sandbox::ServerOptions& server_options) {
  sandbox::MonatoConfig monato_config;
  monato_config.settle_after = options.monato_settle_after;
  monato_config.money_out_processing = options.monato_money_out_processing;
  monato_config.main_account_balance_cents = options.monato_balance_cents;
  monato_config.dedup = options.dedup;
  monato_ = std::make_unique<sandbox::MonatoSimulator>(monato_config);
  auto server = sandbox::HttpServer::Start(
      server_options,
      [sim = monato_.get()](const sandbox::ServerRequest& request, sandbox::Responder responder) {
        sim->Handle(request, std::move(responder));
      });
  ASSERT_TRUE(server.ok()) << server.status();
  monato_server_ = *std::move(server);
}

void GatewayUnderTest::StartFintoc(const SandboxOptions& options,
                                   const sandbox::ServerOptions& server_options) {
  // A fresh JWS key pair: the gateway signs with the private half, Fintoc checks the public.
  EVP_PKEY* key = EVP_RSA_gen(2048);
  ASSERT_NE(key, nullptr);
  fintoc_jws_key_file_ = absl::StrCat(dir_, "/fintoc_jws_private_key.pem");
  FILE* private_file = std::fopen(fintoc_jws_key_file_.c_str(), "w");
  ASSERT_NE(private_file, nullptr);
  PEM_write_PrivateKey(private_file, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(private_file);
  BIO* public_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(public_bio, key);
  char* data = nullptr;
  const long size = BIO_get_mem_data(public_bio, &data);
  sandbox::FintocConfig config;
  config.jws_public_key_pem.assign(data, static_cast<size_t>(size));
  config.settle_after = options.fintoc_settle_after;
  config.dedup = options.dedup;
  config.webhook_url = WebhookUrl("fintoc");
  BIO_free(public_bio);
  EVP_PKEY_free(key);

  auto simulator = sandbox::FintocSimulator::Create(config);
  ASSERT_TRUE(simulator.ok()) << simulator.status();
  fintoc_ = *std::move(simulator);
  auto server = sandbox::HttpServer::Start(
      server_options,
      [sim = fintoc_.get()](const sandbox::ServerRequest& request, sandbox::Responder responder) {
        sim->Handle(request, std::move(responder));
      });
  ASSERT_TRUE(server.ok()) << server.status();
  fintoc_server_ = *std::move(server);
}

void GatewayUnderTest::StartStp(const SandboxOptions& options,
                                const sandbox::ServerOptions& server_options) {
  sandbox::StpConfig config;
  std::ifstream key(TestDataPath("stp_sandbox_TEST_ONLY_public.pem"));
  config.public_key_pem.assign(std::istreambuf_iterator<char>(key), {});
  ASSERT_FALSE(config.public_key_pem.empty());
  config.settle_after = options.stp_settle_after;
  config.dedup = options.dedup;
  const std::string token = absl::StrCat("?token=", kStpWebhookToken);
  config.state_webhook_url = WebhookUrl("stp") + token;
  config.deposit_webhook_url = WebhookUrl("stp") + token;
  auto simulator = sandbox::StpSimulator::Create(config);
  ASSERT_TRUE(simulator.ok()) << simulator.status();
  stp_ = *std::move(simulator);
  auto server = sandbox::HttpServer::Start(
      server_options,
      [sim = stp_.get()](const sandbox::ServerRequest& request, sandbox::Responder responder) {
        sim->Handle(request, std::move(responder));
      });
  ASSERT_TRUE(server.ok()) << server.status();
  stp_server_ = *std::move(server);
}

std::string GatewayUnderTest::StpControl(const std::string& path, const std::string& body) {
  net::http::HttpRequest request;
  request.method = body.empty() ? "GET" : "POST";
  request.url = absl::StrCat("https://127.0.0.1:", stp_server_->port(), path);
  request.body = body;
  request.headers = {{"Content-Type", "application/json"}};
  request.deadline = absl::Now() + absl::Seconds(10);
  auto response = net::http::SendAndWait(*control_http_, std::move(request));
  return response.ok() ? response->body : "";
}

std::string GatewayUnderTest::StpSourceAccount() const {
  return absl::StrCat("stp.acct.", sandbox::kStpDefaultCuentaOrdenante);
}

payments::v1::CreatePayoutRequest GatewayUnderTest::StpPayout(const std::string& key,
                                                              int64_t amount_minor,
                                                              const std::string& clabe) const {
  payments::v1::CreatePayoutRequest request = MonatoPayout(key, amount_minor, clabe);
  request.set_source_account_id(StpSourceAccount());
  return request;
}

std::string GatewayUnderTest::FintocBaseUrl() const {
  return absl::StrCat("https://127.0.0.1:", fintoc_server_->port());
}

std::string GatewayUnderTest::SandboxControl(bool monato, const std::string& path,
                                             const std::string& body) {
  net::http::HttpRequest request;
  request.method = "POST";
  request.url =
      absl::StrCat("https://127.0.0.1:", (monato ? monato_server_ : fintoc_server_)->port(), path);
  request.body = body;
  request.headers = {{"Content-Type", "application/json"}};
  request.deadline = absl::Now() + absl::Seconds(10);
  auto response = net::http::SendAndWait(*control_http_, std::move(request));
  return response.ok() ? response->body : "";
}

std::string GatewayUnderTest::FintocSourceAccount() const {
  return absl::StrCat("fintoc.acct.", sandbox::FintocConfig().account_id);
}

payments::v1::CreatePayoutRequest GatewayUnderTest::FintocPayout(const std::string& key,
                                                                 int64_t amount_minor,
                                                                 const std::string& clabe) const {
  payments::v1::CreatePayoutRequest request = MonatoPayout(key, amount_minor, clabe);
  request.set_source_account_id(FintocSourceAccount());
  return request;
}

std::string GatewayUnderTest::MonatoSourceAccount() const {
  return absl::StrCat("monato.acct.", monato_->seed().main_account_id);
}

payments::v1::CreatePayoutRequest GatewayUnderTest::MonatoPayout(const std::string& key,
                                                                 int64_t amount_minor,
                                                                 const std::string& clabe) const {
  payments::v1::CreatePayoutRequest request;
  request.set_idempotency_key(key);
  request.set_source_account_id(MonatoSourceAccount());
  request.mutable_amount()->set_amount_minor(amount_minor);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe(clabe);
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.set_description("Pago de prueba");
  request.set_numeric_reference(1234567);
  return request;
}

std::map<int64_t, int> KeysBySends(const sandbox::SendSnapshot& sends,
                                   const std::string& operation) {
  std::map<int64_t, int> keys_by_sends;
  for (const auto& [key, count] : sends.by_key) {
    if (key.first == operation) ++keys_by_sends[count.sends];
  }
  return keys_by_sends;
}

int64_t SendsOf(const sandbox::SendSnapshot& sends, const std::string& operation) {
  int64_t total = 0;
  for (const auto& [body, count] : sends.by_body) {
    if (body.first == operation) total += count.sends;
  }
  return total;
}

payments::v1::Payout MustCreate(GatewayUnderTest& gateway,
                                const payments::v1::CreatePayoutRequest& request) {
  payments::v1::Payout payout;
  grpc::Status status =
      Call(gateway.payouts(), &payments::v1::PayoutService::Stub::CreatePayout, request, &payout);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return payout;
}

payments::v1::Payout Get(GatewayUnderTest& gateway, const std::string& payout_id) {
  payments::v1::GetPayoutRequest request;
  request.set_payout_id(payout_id);
  payments::v1::Payout payout;
  grpc::Status status =
      Call(gateway.payouts(), &payments::v1::PayoutService::Stub::GetPayout, request, &payout);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return payout;
}

}  // namespace e2e
