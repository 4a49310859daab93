#include "gateway/process/webhook_startup.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gateway/webhooks/webhook_routes.h"
#include "net/http/url.h"
#include "providers/registration/provider_registration.h"
#include "vocabulary/status_macros.h"

namespace gateway {
namespace {

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

}  // namespace

absl::StatusOr<std::unique_ptr<WebhookService>> StartWebhooks(const WebhookSettings& settings,
                                                              PayoutEngine* engine,
                                                              idempotency::StoreExecutor* store,
                                                              BuiltProviders& built,
                                                              StartupSteps* steps) {
  WebhookOptions options;
  auto address = net::http::ParseListenAddress(settings.listen_address);
  if (!address.ok()) return absl::InvalidArgumentError("webhooks.listen_address must be host:port");
  options.address = address->host;
  options.port = address->port;
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
  std::map<std::string, std::vector<std::string>> secrets;  // by provider name
  for (const providers::ProviderRegistration* linked : providers::LinkedProviders()) {
    if (!linked->webhook.has_value()) continue;
    auto refs = settings.provider_secrets.find(linked->name);
    if (refs == settings.provider_secrets.end()) continue;
    ASSIGN_OR_RETURN(
        auto read,
        ReadSecrets(refs->second, absl::StrCat("webhooks.", linked->webhook->secrets_key)));
    secrets[linked->name] = std::move(read);
  }
  options.routes = LinkedWebhookRoutes(secrets);
  ASSIGN_OR_RETURN(auto service, WebhookService::Start(options, engine, store));
  if (!settings.public_url.empty()) {
    for (const BuiltProviders::Extras& extras : built.extras) {
      if (!extras.on_webhooks_listening) continue;
      providers::WebhooksListening listening;
      listening.url = absl::StrCat(settings.public_url, providers::WebhookPath(extras.provider));
      listening.secrets = secrets[extras.provider];
      listening.log = LogProviderEvent;
      listening.done = steps->Begin(absl::StrCat(extras.provider, "_webhook_startup"));
      extras.on_webhooks_listening(listening);
    }
  }
  return service;
}

}  // namespace gateway
