#include "tests/e2e/gateway_under_test.h"

#include <atomic>
#include <cstdlib>
#include <fstream>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gateway/validation/bank_catalog.h"
#include "sandbox/tls/test_pki.h"

namespace e2e {

GatewayUnderTest::GatewayUnderTest(SandboxOptions options) {
  auto pki = sandbox::MakeTestPki("e2e sandbox CA", {"localhost"}, {"127.0.0.1"});
  EXPECT_TRUE(pki.ok()) << pki.status();
  ca_file_ = absl::StrCat(std::getenv("TEST_TMPDIR"), "/sandbox-ca.pem");
  std::ofstream(ca_file_) << pki->ca_cert_pem;

  static std::atomic<int> instances{0};
  auto store = idempotency::SqliteStore::Open(
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/gateway-", ++instances, "/gateway.db"));
  EXPECT_TRUE(store.ok()) << store.status();
  store_ = *std::move(store);
  executor_ = std::make_unique<idempotency::StoreExecutor>(store_.get(), 1);
  ledger_ = std::make_unique<gateway::PayoutLedger>(executor_.get(), &registry_, &banks_, &events_,
                                                    gateway::LedgerOptions{"e2e-instance"});
  tailer_ = std::make_unique<gateway::PayoutEventTailer>(executor_.get(), &events_,
                                                         absl::Milliseconds(20));
  tailer_->Start();
  gateway::WebhookOptions webhook_options;
  webhook_options.port = 0;
  webhook_options.fintoc_secrets = {sandbox::kFintocDemoWebhookSecret};
  webhook_options.monato_tokens = {kMonatoWebhookToken};
  auto webhooks = gateway::WebhookService::Start(webhook_options, ledger_.get(), executor_.get());
  EXPECT_TRUE(webhooks.ok()) << webhooks.status();
  webhooks_ = *std::move(webhooks);

  sandbox::MonatoConfig monato_config;
  monato_config.settle_after = options.monato_settle_after;
  monato_config.money_out_processing = options.monato_money_out_processing;
  monato_config.main_account_balance_cents = options.monato_balance_cents;
  monato_config.dedup = options.dedup;
  monato_ = std::make_unique<sandbox::MonatoSimulator>(monato_config);
  sandbox::ServerOptions server_options;
  server_options.cert_pem = pki->server_cert_pem;
  server_options.key_pem = pki->server_key_pem;
  server_options.threads = 2;
  auto server = sandbox::HttpServer::Start(
      server_options,
      [sim = monato_.get()](const sandbox::ServerRequest& request, sandbox::Responder responder) {
        sim->Handle(request, std::move(responder));
      });
  EXPECT_TRUE(server.ok()) << server.status();
  monato_server_ = *std::move(server);

  net::http::BeastHttpClientOptions http_options;
  http_options.ca_file = ca_file_;
  http_options.max_connections_per_origin = 8;
  http_options.retry.initial_backoff = absl::Milliseconds(20);
  monato_http_ = *net::http::BeastHttpClient::Create(http_options);
  providers::monato::MonatoOptions monato_options;
  monato_options.base_url = absl::StrCat("https://127.0.0.1:", monato_server_->port());
  monato_options.client_id = sandbox::kMonatoDefaultClientId;
  monato_options.api_key = options.gateway_api_key;
  monato_options.client_secret = sandbox::kMonatoDemoClientSecret;
  auto adapter =
      std::make_unique<providers::monato::MonatoProvider>(monato_http_.get(), monato_options);
  monato_adapter_ = adapter.get();
  registry_.Add(std::move(adapter));
  absl::Notification registered;
  monato_adapter_->RegisterWebhooks(WebhookUrl("monato"), kMonatoWebhookToken,
                                    absl::Now() + absl::Seconds(10), [&](absl::Status status) {
                                      // Tests of refused credentials cannot register.
                                      if (options.gateway_api_key == sandbox::kMonatoDemoApiKey) {
                                        EXPECT_TRUE(status.ok()) << status;
                                      }
                                      registered.Notify();
                                    });
  registered.WaitForNotification();

  StartFintoc(options, *pki, server_options);
  core_ = std::make_unique<gateway::GatewayCore>(&registry_, &banks_, &events_, ledger_.get());
  auto gateway = gateway::GatewayServer::Start("127.0.0.1:0", core_.get());
  EXPECT_TRUE(gateway.ok()) << gateway.status();
  server_ = *std::move(gateway);
  channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                 grpc::InsecureChannelCredentials());
  payouts_ = payments::v1::PayoutService::NewStub(channel_);
  accounts_ = payments::v1::AccountService::NewStub(channel_);
}

std::string GatewayUnderTest::WebhookUrl(const std::string& provider) const {
  return absl::StrCat("http://127.0.0.1:", webhooks_->port(), "/webhooks/", provider);
}

// The gateway's own shutdown order (gateway/main.cc), with the sandboxes stopped in between:
// inbound work first, then the sandboxes (whose webhooks now meet a closed port), then the
// provider clients (no reply arrives after this), then the store executor drains while every
// object its queued callbacks use still exists.
GatewayUnderTest::~GatewayUnderTest() {
  server_->Shutdown(absl::ZeroDuration(), absl::Seconds(5));
  webhooks_->Stop();
  tailer_->Stop();
  monato_server_->Stop();
  fintoc_server_->Stop();
  monato_->Shutdown();
  fintoc_->Shutdown();
  monato_http_->Shutdown();
  fintoc_http_->Shutdown();
  executor_->Shutdown();
}

void GatewayUnderTest::StartFintoc(const SandboxOptions& options, const sandbox::TestPki& pki,
                                   const sandbox::ServerOptions& server_options) {
  // A fresh JWS key pair: the gateway signs with the private half, Fintoc checks the public.
  EVP_PKEY* key = EVP_RSA_gen(2048);
  ASSERT_NE(key, nullptr);
  const std::string key_path = absl::StrCat(std::getenv("TEST_TMPDIR"), "/fintoc-jws-",
                                            reinterpret_cast<uintptr_t>(this), ".pem");
  FILE* private_file = std::fopen(key_path.c_str(), "w");
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

  net::http::BeastHttpClientOptions http_options;
  http_options.ca_file = ca_file_;
  http_options.retry.initial_backoff = absl::Milliseconds(20);
  fintoc_http_ = *net::http::BeastHttpClient::Create(http_options);
  providers::fintoc::FintocOptions fintoc_options;
  fintoc_options.base_url = FintocBaseUrl();
  fintoc_options.secret_key = sandbox::kFintocDemoSecretKey;
  fintoc_options.mode = "test";
  fintoc_options.jws_private_key_path = key_path;
  auto adapter = providers::fintoc::FintocProvider::Create(fintoc_http_.get(), fintoc_options);
  ASSERT_TRUE(adapter.ok()) << adapter.status();
  registry_.Add(*std::move(adapter));
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
  auto response =
      net::http::SendAndWait(*(monato ? monato_http_ : fintoc_http_), std::move(request));
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
