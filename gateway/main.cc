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
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gateway/config/config.h"
#include "gateway/core/gateway_core.h"
#include "gateway/core/payout_event_tailer.h"
#include "gateway/core/payout_events.h"
#include "gateway/core/payout_ledger.h"
#include "gateway/core/periodic_resolver.h"
#include "gateway/logging/json_log.h"
#include "gateway/server/admin_server.h"
#include "gateway/server/gateway_server.h"
#include "gateway/validation/bank_catalog.h"
#include "gateway/webhooks/webhook_service.h"
#include "gateway/wiring/credential_reload.h"
#include "gateway/wiring/provider_factory.h"
#include "gateway/wiring/store_factory.h"
#include "idempotency/instrumented_store.h"
#include "idempotency/store_executor.h"
#include "metrics/gateway_metrics.h"

ABSL_FLAG(std::string, config, "config/gateway.yaml", "Path of the YAML configuration file.");
ABSL_FLAG(std::string, webhook_port_file, "",
          "If set, the bound webhook listener port is written there once listening.");
ABSL_FLAG(std::string, admin_port_file, "",
          "Where to write the admin (metrics) port once listening (for scripts and tests).");
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

absl::StatusOr<std::vector<std::string>> ReadSecrets(const std::vector<SecretRef>& refs,
                                                     absl::string_view what) {
  std::vector<std::string> secrets;
  for (const SecretRef& ref : refs) {
    auto secret = ReadSecret(ref);
    if (!secret.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(what, ": ", secret.status().message()));
    }
    secrets.push_back(*std::move(secret));
  }
  return secrets;
}

