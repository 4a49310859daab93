// The gateway binary: loads the configuration, wires providers into the core, serves gRPC,
// and on SIGTERM/SIGINT drains and exits 0 within the configured grace period.
//
//   gateway --config=config/gateway.yaml [--port_file=PATH]
//
// Secrets are never taken from the command line: the configuration names files or env vars.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include <unistd.h>

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gateway/config/config.h"
#include "gateway/core/gateway_core.h"
#include "gateway/core/payout_events.h"
#include "gateway/core/payout_ledger.h"
#include "gateway/core/periodic_resolver.h"
#include "gateway/logging/json_log.h"
#include "gateway/server/gateway_server.h"
#include "gateway/validation/bank_catalog.h"
#include "gateway/wiring/provider_factory.h"
#include "gateway/wiring/store_factory.h"
#include "idempotency/store_executor.h"

ABSL_FLAG(std::string, config, "config/gateway.yaml", "Path of the YAML configuration file.");
ABSL_FLAG(std::string, port_file, "",
          "If set, the bound gRPC port is written there once serving (for scripts and tests).");

namespace gateway {
namespace {

absl::StatusOr<BankCatalog> BuildBankCatalog(const GatewayConfig& config) {
  BankCatalog banks = BankCatalog::Builtin();
  for (const auto& [code, name] : config.extra_banks) {
    if (absl::Status added = banks.Add(code, name); !added.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("validation.extra_banks: ", added.message()));
    }
  }
  return banks;
}

// This process, as the owner of its idempotency claims: host name and a random UUID.
std::string InstanceId() {
  char host[256] = "gateway";
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(host, "/", boost::uuids::to_string(boost::uuids::random_generator()()));
}

int Run() {
  // Block the shutdown signals in every thread; one thread waits for them with sigwait.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto config = LoadConfigFile(absl::GetFlag(FLAGS_config));
  if (!config.ok()) {
    Log(LogLevel::kError, "config_invalid", {{"error", std::string(config.status().message())}});
    return 2;
  }
  LogLevel level;
  if (!ParseLogLevel(config->log_level, &level)) {
    Log(LogLevel::kError, "config_invalid",
        {{"error", "log.level must be debug, info, warning or error"}});
    return 2;
  }
  SetMinLogLevel(level);
  auto banks = BuildBankCatalog(*config);
  if (!banks.ok()) {
    Log(LogLevel::kError, "config_invalid", {{"error", std::string(banks.status().message())}});
    return 2;
  }
  auto built = BuildProviders(*config);
  if (!built.ok()) {
    Log(LogLevel::kError, "providers_invalid", {{"error", std::string(built.status().message())}});
    return 2;
  }
  const providers::ProviderRegistry& registry = (*built)->registry;

  auto opened = OpenStore(config->store_url);
  if (!opened.ok()) {
    Log(LogLevel::kError, "store_unavailable", {{"error", std::string(opened.status().message())}});
    return 2;
  }
  idempotency::StoreExecutor store(opened->store.get(), opened->threads);
  PayoutEventHub events;
  LedgerOptions ledger_options;
  ledger_options.instance_id = InstanceId();
  ledger_options.lease = config->store_lease;
  ledger_options.retention = config->store_retention;
  PayoutLedger ledger(&store, &registry, &*banks, &events, ledger_options);
  GatewayCore core(&registry, &*banks, &events, &ledger);
  PeriodicResolver resolver(&ledger, &store, config->resolve_interval, config->pending_recheck);
  resolver.Start();
  auto server = GatewayServer::Start(config->listen_address, &core);
  if (!server.ok()) {
    Log(LogLevel::kError, "listen_failed", {{"error", std::string(server.status().message())}});
    return 1;
  }
  boost::json::array provider_names;
  for (providers::Provider* provider : registry.All()) {
    provider_names.push_back(boost::json::string(payments::v1::Provider_Name(provider->id())));
  }
  Log(LogLevel::kInfo, "serving",
      {{"listen_address", config->listen_address},
       {"port", (*server)->port()},
       {"providers", std::move(provider_names)}});
  if (const std::string port_file = absl::GetFlag(FLAGS_port_file); !port_file.empty()) {
    std::ofstream(port_file) << (*server)->port() << "\n";
  }

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  Log(LogLevel::kInfo, "signal_received",
      {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*server)->Shutdown(config->drain_delay, config->shutdown_grace);
  resolver.Stop();
  // No provider reply may arrive once the core starts going away.
  (*built)->http_clients.clear();
  return 0;
}

}  // namespace
}  // namespace gateway

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return gateway::Run();
}
