// The real sandbox and gateway binaries as child processes, for tests that crash, stop and
// restart them: the sandbox with its CA and control endpoints, a gateway on a given store
// pointed at the sandbox's Monato and Fintoc, payout requests for either, and a retry loop that
// treats ABORTED and UNAVAILABLE as "ask again with the same key".
#ifndef TESTS_E2E_PROCESS_FIXTURES_H_
#define TESTS_E2E_PROCESS_FIXTURES_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/channel.h>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "net/http/beast_http_client.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "tests/e2e/child_process.h"

namespace e2e {

using payments::v1::PROVIDER_FINTOC;
using payments::v1::PROVIDER_MONATO;
using payments::v1::PROVIDER_STP;

struct SandboxProcessOptions {
  // Both providers ignore Idempotency-Key (sandbox --no_dedup): a second send of a key is a
  // second transfer, and a concurrent one is processed instead of refused as in progress.
  bool no_dedup = false;
  std::vector<std::string> extra_args;  // more sandbox flags
  // Opt-in STP: its simulator checks every firma against a fresh key pair whose private half
  // the Gateway below signs with, and POSTs its notifications to `stp_webhook_port` (the
  // gateway's listener, GatewayProcessOptions::webhook_port; 0: notifications only counted).
  bool stp = false;
  int stp_webhook_port = 0;
};

inline constexpr char kStpProcessWebhookToken[] = "e2e-process-stp-webhook-token";

// One provider's send ledger (GET /_sandbox/sends): every money-moving request that reached it.
struct SendTally {
  int64_t sends = -1;    // all of them (-1: unread)
  int64_t created = -1;  // fresh 2xx: money moved
  int64_t replays = -1;  // answered from the provider's key store
  int64_t refused = -1;  // any other answer (validation, 409 in progress or mismatch, ...)
  int64_t max_created_per_key = -1;
  int64_t max_created_per_body = -1;
  std::map<int64_t, int> keys_by_sends;  // N -> how many provider keys were sent N times
};

// A transfer as the provider recorded it (GET /_sandbox/transfers).
struct ProviderTransfer {
  int64_t amount = 0;  // centavos
  std::string counterparty_clabe;
};

class Sandbox {
 public:
  explicit Sandbox(const SandboxProcessOptions& options = {});

  const std::string& ca_path() const { return ca_path_; }
  // The private half of the JWS key the sandbox's Fintoc checks (for the gateway's config).
  const std::string& jws_private_key_path() const { return jws_private_key_path_; }
  std::string MonatoUrl() const;
  std::string FintocUrl() const;
  bool stp() const { return stp_port_ > 0; }
  std::string StpUrl() const;  // the origin; the adapter's base_url adds /speiws/rest
  const std::string& stp_private_key_path() const { return stp_private_key_path_; }
  // A control call (/_sandbox/...) on that provider's port; returns the reply body.
  std::string Control(const std::string& method, const std::string& path,
                      const std::string& body = "",
                      payments::v1::Provider provider = PROVIDER_MONATO);
  // Sets (or, with "{}", clears) the fault plan of that provider's port.
  void Faults(payments::v1::Provider provider, const std::string& plan_json);
  // Money-outs Monato accepted so far (-1 if the state cannot be read).
  int64_t MoneyOutsCreated();
  // Transfers that provider made (Monato money-outs, Fintoc outbound transfers); -1 unread.
  int64_t TransfersCreated(payments::v1::Provider provider);
  // Money-moving requests that reached that provider (-1 unread), and their engine.
  int64_t Sends(payments::v1::Provider provider);
  SendTally Tally(payments::v1::Provider provider);
  // Every payout transfer that provider made (Monato money-outs, Fintoc outbound transfers),
  // by its native id.
  std::map<std::string, ProviderTransfer> Transfers(payments::v1::Provider provider);
  std::string MainAccount();
  // The gateway id of the account to pay from at that provider.
  std::string SourceAccount(payments::v1::Provider provider);

 private:
  int64_t StateField(payments::v1::Provider provider, const std::string& field);

