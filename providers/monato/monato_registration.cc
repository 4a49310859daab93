// Monato in the gateway: its `providers.monato:` section, the adapter, its webhook route
// (bearer token, then the event re-read before it is believed), its rotating credentials, and
// the webhook URL registered with Monato at start. Linked by one BUILD dep (alwayslink).
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "metrics/gateway_metrics.h"
#include "net/http/http_server.h"
#include "providers/monato/monato_provider.h"
#include "providers/monato/webhook_messages.h"
#include "providers/registration/provider_http_client.h"
#include "providers/registration/provider_registration.h"
#include "vocabulary/status_macros.h"

namespace providers::monato {
namespace {

constexpr char kName[] = "monato";

absl::StatusOr<MonatoOptions> OptionsFrom(const ProviderSettings& settings) {
  MonatoOptions options;
  options.base_url = settings.base_url;
  if (options.base_url.empty()) {
    return absl::FailedPreconditionError("providers.monato.base_url is not configured");
  }
  auto client_id = RequiredOption(settings, kName, "client_id");
  auto api_key = RequiredSecret(settings, kName, "api_key");
  auto client_secret = RequiredSecret(settings, kName, "client_secret");
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
    metrics::Metrics().token_refreshes->Increment({kName, status.ok() ? "ok" : "error"});
  };
  return options;
}

// The API key and client secret are re-read together when either file changes (both must be
// {file: ...}: an environment variable cannot change under a running process).
std::vector<SecretWatch> CredentialWatches(const ProviderSettings& settings,
                                           MonatoProvider* monato) {
  std::vector<std::string> files;
  for (const char* name : {"api_key", "client_secret"}) {
    auto ref = settings.credentials.find(name);
    if (ref == settings.credentials.end() || ref->second.file.empty()) return {};
    files.push_back(ref->second.file);
  }
  SecretWatch watch;
  watch.setting = "providers.monato.credentials";
  watch.files = files;
  watch.reload = [monato, files]() -> absl::Status {
    auto api_key = ReadSecret(SecretRef{files[0], ""});
    auto client_secret = ReadSecret(SecretRef{files[1], ""});
    if (!api_key.ok()) return api_key.status();
    if (!client_secret.ok()) return client_secret.status();
    if (api_key->empty() || client_secret->empty()) {
      return absl::FailedPreconditionError("an empty Monato credential");
    }
    monato->session().tokens().SetCredentials(*std::move(api_key), *std::move(client_secret));
    return absl::OkStatus();
  };
  return {std::move(watch)};
}

absl::StatusOr<BuiltAdapter> Build(const ProviderSettings& settings, const BuildContext&) {
  ASSIGN_OR_RETURN(auto options, OptionsFrom(settings));
  ASSIGN_OR_RETURN(auto http, ProviderHttpClient(settings, kName));
  BuiltAdapter built;
  auto monato = std::make_unique<MonatoProvider>(http.get(), options);
  MonatoProvider* raw = monato.get();
  built.adapter = std::move(monato);
  built.http = std::move(http);
  built.origin = OriginOf(options.base_url);
  built.secret_watches = CredentialWatches(settings, raw);
  // Monato calls the URL registered with it, with the first token as its bearer. Not awaited:
  // a failure is logged and Monato's payouts are then covered by the resolver's re-reads.
  built.on_webhooks_listening = [raw](const WebhooksListening& listening) {
    if (listening.secrets.empty()) return listening.done(absl::OkStatus());
    raw->RegisterWebhooks(
        listening.url, listening.secrets.front(), absl::Now() + absl::Seconds(30),
        [log = listening.log, done = listening.done](absl::Status s) {
          log(s.ok() ? "monato_webhooks_registered" : "monato_webhook_registration_failed", s);
          done(s);
        });
  };
  return built;
}

// Authorization: Bearer <a registered token>, then the event translated (docs/webhooks.md).
WebhookVerifier Verifier(std::vector<std::string> tokens) {
  return [tokens = std::move(tokens)](const net::http::ServerRequest& request,
                                      absl::Time) -> absl::StatusOr<WebhookEvent> {
    RETURN_IF_ERROR(VerifyMonatoBearer(tokens, request.Header("authorization")));
    return ParseMonatoWebhook(request.body);
  };
}

ProviderRegistration Registration() {
  ProviderRegistration registration;
  registration.name = kName;
  registration.id = payments::v1::PROVIDER_MONATO;
  registration.build = Build;
  registration.webhook = WebhookRouteSpec{"monato_tokens", Verifier};
  return registration;
}

const bool kRegistered = RegisterProvider(Registration());

}  // namespace
}  // namespace providers::monato
