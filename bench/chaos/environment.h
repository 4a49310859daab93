// The chaos run's processes: the real sandbox (both providers, no-dedup by default, webhook
// faults) and the real gateway on a SQLite store, its gRPC and webhook ports fixed so that it
// can be SIGKILLed and restarted on the same store while callers and webhooks keep coming.
#ifndef BENCH_CHAOS_ENVIRONMENT_H_
#define BENCH_CHAOS_ENVIRONMENT_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/e2e/child_process.h"

namespace chaos {

struct EnvironmentOptions {
  std::string dir;  // secrets, configs, logs and the store go here
  std::string gateway_binary = "gateway/gateway";
  std::string sandbox_binary = "sandbox/sandbox";
  bool provider_dedup = false;  // false: the sandbox ignores Idempotency-Key
  int settle_after_ms = 1500;
  int webhook_duplicate_percent = 20;
  int webhook_max_delay_ms = 400;
  std::string lease = "10s";
  std::string resolve_interval = "300ms";
  std::string pending_recheck = "2s";
  std::string provider_timeout = "3s";
};

class Environment {
 public:
  // Writes the secrets (a fresh JWS key pair), starts the sandbox, then the gateway.
  static absl::StatusOr<std::unique_ptr<Environment>> Start(EnvironmentOptions options);
  ~Environment();

  // (Re)starts the gateway on the same store and ports.
  absl::Status StartGateway();
  // SIGKILL, and waits until it is gone.
  void KillGateway();
  // SIGTERM both; false if either did not exit 0.
  bool Stop();

  std::string grpc_address() const;
  const std::string& dir() const { return options_.dir; }
  // A sandbox control call (/_sandbox/...) on `provider`'s port; the reply body on a 2xx.
  absl::StatusOr<std::string> Control(const std::string& provider, const std::string& method,
                                      const std::string& path, const std::string& body = "");
  int gateway_starts() const { return gateway_starts_; }

 private:
  explicit Environment(EnvironmentOptions options) : options_(std::move(options)) {}
  absl::Status WriteSecrets();
  absl::Status StartSandbox();
  std::string GatewayConfig() const;

  EnvironmentOptions options_;
  std::unique_ptr<e2e::ChildProcess> sandbox_;
  std::unique_ptr<e2e::ChildProcess> gateway_;
  int monato_port_ = 0;
  int fintoc_port_ = 0;
  int grpc_port_ = 0;
  int webhook_port_ = 0;
  int gateway_starts_ = 0;
};

}  // namespace chaos

#endif  // BENCH_CHAOS_ENVIRONMENT_H_
