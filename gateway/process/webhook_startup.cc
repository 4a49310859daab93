#include "gateway/process/webhook_startup.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/logging/json_log.h"

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
                                                              PayoutLedger* ledger,
                                                              idempotency::StoreExecutor* store,
                                                              BuiltProviders& built,
                                                              StartupSteps* steps) {
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
    built.monato->RegisterWebhooks(
        absl::StrCat(settings.public_url, "/webhooks/monato"), options.monato_tokens.front(),
        absl::Now() + absl::Seconds(30),
        [done = steps->Begin("monato_webhook_registration")](absl::Status status) {
          if (status.ok()) {
            Log(LogLevel::kInfo, "monato_webhooks_registered");
          } else {
            Log(LogLevel::kError, "monato_webhook_registration_failed",
                {{"error", std::string(status.message())}});
          }
          done(status);
        });
  }
  return service;
}

}  // namespace gateway
