// A FintocSimulator behind a real HTTPS server on loopback with a fresh test PKI, the
// providers.md §6.3 test key as its JWS key, a manual clock (signatures use its time) and a
// webhook recorder. Settlement is manual unless a test configures a delay.
#ifndef SANDBOX_FINTOC_FINTOC_TEST_FIXTURE_H_
#define SANDBOX_FINTOC_FINTOC_TEST_FIXTURE_H_

#include <memory>
#include <string>

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "sandbox/common/clock.h"
#include "sandbox/common/crypto.h"
#include "sandbox/fintoc/fintoc_config.h"
#include "sandbox/fintoc/fintoc_simulator.h"
#include "sandbox/http/http_server.h"
#include "sandbox/testing/jws_signer.h"
#include "sandbox/testing/test_client.h"
#include "sandbox/testing/test_keys.h"
#include "sandbox/testing/webhook_recorder.h"
#include "sandbox/tls/test_pki.h"

namespace sandbox {

class FintocSandboxTest : public ::testing::Test {
 protected:
  void SetUp() override { StartSandbox(DefaultConfig()); }
  void TearDown() override { StopSandbox(); }

  FintocConfig DefaultConfig() {
    FintocConfig config;
    config.jws_public_key_pem = kJwsTestPublicKeyPem;
    config.webhook_url = receiver_.url("/fintoc");
    config.webhook_secret = "whsec_test_fixture";
    config.settle_after = absl::Milliseconds(-1);
    config.webhooks.first_backoff = absl::Milliseconds(20);
    return config;
  }

  void StartSandbox(FintocConfig config) {
    StopSandbox();
    config_ = config;
    absl::StatusOr<TestPki> pki = MakeTestPki("fintoc test CA", {"localhost"}, {"127.0.0.1"});
    ASSERT_TRUE(pki.ok()) << pki.status();
    auto simulator = FintocSimulator::Create(config, &clock_);
    ASSERT_TRUE(simulator.ok()) << simulator.status();
    simulator_ = *std::move(simulator);
    ServerOptions options;
    options.cert_pem = pki->server_cert_pem;
    options.key_pem = pki->server_key_pem;
    options.threads = 2;
    FintocSimulator* raw = simulator_.get();
    auto server =
        HttpServer::Start(options, [raw](const ServerRequest& request, const Responder& responder) {
          raw->Handle(request, responder);
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    client_ = std::make_unique<TestClient>(absl::StrCat("https://127.0.0.1:", server_->port()),
                                           pki->ca_cert_pem);
  }

  // Server first (no more handler calls), then the simulator, then the server's io_context.
  void StopSandbox() {
    if (server_) server_->Stop();
    simulator_.reset();
    server_.reset();
  }

  TestClient& client() { return *client_; }
  HeaderList Auth() const { return {{"Authorization", config_.secret_key}}; }

  // A fresh Fintoc-JWS-Signature for `body`: new nonce, ts = the sandbox clock's now.
  std::string Sign(const std::string& body) {
    absl::StatusOr<std::string> header =
        SignDetachedJws(kJwsTestPrivateKeyPem,
                        JwsProtectedHeader(RandomHex(16), absl::ToUnixSeconds(clock_.Now())), body);
    EXPECT_TRUE(header.ok()) << header.status();
    return header.value_or("");
  }

  HttpResponse PostSigned(const std::string& path, const std::string& body,
                          const std::string& idempotency_key = "") {
    HeaderList headers = Auth();
    headers.emplace_back("Fintoc-JWS-Signature", Sign(body));
    if (!idempotency_key.empty()) headers.emplace_back("Idempotency-Key", idempotency_key);
    return client().Post(path, body, headers);
  }

  std::string TransferBody(int64_t amount, const std::string& clabe = "014180655091438298",
                           const std::string& extra = "") const {
    return absl::StrCat(R"({"amount":)", amount, R"(,"currency":"MXN","account_id":")",
                        config_.account_id, R"(","counterparty":{"account_number":")", clabe,
                        R"("})", extra, "}");
  }

  HttpResponse CreateTransfer(int64_t amount, const std::string& clabe = "014180655091438298") {
    return PostSigned("/v2/transfers", TransferBody(amount, clabe));
  }

  boost::json::value State() { return JsonBody(client().Get("/_sandbox/fintoc/state")); }
  int64_t StateCount(const char* pointer) { return JsonAt(State(), pointer).as_int64(); }

  static std::string ErrorCode(const HttpResponse& response) {
    return JsonStrAt(JsonBody(response), "/error/code");
  }

  // Declared first: the simulator posts to it until it is destroyed.
  WebhookRecorder receiver_;
  ManualClock clock_{absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()))};
  FintocConfig config_;
  std::unique_ptr<FintocSimulator> simulator_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<TestClient> client_;
};

}  // namespace sandbox

#endif  // SANDBOX_FINTOC_FINTOC_TEST_FIXTURE_H_
