// The proof that a provider is added by its own folder: the test-only provider "test_only"
// (in-memory adapter, its registration, its webhook route) is linked into this test by one
// BUILD line and runs in the gateway the binary runs (gateway::GatewayProcess), built from a
// YAML configuration: providers, store, engine and core, the gRPC server, the webhook listener
// and credential reload. Exercised with a real gRPC client:
// a payout, its replay, a webhook applied to it, and the provider's metrics label.
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/config/config.h"
#include "gateway/process/gateway_process.h"
#include "gateway/wiring/provider_factory.h"
#include "gtest/gtest.h"
#include "metrics/gateway_metrics.h"
#include "net/http/beast_http_client.h"
#include "net/http/http_client.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "tests/third_provider/test_only_registration.h"

namespace third_provider {
namespace {

std::string TempPath(const std::string& name) {
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
}

// Writes a new file and renames it over `path` (a new inode, as a Secret update).
void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path + ".next") << text << "\n";
  ASSERT_EQ(std::rename((path + ".next").c_str(), path.c_str()), 0);
}

// The sample value of one metric line ("name{labels} value"), or -1 when absent.
double MetricValue(const std::string& line_start) {
  for (absl::string_view line : absl::StrSplit(metrics::Metrics().registry.RenderText(), '\n')) {
    if (!absl::StartsWith(line, line_start)) continue;
    double value = 0;
    const size_t space = line.rfind(' ');
    if (space != absl::string_view::npos && absl::SimpleAtod(line.substr(space + 1), &value)) {
      return value;
    }
  }
  return -1;
}

class ThirdProviderE2eTest : public testing::Test {
 protected:
  void SetUp() override {
    WriteFile(TempPath("api_key"), "key-one");
    WriteFile(TempPath("webhook_token"), "hook-token-0123456789");
    const std::string yaml = absl::StrCat(R"(
server: {listen_address: "127.0.0.1:0"}
store: {url: "sqlite://)",
                                          TempPath("gateway.db"), R"("}
providers:
  test_only:
    enabled: true
    credentials: {api_key: {file: ")",
                                          TempPath("api_key"), R"("}}
webhooks:
  enabled: true
  listen_address: "127.0.0.1:0"
  public_url: "https://payouts.example"
  test_only_tokens: [{file: ")",
                                          TempPath("webhook_token"), R"("}]
)");
    auto config = gateway::ParseConfig(yaml, {});
    ASSERT_TRUE(config.ok()) << config.status();
    auto started = gateway::GatewayProcess::Start(*std::move(config));
    ASSERT_TRUE(started.ok()) << started.status();
    process_ = *std::move(started);
    ASSERT_TRUE(process_->WaitForStartupSteps(absl::Seconds(10)).ok());
    payouts_ = payments::v1::PayoutService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", process_->port()), grpc::InsecureChannelCredentials()));
    net::http::BeastHttpClientOptions client;
    client.allow_plain_http = true;
    http_ = *net::http::BeastHttpClient::Create(client);
  }

  void TearDown() override {
    if (process_ != nullptr) process_->Shutdown();
    if (http_ != nullptr) http_->Shutdown();
  }

  grpc::Status CreatePayout(const std::string& key, payments::v1::Payout* payout) {
    payments::v1::CreatePayoutRequest request;
    request.set_idempotency_key(key);
    request.set_source_account_id("test_only.acct.main");
    request.mutable_amount()->set_amount_minor(12345);
    request.mutable_amount()->set_currency("MXN");
    request.mutable_counterparty()->set_clabe("014180655091438298");
    request.mutable_counterparty()->set_holder_name("Jon Snow");
    request.set_description("Pago de prueba");
    request.set_numeric_reference(1234567);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return payouts_->CreatePayout(&context, request, payout);
  }

  payments::v1::Payout GetPayout(const std::string& id) {
    payments::v1::GetPayoutRequest request;
    request.set_payout_id(id);
    payments::v1::Payout payout;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    const grpc::Status status = payouts_->GetPayout(&context, request, &payout);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return payout;
  }