// The webhook listener from configuration, and Monato told where to call it.
absl::StatusOr<std::unique_ptr<WebhookService>> StartWebhooks(const WebhookSettings& settings,
                                                              PayoutLedger* ledger,
                                                              idempotency::StoreExecutor* store,
                                                              BuiltProviders& built) {
  WebhookOptions options;
  const size_t colon = settings.listen_address.rfind(':');
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(settings.listen_address.substr(colon + 1), &options.port)) {
    return absl::InvalidArgumentError("webhooks.listen_address must be host:port");
  }
  options.address = settings.listen_address.substr(0, colon);
  options.max_connections = settings.max_connections;
  options.header_timeout = settings.header_timeout;
  if (!settings.tls_cert_file.empty() || !settings.tls_key_file.empty()) {
    auto cert = ReadSecret(SecretRef{settings.tls_cert_file, ""});
    auto key = ReadSecret(SecretRef{settings.tls_key_file, ""});
    if (!cert.ok() || !key.ok()) {
      return absl::FailedPreconditionError("webhooks.tls_cert_file/tls_key_file cannot be read");
    }
    options.tls_cert_pem = *cert;
    options.tls_key_pem = *key;
  }
  auto fintoc = ReadSecrets(settings.fintoc_secrets, "webhooks.fintoc_secrets");
  auto monato = ReadSecrets(settings.monato_tokens, "webhooks.monato_tokens");
  if (!fintoc.ok()) return fintoc.status();
  if (!monato.ok()) return monato.status();
  options.fintoc_secrets = *std::move(fintoc);
  options.monato_tokens = *std::move(monato);
  auto service = WebhookService::Start(options, ledger, store);
  if (!service.ok()) return service.status();
  if (!settings.public_url.empty() && built.monato != nullptr && !options.monato_tokens.empty()) {
    // Not awaited: a failure is logged and webhooks for Monato are then covered by the poller.
    built.monato->RegisterWebhooks(absl::StrCat(settings.public_url, "/webhooks/monato"),
                                   options.monato_tokens.front(), absl::Now() + absl::Seconds(30),
                                   [](absl::Status status) {
                                     if (status.ok()) {
                                       Log(LogLevel::kInfo, "monato_webhooks_registered");
                                     } else {
                                       Log(LogLevel::kError, "monato_webhook_registration_failed",
                                           {{"error", std::string(status.message())}});
                                     }
                                   });
  }
  return service;
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
  // Every store call counted and timed (gateway_store_operations_total).
  idempotency::InstrumentedStore instrumented_store(std::move(opened->store),
                                                    metrics::Metrics().store_operations,
                                                    metrics::Metrics().store_operation_seconds);
  idempotency::StoreExecutor store(&instrumented_store, opened->threads);
  PayoutEventHub events;
  LedgerOptions ledger_options;
  ledger_options.instance_id = InstanceId();
  ledger_options.lease = config->store_lease;
  ledger_options.retention = config->store_retention;
  PayoutLedger ledger(&store, &registry, &*banks, &events, ledger_options);
  GatewayCore core(&registry, &*banks, &events, &ledger);
  // WatchPayouts subscribers are fed from the store's event log: every replica sees every
  // replica's events, and cursors survive restarts.
  PayoutEventTailer tailer(&store, &events);
  tailer.Start();
  PeriodicResolver resolver(&ledger, &store, config->resolve_interval, config->pending_recheck);
  resolver.Start();
  std::unique_ptr<WebhookService> webhooks;
  if (config->webhooks.enabled) {
    auto started = StartWebhooks(config->webhooks, &ledger, &store, **built);
    if (!started.ok()) {
      Log(LogLevel::kError, "webhooks_unavailable",
          {{"error", std::string(started.status().message())}});
      return 2;
    }
    webhooks = *std::move(started);
    Log(LogLevel::kInfo, "webhooks_listening", {{"port", webhooks->port()}});
    if (const std::string file = absl::GetFlag(FLAGS_webhook_port_file); !file.empty()) {
      std::ofstream(file) << webhooks->port() << "\n";
    }
  }
  std::unique_ptr<CallerAuthenticator> auth;
  if (!config->callers.file.empty() || !config->callers.env.empty()) {
    auto text = ReadSecret(config->callers);
    auto parsed = text.ok() ? CallerAuthenticator::FromText(*text)
                            : absl::StatusOr<std::unique_ptr<CallerAuthenticator>>(text.status());
    if (!parsed.ok()) {
      Log(LogLevel::kError, "config_invalid",
          {{"error", absl::StrCat("server.callers (",
                                  config->callers.file.empty() ? "env " + config->callers.env
                                                               : config->callers.file,
                                  "): ", parsed.status().message())}});
      return 2;
    }
    auth = *std::move(parsed);
  }
  // Rotated secret files are put in use without a restart.
  CredentialWatcher credential_watcher;
  WatchCredentials(*config, built->get(), auth.get(), &credential_watcher);
  credential_watcher.Start();
  std::unique_ptr<net::http::HttpServer> admin;
  if (!config->admin_listen_address.empty()) {
    auto started = StartAdminServer(
        config->admin_listen_address, &metrics::Metrics().registry,
        [pools = built->get()] { pools->UpdatePoolGauges(); }, config->admin_max_connections);
    if (!started.ok()) {
      Log(LogLevel::kError, "admin_unavailable",
          {{"error", std::string(started.status().message())}});
      return 2;
    }
    admin = *std::move(started);
    Log(LogLevel::kInfo, "admin_listening", {{"port", admin->port()}, {"path", "/metrics"}});
    if (const std::string file = absl::GetFlag(FLAGS_admin_port_file); !file.empty()) {
      std::ofstream(file) << admin->port() << "\n";
    }
  }
  std::unique_ptr<ServerTls> tls;
  if (!config->tls_cert_file.empty()) {
    tls = std::make_unique<ServerTls>();
    for (auto [file, target] :
         {std::pair<const std::string*, std::string*>{&config->tls_cert_file, &tls->cert_chain_pem},
          {&config->tls_key_file, &tls->private_key_pem},
          {&config->tls_client_ca_file, &tls->client_ca_pem}}) {
      if (file->empty()) continue;
      auto pem = ReadSecret(SecretRef{*file, ""});
      if (!pem.ok()) {
        Log(LogLevel::kError, "config_invalid",
            {{"error", absl::StrCat("server TLS: ", pem.status().message())}});
        return 2;
      }
      *target = *std::move(pem);
    }
    // Mutual TLS without caller tokens: the client certificate's common name is the caller.
    if (auth == nullptr && !tls->client_ca_pem.empty()) {
      auth = CallerAuthenticator::FromClientCertificates();
    }
  }
  auto server = GatewayServer::Start(config->listen_address, &core, auth.get(), tls.get());
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
  if (webhooks != nullptr) webhooks->Stop();
  if (admin != nullptr) admin->Stop();
  resolver.Stop();
  tailer.Stop();
  credential_watcher.Stop();
  // No provider reply may arrive once the core starts going away, and queued store work must
  // finish while everything its callbacks use still exists (they are destroyed below, in
  // reverse order of creation, after the executor has stopped taking work).
  for (auto& client : (*built)->http_clients) client->Shutdown();
  store.Shutdown();
  return 0;
}

}  // namespace
}  // namespace gateway

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  // Debian's abseil is built with its debug-mode lock-order graph on: a cost on every lock
  // (about 1% of the gateway's CPU under load) that a production build of abseil does not pay.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return gateway::Run();
}
