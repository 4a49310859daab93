// The gateway binary: loads the configuration, starts the gateway (gateway/process), and on
// SIGTERM/SIGINT drains and exits 0 within the configured grace period. Exit 2: the
// configuration or what it names is wrong; exit 1: the gRPC port cannot be bound.
//
//   gateway --config=config/gateway.yaml [--port_file=PATH]
//
// Secrets are never taken from the command line: the configuration names files or env vars.
#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <cstring>

#include <fstream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/synchronization/mutex.h"
#include "gateway/config/config.h"
#include "gateway/logging/json_log.h"
#include "gateway/process/gateway_process.h"
#include "gateway/process/start_failure.h"

ABSL_FLAG(std::string, config, "config/gateway.yaml", "Path of the YAML configuration file.");
ABSL_FLAG(std::string, webhook_port_file, "",
          "If set, the bound webhook listener port is written there once listening.");
ABSL_FLAG(std::string, admin_port_file, "",
          "Where to write the admin (metrics) port once listening (for scripts and tests).");
ABSL_FLAG(std::string, port_file, "",
          "If set, the bound gRPC port is written there once serving (for scripts and tests).");

namespace gateway {
namespace {

// glibc gives each thread that meets a locked arena a new one, up to 8 per core: with the
// gateway's ~22 threads (gRPC, Asio, store, background) that was 16 arenas, each with its own
// free space and top pad. In scenario 5 (BENCHMARKS.md, 1,000 payouts in flight) they held
// 59 MB for 48 MB in use; one arena held 39.7 MB for 37.7 MB, 81 -> 63 MiB peak RSS together
// with the event hub's serialized retention (issue 15), with the same throughput and CPU per
// payout on 2 cores: glibc's per-thread caches serve most small allocations without the arena
// lock. MALLOC_ARENA_MAX or GLIBC_TUNABLES=glibc.malloc.arena_max=N still win when set (docs/
// deploy.md), e.g. on hosts with many cores.
constexpr int kMallocArenas = 1;

void BoundMallocArenas() {
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (std::getenv("MALLOC_ARENA_MAX") != nullptr ||
      (tunables != nullptr && std::strstr(tunables, "arena_max") != nullptr)) {
    return;
  }
  mallopt(M_ARENA_MAX, kMallocArenas);
}

void WritePortFile(const std::string& file, int port) {
  if (!file.empty() && port != 0) std::ofstream(file) << port << "\n";
}

int Run() {
  // Block the shutdown signals in every thread (so before any starts); one thread waits for
  // them with sigwait.
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
  auto gateway = GatewayProcess::Start(*std::move(config));
  if (!gateway.ok()) {
    const StartFailure failure = DescribeStartFailure(gateway.status());
    Log(LogLevel::kError, failure.event, {{"error", std::string(gateway.status().message())}});
    return failure.exit_code;
  }
  // The gRPC port last: scripts and tests take it as the sign that everything is up.
  WritePortFile(absl::GetFlag(FLAGS_webhook_port_file), (*gateway)->webhook_port());
  WritePortFile(absl::GetFlag(FLAGS_admin_port_file), (*gateway)->admin_port());
  WritePortFile(absl::GetFlag(FLAGS_port_file), (*gateway)->port());

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  Log(LogLevel::kInfo, "signal_received",
      {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*gateway)->Shutdown();
  return 0;
}

}  // namespace
}  // namespace gateway

int main(int argc, char** argv) {
  gateway::BoundMallocArenas();  // first: before any thread starts
  absl::ParseCommandLine(argc, argv);
  // Debian's abseil is built with its debug-mode lock-order graph on: a cost on every lock
  // (about 1% of the gateway's CPU under load) that a production build of abseil does not pay.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return gateway::Run();
}