  std::string ca_path_;
  std::string jws_private_key_path_;
  std::string stp_private_key_path_;
  std::unique_ptr<ChildProcess> process_;
  int monato_port_ = 0;
  int fintoc_port_ = 0;
  int stp_port_ = 0;
  std::unique_ptr<net::http::BeastHttpClient> client_;
};

struct GatewayProcessOptions {
  int port = 0;  // 0: a free port (see Gateway::port())
  std::string drain_delay = "0s";
  std::string shutdown_grace = "2s";
  bool admin = false;             // serve /metrics on a free admin port (see Gateway::admin_port())
  std::string callers_file;       // server.callers (caller tokens); empty: authentication off
  std::string extra_server_yaml;  // more "server:" keys, one per line, indented two spaces
  std::vector<std::string> env;   // "NAME=value" for the process (e.g. GATEWAY_TEST_HOLD_DIR)
  // > 0: a webhook listener on this loopback port, taking the sandbox's STP notifications
  // (webhooks.stp_tokens: kStpProcessWebhookToken). See FreeWebhookPort.
  int webhook_port = 0;
};

// A loopback port free now, below the ephemeral range, for a gateway's webhook listener
// (the sandbox needs its URL before the gateway starts).
int FreeWebhookPort();

// A gateway process configured for the sandbox's Monato and Fintoc (and STP when the sandbox
// runs it), with the given store.
class Gateway {
 public:
  Gateway(const std::string& name, const std::string& store_url, const Sandbox& sandbox,
          const GatewayProcessOptions& options = {});

  payments::v1::PayoutService::Stub& stub() { return *stub_; }
  std::string Log() const { return process_->Log(); }
  ChildProcess& process() { return *process_; }
  int port() const { return port_; }
  int admin_port() const { return admin_port_; }

 private:
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
  int admin_port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<payments::v1::PayoutService::Stub> stub_;
};

// A Monato payout from `account` (the native id of the sandbox's main account).
payments::v1::CreatePayoutRequest PayoutRequest(const std::string& account, const std::string& key);
// A payout from `source_account` (a gateway id: Sandbox::SourceAccount).
payments::v1::CreatePayoutRequest PayoutFrom(const std::string& source_account,
                                             const std::string& key, int64_t amount_minor = 2500);

// CreatePayout calls left open on the async API (a gateway is killed under them). The
// destructor cancels what is still open and waits for every callback, so an ASSERT that
// returns early never leaves a callback writing into freed memory.
class AsyncCreates {
 public:
  explicit AsyncCreates(payments::v1::PayoutService::Stub& stub) : stub_(stub) {}
  ~AsyncCreates() { CancelAndWait(); }

  void Send(const payments::v1::CreatePayoutRequest& request);
  // Cancels the calls still open and waits until every one has answered.
  void CancelAndWait();

 private:
  struct Call {
    grpc::ClientContext context;
    payments::v1::CreatePayoutRequest request;
    payments::v1::Payout payout;
  };
  payments::v1::PayoutService::Stub& stub_;
  std::vector<std::unique_ptr<Call>> calls_;
  absl::Mutex mu_;
  int answered_ ABSL_GUARDED_BY(mu_) = 0;
};

// Sends until a definite answer: ABORTED (in flight elsewhere) and UNAVAILABLE are retried.
grpc::Status CreateUntilAnswered(payments::v1::PayoutService::Stub& stub,
                                 const payments::v1::CreatePayoutRequest& request,
                                 payments::v1::Payout* out);

// A PostgreSQL URL (from GATEWAY_TEST_POSTGRES_URL) on a schema of its own, so keys of earlier
// runs are never replayed; empty when the variable is unset.
std::string FreshPostgresUrl(const std::string& schema_prefix);

// GET http://127.0.0.1:port/path; the body, or "" when the request fails.
std::string HttpGet(int port, const std::string& path, int* status = nullptr);

// How many times `needle` occurs in `text` (e.g. an event in a process's log).
int Occurrences(const std::string& text, const std::string& needle);

// Polls `condition` every 10 ms until it holds or `timeout` passes; whether it held.
bool WaitUntil(const std::function<bool()>& condition, absl::Duration timeout = absl::Seconds(20));

// Certificates made by the openssl tool for the TLS tests, as files TempPath(prefix + name)
// + ".pem"/".key": a CA, or a certificate with common name `cn` signed by `ca` (IP 127.0.0.1
// and DNS localhost in its names).
struct OpensslPki {
  std::string prefix;
  std::string Path(const std::string& name) const { return TempPath(prefix + name); }
  void MakeCa(const std::string& ca) const;
  void MakeCert(const std::string& ca, const std::string& cn, const std::string& name) const;
};

}  // namespace e2e

#endif  // TESTS_E2E_PROCESS_FIXTURES_H_
