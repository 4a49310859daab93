// A whole gateway in one test process, built by the object the binary runs
// (gateway::GatewayProcess) from a configuration, against the sandbox provider simulators over
// real HTTPS on loopback (fresh test CA), with a real gRPC client. Only the process boundary
// and the configuration file are missing (tests/e2e/gateway_process_test covers those).
#ifndef TESTS_E2E_GATEWAY_UNDER_TEST_H_
#define TESTS_E2E_GATEWAY_UNDER_TEST_H_

#include <map>
#include <memory>
#include <string>

#include <grpcpp/channel.h>

#include "gateway/core/payout_engine.h"
#include "gateway/process/gateway_process.h"
#include "gateway/webhooks/webhook_service.h"
#include "net/http/beast_http_client.h"
#include "proto/payments/v1/account_service.grpc.pb.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "providers/fintoc/fintoc_provider.h"
#include "providers/monato/monato_provider.h"
#include "sandbox/fintoc/fintoc_simulator.h"
#include "sandbox/http/http_server.h"
#include "sandbox/monato/monato_simulator.h"
#include "sandbox/stp/stp_simulator.h"
#include "sandbox/tls/test_pki.h"

namespace e2e {

struct SandboxOptions {
  absl::Duration monato_settle_after = absl::Seconds(-1);  // negative: only when told
  absl::Duration monato_money_out_processing = absl::ZeroDuration();
  int64_t monato_balance_cents = 1'000'000'000;              // MXN 10,000,000.00
  std::string gateway_api_key = sandbox::kMonatoDemoApiKey;  // what the gateway presents
  absl::Duration fintoc_settle_after = absl::Seconds(-1);
  // false: both simulators ignore Idempotency-Key (a second send is a second transfer), so only
  // the gateway's own claim can keep a key to one send. Their send ledgers (monato().sends(),
  // fintoc().sends()) count every money-moving request either way.
  bool dedup = true;
  // The gateway's reconciliation settings (gateway/config/config.h).
  gateway::ReconciliationSettings reconciliation;
  // Opt-in: the STP simulator (with the throwaway test key pair, sandbox/stp/testdata) and the
  // gateway's providers.stp pointed at it, its notifications at the gateway's listener.
  bool stp = false;
  absl::Duration stp_settle_after = absl::Seconds(-1);
};

class GatewayUnderTest {
 public:
  explicit GatewayUnderTest(SandboxOptions options = {});
  ~GatewayUnderTest();

  payments::v1::PayoutService::Stub& payouts() { return *payouts_; }
  payments::v1::AccountService::Stub& accounts() { return *accounts_; }
  sandbox::MonatoSimulator& monato() { return *monato_; }
  sandbox::HttpServer& monato_server() { return *monato_server_; }
  // The gateway's own Monato adapter (inside the metrics decorator) and provider clients.
  net::http::BeastHttpClient& monato_http() { return GatewayClientOf("monato"); }
  sandbox::FintocSimulator& fintoc() { return *fintoc_; }
  gateway::WebhookService& webhooks() { return *process_->webhooks(); }
  // Where the simulators deliver their webhooks ("monato" or "fintoc").
  std::string WebhookUrl(const std::string& provider) const;
  static constexpr char kMonatoWebhookToken[] = "e2e-monato-webhook-token";
  sandbox::HttpServer& fintoc_server() { return *fintoc_server_; }
  // Only with SandboxOptions::stp.
  sandbox::StpSimulator& stp() { return *stp_; }
  sandbox::HttpServer& stp_server() { return *stp_server_; }
  static constexpr char kStpWebhookToken[] = "e2e-stp-webhook-token";
  // A sandbox control call on the STP port: POST `body` to `path` (GET when `body` is empty).
  std::string StpControl(const std::string& path, const std::string& body = "");
  // The company's ordering account as a gateway id, and a valid payout from it.
  std::string StpSourceAccount() const;
  payments::v1::CreatePayoutRequest StpPayout(
      const std::string& key, int64_t amount_minor,
      const std::string& clabe = "014180655091438298") const;
  net::http::BeastHttpClient& fintoc_http() { return GatewayClientOf("fintoc"); }
  std::string FintocBaseUrl() const;
  // A sandbox control call (no auth) on the Monato or Fintoc port; returns the reply body.
  std::string SandboxControl(bool monato, const std::string& path, const std::string& body);
  // The seeded Fintoc account as a gateway id, and a valid payout from it.
  std::string FintocSourceAccount() const;
  payments::v1::CreatePayoutRequest FintocPayout(
      const std::string& key, int64_t amount_minor,
      const std::string& clabe = "014180655091438298") const;
  gateway::PayoutEngine& engine() { return process_->engine(); }
  gateway::GatewayProcess& process() { return *process_; }

  // The seeded Monato account as a gateway id, ready to pay from.
  std::string MonatoSourceAccount() const;
  // A valid payout request from the Monato account.
  payments::v1::CreatePayoutRequest MonatoPayout(
      const std::string& key, int64_t amount_minor,
      const std::string& clabe = "014180655091438298") const;

 private:
  void StartMonato(const SandboxOptions& options, const sandbox::ServerOptions& server_options);
  void StartFintoc(const SandboxOptions& options, const sandbox::ServerOptions& server_options);
  void StartStp(const SandboxOptions& options, const sandbox::ServerOptions& server_options);
  // The configuration production would read, pointing at the sandboxes and this test's files.
  gateway::GatewayConfig Config(const SandboxOptions& options) const;
  net::http::BeastHttpClient& GatewayClientOf(const std::string& provider);

  std::string dir_;  // this gateway's store and secret files
  std::string ca_file_;
  int webhook_port_ = 0;
  std::string fintoc_jws_key_file_;
  std::unique_ptr<sandbox::MonatoSimulator> monato_;
  std::unique_ptr<sandbox::HttpServer> monato_server_;
  std::unique_ptr<sandbox::FintocSimulator> fintoc_;
  std::unique_ptr<sandbox::HttpServer> fintoc_server_;
  std::unique_ptr<sandbox::StpSimulator> stp_;
  std::unique_ptr<sandbox::HttpServer> stp_server_;
  // The test's own client for the sandboxes' control endpoints (not the gateway's).
  std::unique_ptr<net::http::BeastHttpClient> control_http_;
  std::unique_ptr<gateway::GatewayProcess> process_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<payments::v1::PayoutService::Stub> payouts_;
  std::unique_ptr<payments::v1::AccountService::Stub> accounts_;
};

// Runs `call` with a 10 s deadline and returns its status.
template <typename Stub, typename Request, typename Response>
grpc::Status Call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                  const Request& request, Response* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return (stub.*method)(&context, request, response);
}

// From a simulator's send ledger: N -> how many provider keys of `operation` ("money_out",
// "refund", "transfer", "return") were sent N times.
std::map<int64_t, int> KeysBySends(const sandbox::SendSnapshot& sends,
                                   const std::string& operation);

// Every `operation` request the simulator received, keyed or not (summed over bodies).
int64_t SendsOf(const sandbox::SendSnapshot& sends, const std::string& operation);

// CreatePayout that must succeed (a test failure otherwise), and GetPayout likewise.
payments::v1::Payout MustCreate(GatewayUnderTest& gateway,
                                const payments::v1::CreatePayoutRequest& request);
payments::v1::Payout Get(GatewayUnderTest& gateway, const std::string& payout_id);

}  // namespace e2e

#endif  // TESTS_E2E_GATEWAY_UNDER_TEST_H_
