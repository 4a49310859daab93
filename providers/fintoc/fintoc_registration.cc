// Fintoc in the gateway: its `providers.fintoc:` section, the adapter, its webhook route
// (Fintoc-Signature HMAC with rotation), and its rotating secret key (the JWS key file
// reloads itself). Linked by one BUILD dep (alwayslink).
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "metrics/gateway_metrics.h"
#include "net/http/http_server.h"
#include "providers/fintoc/fintoc_provider.h"
#include "providers/fintoc/webhook_verifier.h"
#include "providers/registration/provider_http_client.h"
#include "providers/registration/provider_registration.h"
#include "vocabulary/status_macros.h"

namespace providers::fintoc {
namespace {

constexpr char kName[] = "fintoc";

absl::StatusOr<FintocOptions> OptionsFrom(const ProviderSettings& settings,
                                          const BuildContext& context) {
  FintocOptions options;
  if (!settings.base_url.empty()) options.base_url = settings.base_url;
  auto mode = RequiredOption(settings, kName, "mode");
  auto secret_key = RequiredSecret(settings, kName, "secret_key");
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
    metrics::Metrics().jws_signatures->Increment({kName, status.ok() ? "ok" : "error"});
  };
  options.on_jws_key_reload = [log = context.log](const absl::Status& status) {
    log(status.ok() ? "fintoc_jws_key_reloaded" : "fintoc_jws_key_reload_failed", status);
  };
  if (auto it = settings.options.find("idempotency_namespace"); it != settings.options.end()) {
    options.idempotency_namespace = it->second;
  }
  if (auto it = settings.options.find("api_version"); it != settings.options.end()) {
    options.api_version = it->second;
  }
  if (settings.max_payout_minor > 0) options.max_payout_minor = settings.max_payout_minor;
  return options;
}

// The secret key is re-read when its file changes ({file: ...} only).
std::vector<SecretWatch> CredentialWatches(const ProviderSettings& settings,
                                           FintocProvider* fintoc) {
  auto ref = settings.credentials.find("secret_key");
  if (ref == settings.credentials.end() || ref->second.file.empty()) return {};
  SecretWatch watch;
  watch.setting = "providers.fintoc.credentials.secret_key";
  watch.files = {ref->second.file};
  watch.reload = [fintoc, file = ref->second.file]() -> absl::Status {
    ASSIGN_OR_RETURN(auto key, ReadSecret(SecretRef{file, ""}));
    return fintoc->RotateSecretKey(std::move(key));
  };
  return {std::move(watch)};
}

absl::StatusOr<BuiltAdapter> Build(const ProviderSettings& settings, const BuildContext& context) {
  ASSIGN_OR_RETURN(auto options, OptionsFrom(settings, context));
  ASSIGN_OR_RETURN(auto http, ProviderHttpClient(settings, kName));
  auto fintoc = FintocProvider::Create(http.get(), options);
  if (!fintoc.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("providers.fintoc: ", fintoc.status().message()));
  }
  BuiltAdapter built;
  built.secret_watches = CredentialWatches(settings, fintoc->get());
  built.adapter = *std::move(fintoc);
  built.http = std::move(http);
  built.origin = OriginOf(options.base_url);
  return built;
}

// Fintoc-Signature against each secret (current first), within the tolerance.
WebhookVerifier Verifier(std::vector<std::string> secrets) {
  FintocWebhookOptions options;
  options.secrets = std::move(secrets);
  return [options](const net::http::ServerRequest& request,
                   absl::Time now) -> absl::StatusOr<WebhookEvent> {
    return VerifyFintocWebhook(options, request.Header("fintoc-signature"), request.body, now);
  };
}

ProviderRegistration Registration() {
  ProviderRegistration registration;
  registration.name = kName;
  registration.id = payments::v1::PROVIDER_FINTOC;
  registration.build = Build;
  registration.webhook = WebhookRouteSpec{"fintoc_secrets", Verifier};
  return registration;
}

const bool kRegistered = RegisterProvider(Registration());

}  // namespace
}  // namespace providers::fintoc
