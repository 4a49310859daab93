#include "gateway/wiring/provider_factory.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gateway/logging/json_log.h"
#include "gateway/wiring/test_hold_provider.h"
#include "metrics/gateway_metrics.h"
#include "providers/fintoc/fintoc_provider.h"
#include "net/http/url.h"
#include "providers/instrumented_provider.h"
#include "providers/monato/monato_provider.h"

namespace gateway {
namespace {

absl::StatusOr<std::string> Secret(const ProviderSettings& settings, const std::string& provider,
                                   const std::string& name) {
  auto it = settings.credentials.find(name);
  if (it == settings.credentials.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat("providers.", provider, ".credentials.", name, " is not configured"));
  }
  auto value = ReadSecret(it->second);
  if (!value.ok()) {
    return absl::FailedPreconditionError(absl::StrCat("providers.", provider, ".credentials.", name,
                                                      ": ", value.status().message()));
  }
  return value;
}

absl::StatusOr<std::string> Option(const ProviderSettings& settings, const std::string& provider,
                                   const std::string& name) {
  auto it = settings.options.find(name);
  if (it == settings.options.end() || it->second.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("providers.", provider, ".", name, " is not configured"));
  }
  return it->second;
}

absl::StatusOr<std::unique_ptr<net::http::BeastHttpClient>> HttpClientFor(
    const ProviderSettings& settings, const std::string& provider) {
  net::http::BeastHttpClientOptions options;
  options.ca_file = settings.ca_file;
  options.request_timeout = settings.timeout;
  if (auto pool = settings.options.find("max_connections"); pool != settings.options.end()) {
    if (!absl::SimpleAtoi(pool->second, &options.max_connections_per_origin) ||
        options.max_connections_per_origin < 1) {
      return absl::FailedPreconditionError(
          absl::StrCat("providers.", provider, ".max_connections must be a whole number >= 1"));
    }
  }
  if (auto attempts = settings.options.find("max_attempts"); attempts != settings.options.end()) {
    if (!absl::SimpleAtoi(attempts->second, &options.retry.max_attempts) ||
        options.retry.max_attempts < 1 || options.retry.max_attempts > 10) {
      return absl::FailedPreconditionError(
          absl::StrCat("providers.", provider, ".max_attempts must be 1 to 10"));
    }
  }
  auto client = net::http::BeastHttpClient::Create(options);
  if (!client.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("providers.", provider, ": ", client.status().message()));
  }
  return client;
}

void AddPool(BuiltProviders& built, const std::string& provider,
             const net::http::BeastHttpClient* client, const std::string& base_url) {
  auto url = net::http::ParseUrl(base_url);
  if (url.ok()) built.pools.push_back({provider, client, url->Origin()});
}

// Every adapter call counted and timed (gateway_provider_requests_total and _seconds).
std::unique_ptr<providers::Provider> Instrumented(std::unique_ptr<providers::Provider> adapter) {
  metrics::GatewayMetrics& m = metrics::Metrics();
  return std::make_unique<providers::InstrumentedProvider>(
      WithTestHolds(std::move(adapter)), m.provider_requests, m.provider_request_seconds);
}

absl::Status AddMonato(const ProviderSettings& settings, BuiltProviders& built) {
  providers::monato::MonatoOptions options;
  options.base_url = settings.base_url;
  if (options.base_url.empty()) {
    return absl::FailedPreconditionError("providers.monato.base_url is not configured");
  }
  auto client_id = Option(settings, "monato", "client_id");
  auto api_key = Secret(settings, "monato", "api_key");
  auto client_secret = Secret(settings, "monato", "client_secret");
  for (const absl::Status& status :
       {client_id.status(), api_key.status(), client_secret.status()}) {
    if (!status.ok()) return status;
  }
  options.client_id = *client_id;
  options.api_key = *api_key;
  options.client_secret = *client_secret;
  if (auto ns = settings.options.find("idempotency_namespace"); ns != settings.options.end()) {
    options.idempotency_namespace = ns->second;
  }
  for (const auto& [name, target] :
       {std::pair<const char*, absl::Duration*>{"bank_cache_ttl", &options.bank_cache_ttl},
        {"directory_cache_ttl", &options.directory_cache_ttl},
        {"token_refresh_ahead", &options.token_refresh_ahead}}) {
    auto it = settings.options.find(name);
    if (it == settings.options.end()) continue;
    if (!absl::ParseDuration(it->second, target) || *target < absl::ZeroDuration()) {
      return absl::FailedPreconditionError(
          absl::StrCat("providers.monato.", name, " must be a duration like \"1h\""));
    }
  }
  if (settings.max_payout_minor > 0) options.max_payout_minor = settings.max_payout_minor;
  options.on_token_fetched = [](const absl::Status& status) {
    metrics::Metrics().token_refreshes->Increment({"monato", status.ok() ? "ok" : "error"});
  };
  auto http = HttpClientFor(settings, "monato");
  if (!http.ok()) return http.status();
  auto provider = std::make_unique<providers::monato::MonatoProvider>(http->get(), options);
  built.monato = provider.get();
  built.registry.Add(Instrumented(std::move(provider)));
  AddPool(built, "monato", http->get(), options.base_url);
  built.http_clients.push_back(*std::move(http));
  return absl::OkStatus();
}

