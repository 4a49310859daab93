// The real sandbox and gateway binaries as child processes, for tests that crash, stop and
// restart them: the sandbox with its CA and control endpoints, a gateway on a given store
// pointed at the sandbox's Monato, and a Monato payout request with a retry loop that treats
// ABORTED and UNAVAILABLE as "ask again with the same key".
#ifndef TESTS_E2E_PROCESS_FIXTURES_H_
#define TESTS_E2E_PROCESS_FIXTURES_H_

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/channel.h>

#include "absl/time/time.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "providers/http/https_client.h"
#include "tests/e2e/child_process.h"

namespace e2e {

class Sandbox {
 public:
  Sandbox();

  const std::string& ca_path() const { return ca_path_; }
  std::string MonatoUrl() const;
  // A control call (/_sandbox/...); returns the reply body.
  std::string Control(const std::string& method, const std::string& path,
                      const std::string& body = "");
  // Money-outs Monato accepted so far (-1 if the state cannot be read).
  int64_t MoneyOutsCreated();
  std::string MainAccount();

 private:
  std::string ca_path_;
  std::unique_ptr<ChildProcess> process_;
  int monato_port_ = 0;
  std::unique_ptr<providers::http::HttpsClient> client_;
};

struct GatewayProcessOptions {
  int port = 0;  // 0: a free port (see Gateway::port())
  std::string drain_delay = "0s";
  std::string shutdown_grace = "2s";
  bool admin = false;             // serve /metrics on a free admin port (see Gateway::admin_port())
  std::string callers_file;       // server.callers (caller tokens); empty: authentication off
  std::string extra_server_yaml;  // more "server:" keys, one per line, indented two spaces
};

// A gateway process configured for the sandbox's Monato, with the given store.
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

payments::v1::CreatePayoutRequest PayoutRequest(const std::string& account, const std::string& key);

// Sends until a definite answer: ABORTED (in flight elsewhere) and UNAVAILABLE are retried.
grpc::Status CreateUntilAnswered(payments::v1::PayoutService::Stub& stub,
                                 const payments::v1::CreatePayoutRequest& request,
                                 payments::v1::Payout* out);

// A PostgreSQL URL (from GATEWAY_TEST_POSTGRES_URL) on a schema of its own, so keys of earlier
// runs are never replayed; empty when the variable is unset.
std::string FreshPostgresUrl(const std::string& schema_prefix);

// GET http://127.0.0.1:port/path; the body, or "" when the request fails.
std::string HttpGet(int port, const std::string& path, int* status = nullptr);

}  // namespace e2e

#endif  // TESTS_E2E_PROCESS_FIXTURES_H_
