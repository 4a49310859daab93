// A MonatoSimulator behind a real HTTPS server on loopback, with a fresh test PKI, a manual
// clock and a client that trusts only that PKI's CA. Settlement is manual unless a test
// configures a delay.
#ifndef SANDBOX_MONATO_MONATO_TEST_FIXTURE_H_
#define SANDBOX_MONATO_MONATO_TEST_FIXTURE_H_

#include <memory>
#include <string>

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "sandbox/common/clock.h"
#include "sandbox/http/http_server.h"
#include "sandbox/monato/monato_banks.h"
#include "sandbox/monato/monato_config.h"
#include "sandbox/monato/monato_simulator.h"
#include "sandbox/testing/test_client.h"
#include "sandbox/tls/test_pki.h"

namespace sandbox {

class MonatoSandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MonatoConfig config;
    config.settle_after = absl::Milliseconds(-1);
    StartSandbox(config);
  }

  void TearDown() override { StopSandbox(); }

  void StartSandbox(MonatoConfig config) {
    StopSandbox();
    config.webhooks.first_backoff = absl::Milliseconds(20);
    config_ = config;
    absl::StatusOr<TestPki> pki = MakeTestPki("monato test CA", {"localhost"}, {"127.0.0.1"});
    ASSERT_TRUE(pki.ok()) << pki.status();
    simulator_ = std::make_unique<MonatoSimulator>(config, &clock_);
    ServerOptions options;
    options.cert_pem = pki->server_cert_pem;
    options.key_pem = pki->server_key_pem;
    options.threads = 2;
    MonatoSimulator* simulator = simulator_.get();
    auto server = HttpServer::Start(
        options, [simulator](const ServerRequest& request, const Responder& responder) {
          simulator->Handle(request, responder);
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

  const MonatoSeed& seed() const { return simulator_->seed(); }
  TestClient& client() { return *client_; }

  HeaderList ApiKey() const { return {{"x-api-key", config_.api_key}}; }

  HttpResponse RequestToken() {
    return client().Post(absl::StrCat("/v1/clients/", config_.client_id, "/auth/credential-tokens"),
                         absl::StrCat(R"({"client_id":")", config_.client_id,
                                      R"(","client_secret":")", config_.client_secret, R"("})"),
                         ApiKey());
  }

  // x-api-key and a bearer token (issued once per test, or again after it was reset).
  HeaderList Auth() {
    if (token_.empty()) {
      const HttpResponse response = RequestToken();
      EXPECT_EQ(response.status, 200) << response.body;
      token_ = JsonStr(JsonBody(response), "token");
    }
    return {{"x-api-key", config_.api_key}, {"Authorization", absl::StrCat("Bearer ", token_)}};
  }
  void ForgetToken() { token_.clear(); }

  std::string ClientPath(const std::string& rest) const {
    return absl::StrCat("/v1/clients/", config_.client_id, rest);
  }

  // Registers a CLABE destination and returns its instrument id.
  std::string CreateClabeInstrument(const std::string& clabe, const std::string& bank_code) {
    const std::string body =
        absl::StrCat(R"({"type":"SENDER","rfc":"XAXX010101000","alias":"Proveedor","client_id":")",
                     config_.client_id, R"(","virtual_clabe":{"destination_bank_id":")",
                     MonatoBankId(bank_code), R"(","account_number":")", clabe.substr(6),
                     R"(","clabe_number":")", clabe, R"(","holder_name":"Pedro Navajas Dos"}})");
    const HttpResponse response = client().Post(ClientPath("/instruments"), body, Auth());
    EXPECT_EQ(response.status, 201) << response.body;
    return JsonStr(JsonBody(response), "id");
  }

  std::string MoneyOutBody(const std::string& destination_instrument_id, const std::string& amount,
                           const std::string& source = "") const {
    return absl::StrCat(R"({"client_id":")", config_.client_id, R"(","source_instrument_id":")",
                        source.empty() ? seed().main_instrument_id : source,
                        R"(","destination_instrument_id":")", destination_instrument_id,
                        R"(","transaction_request":{"external_reference":"1234567",)",
                        R"("description":"lorem ipsum dolor sit amet","amount":")", amount,
                        R"(","currency":"MXN"}})");
  }

  HttpResponse MoneyOut(const std::string& body, const std::string& idempotency_key = "") {
    HeaderList headers = Auth();
    if (!idempotency_key.empty()) headers.emplace_back("Idempotency-Key", idempotency_key);
    return client().Post("/v1/transactions/money_out", body, headers);
  }

  boost::json::value State() { return JsonBody(client().Get("/_sandbox/monato/state")); }

  // The Monato error class of an error reply (details[0].reason) and its error_code.
  static std::string ErrorReason(const HttpResponse& response) {
    return JsonStrAt(JsonBody(response), "/details/0/reason");
  }
  static std::string ErrorCode(const HttpResponse& response) {
    return JsonStrAt(JsonBody(response), "/details/0/metadata/error_code");
  }

  ManualClock clock_{absl::Now()};
  MonatoConfig config_;
  std::unique_ptr<MonatoSimulator> simulator_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<TestClient> client_;
  std::string token_;
};

}  // namespace sandbox

#endif  // SANDBOX_MONATO_MONATO_TEST_FIXTURE_H_