  // POSTs to the provider's own webhook path; returns the HTTP status (0: no answer).
  int DeliverWebhook(const std::string& token, const std::string& body) {
    net::http::HttpRequest request;
    request.method = "POST";
    request.url =
        absl::StrCat("http://127.0.0.1:", process_->webhook_port(), "/webhooks/test_only");
    request.body = body;
    request.headers = {{"X-Test-Only-Token", token}, {"Content-Type", "application/json"}};
    request.deadline = absl::Now() + absl::Seconds(10);
    auto response = net::http::SendAndWait(*http_, std::move(request));
    return response.ok() ? response->status : 0;
  }

  std::unique_ptr<gateway::GatewayProcess> process_;
  std::unique_ptr<payments::v1::PayoutService::Stub> payouts_;
  std::unique_ptr<net::http::BeastHttpClient> http_;
};

TEST_F(ThirdProviderE2eTest, PayoutReplayWebhookAndMetricsThroughTheGrpcApi) {
  payments::v1::Payout first;
  grpc::Status status = CreatePayout("order-1", &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(absl::StartsWith(first.id(), "test_only.payout.")) << first.id();
  EXPECT_EQ(first.provider(), payments::v1::PROVIDER_TEST_ONLY);
  EXPECT_EQ(first.status(), payments::v1::PAYOUT_STATUS_PENDING);

  // Replay: the same payout, no second transfer.
  payments::v1::Payout replay;
  status = CreatePayout("order-1", &replay);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(replay.id(), first.id());
  EXPECT_EQ(InMemoryProvider::TransfersCreated(), 1);

  // Its webhook, on its own route: a wrong token changes nothing; the right one applies it.
  const std::string event = absl::StrCat(R"({"event_id":"ev-1","transfer_id":")",
                                         first.provider_payout_id(), R"(","status":"settled"})");
  EXPECT_EQ(DeliverWebhook("not-the-token", event), 401);
  EXPECT_EQ(GetPayout(first.id()).status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(DeliverWebhook("hook-token-0123456789", event), 200);
  EXPECT_EQ(GetPayout(first.id()).status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ(DeliverWebhook("hook-token-0123456789", event), 200);  // a redelivery: duplicate
  EXPECT_EQ(process_->webhooks()->counters().applied, 1);
  EXPECT_EQ(process_->webhooks()->counters().duplicates, 1);

  // Its metrics label is its name.
  EXPECT_EQ(
      MetricValue(
          R"(gateway_provider_requests_total{provider="test_only",operation="CreatePayout",outcome="OK"})"),
      1);
  EXPECT_EQ(MetricValue(R"(gateway_webhook_events_total{provider="test_only",result="applied"})"),
            1);
  EXPECT_EQ(
      MetricValue(R"(gateway_webhook_events_total{provider="test_only",result="rejected_auth"})"),
      1);
  EXPECT_EQ(MetricValue(R"(gateway_payouts_total{provider="test_only",status="SUCCEEDED"})"), 1);
}

TEST_F(ThirdProviderE2eTest, StartUpStepsAndRotatingSecretsComeFromTheRegistration) {
  InMemoryProvider* adapter = LastBuiltAdapter();
  ASSERT_NE(adapter, nullptr);
  EXPECT_EQ(adapter->webhook_url(), "https://payouts.example/webhooks/test_only");
  EXPECT_EQ(adapter->api_key(), "key-one");
  WriteFile(TempPath("api_key"), "key-two");
  process_->credential_watcher().CheckNow();
  EXPECT_EQ(adapter->api_key(), "key-two");
}

TEST(ThirdProviderConfigTest, OnlyLinkedProvidersAreAcceptedAndEachChecksItsOwnSection) {
  auto unknown = gateway::ParseConfig("providers: {monato: {enabled: false}}", {});
  ASSERT_FALSE(unknown.ok());
  // This binary links only the test provider.
  EXPECT_EQ(unknown.status().message(), "unknown key \"providers.monato\" (known: test_only)");

  auto config = gateway::ParseConfig("providers: {test_only: {enabled: true}}", {});
  ASSERT_TRUE(config.ok()) << config.status();
  auto built = gateway::BuildProviders(*config);
  ASSERT_FALSE(built.ok());
  EXPECT_EQ(built.status().message(), "providers.test_only.credentials.api_key is not configured");
}

}  // namespace
}  // namespace third_provider