absl::Status AddFintoc(const ProviderSettings& settings, BuiltProviders& built) {
  providers::fintoc::FintocOptions options;
  if (!settings.base_url.empty()) options.base_url = settings.base_url;
  auto mode = Option(settings, "fintoc", "mode");
  auto secret_key = Secret(settings, "fintoc", "secret_key");
  for (const absl::Status& status : {mode.status(), secret_key.status()}) {
    if (!status.ok()) return status;
  }
  options.mode = *mode;
  options.secret_key = *secret_key;
  // The signer re-reads the key file when it changes (rotation without a restart): it needs
  // the path, not the key.
  auto key = settings.credentials.find("jws_private_key");
  if (key == settings.credentials.end() || key->second.file.empty()) {
    return absl::FailedPreconditionError(
        "providers.fintoc.credentials.jws_private_key must be {file: PATH} of the PEM key");
  }
  options.jws_private_key_path = key->second.file;
  options.on_jws_signed = [](const absl::Status& status) {
    metrics::Metrics().jws_signatures->Increment({"fintoc", status.ok() ? "ok" : "error"});
  };
  options.on_jws_key_reload = [](const absl::Status& status) {
    if (status.ok()) {
      Log(LogLevel::kInfo, "fintoc_jws_key_reloaded");
    } else {
      Log(LogLevel::kError, "fintoc_jws_key_reload_failed",
          {{"error", std::string(status.message())}});
    }
  };
  if (auto it = settings.options.find("idempotency_namespace"); it != settings.options.end()) {
    options.idempotency_namespace = it->second;
  }
  if (auto it = settings.options.find("api_version"); it != settings.options.end()) {
    options.api_version = it->second;
  }
  if (settings.max_payout_minor > 0) options.max_payout_minor = settings.max_payout_minor;
  auto http = HttpClientFor(settings, "fintoc");
  if (!http.ok()) return http.status();
  auto provider = providers::fintoc::FintocProvider::Create(http->get(), options);
  if (!provider.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("providers.fintoc: ", provider.status().message()));
  }
  built.fintoc = provider->get();
  built.registry.Add(Instrumented(*std::move(provider)));
  AddPool(built, "fintoc", http->get(), options.base_url);
  built.http_clients.push_back(*std::move(http));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<BuiltProviders>> BuildProviders(const GatewayConfig& config) {
  auto built = std::make_unique<BuiltProviders>();
  for (const auto& [name, settings] : config.providers) {
    if (!settings.enabled) continue;
    absl::Status added;
    if (name == "monato") {
      added = AddMonato(settings, *built);
    } else if (name == "fintoc") {
      added = AddFintoc(settings, *built);
    } else {
      added = absl::UnimplementedError(
          absl::StrCat("providers.", name, " is enabled but this build has no ", name,
                       " adapter yet; set providers.", name, ".enabled: false"));
    }
    if (!added.ok()) return added;
  }
  return built;
}

void BuiltProviders::UpdatePoolGauges() const {
  metrics::Gauge* gauge = metrics::Metrics().provider_connections;
  for (const PoolOf& pool : pools) {
    const auto [open, idle] = pool.client->PoolSizes(pool.origin);
    gauge->Set({pool.provider, "open"}, open);
    gauge->Set({pool.provider, "idle"}, idle);
    metrics::Metrics().provider_connects->SetTotal({pool.provider},
                                                   pool.client->stats().connections_opened);
  }
}

}  // namespace gateway
