// STP in the gateway: its `providers.stp:` section, the adapter with its signing key (a
// passphrase-protected PEM file, re-read when it rotates), and its webhook route (a shared
// token, then state changes re-read by tracking key). Linked by one BUILD dep (alwayslink);
// like every provider, it is built only when its section is configured and enabled.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "net/http/http_server.h"
#include "providers/registration/provider_http_client.h"
#include "providers/registration/provider_registration.h"
#include "providers/stp/stp_provider.h"
#include "providers/stp/stp_signer.h"
#include "providers/stp/stp_webhook.h"
#include "vocabulary/status_macros.h"

namespace providers::stp {
namespace {

constexpr char kName[] = "stp";

absl::StatusOr<StpOptions> OptionsFrom(const ProviderSettings& settings) {
  StpOptions options;
  options.base_url = settings.base_url;
  if (options.base_url.empty()) {
    return absl::FailedPreconditionError("providers.stp.base_url is not configured");
  }
  ASSIGN_OR_RETURN(options.order.empresa, RequiredOption(settings, kName, "empresa"));
  ASSIGN_OR_RETURN(options.cuenta_ordenante, RequiredOption(settings, kName, "cuenta_ordenante"));
  if (auto it = settings.options.find("nombre_ordenante"); it != settings.options.end()) {
    options.order.nombre_ordenante = it->second;
  }
  if (auto it = settings.options.find("tracking_key_prefix"); it != settings.options.end()) {
    options.tracking_key_prefix = it->second;
  }
  if (auto it = settings.options.find("tracking_key_lifetime"); it != settings.options.end()) {
    // Must stay under one STP operating day (docs/providers/stp.md#idempotency).
    if (!absl::ParseDuration(it->second, &options.tracking_key_lifetime) ||
        options.tracking_key_lifetime <= absl::ZeroDuration() ||
        options.tracking_key_lifetime > absl::Hours(12)) {
      return absl::FailedPreconditionError(
          "providers.stp.tracking_key_lifetime must be a duration in (0, 12h]");
    }
  }
  if (settings.max_payout_minor > 0) options.max_payout_minor = settings.max_payout_minor;
  return options;
}

absl::StatusOr<std::unique_ptr<StpSigner>> SignerFrom(const ProviderSettings& settings,
                                                      const BuildContext& context) {
  auto key = settings.credentials.find("private_key");
  if (key == settings.credentials.end() || key->second.file.empty()) {
    return absl::FailedPreconditionError(
        "providers.stp.credentials.private_key must be {file: PATH} of the PEM key");
  }
  StpSignerOptions signer;
  signer.private_key_path = key->second.file;
  if (settings.credentials.count("private_key_passphrase") > 0) {
    ASSIGN_OR_RETURN(signer.passphrase, RequiredSecret(settings, kName, "private_key_passphrase"));
  }
  signer.on_reload = [log = context.log](const absl::Status& status) {
    log(status.ok() ? "stp_signing_key_reloaded" : "stp_signing_key_reload_failed", status);
  };
  auto created = StpSigner::Create(std::move(signer));
  if (!created.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("providers.stp.credentials.private_key: ", created.status().message()));
  }
  return created;
}

absl::StatusOr<BuiltAdapter> Build(const ProviderSettings& settings, const BuildContext& context) {
  ASSIGN_OR_RETURN(auto options, OptionsFrom(settings));
  ASSIGN_OR_RETURN(auto signer, SignerFrom(settings, context));
  ASSIGN_OR_RETURN(auto http, ProviderHttpClient(settings, kName));
  BuiltAdapter built;
  built.origin = OriginOf(options.base_url);
  built.adapter = std::make_unique<StpProvider>(http.get(), std::move(signer), std::move(options));
  built.http = std::move(http);
  return built;
}

// The token in the URL registered with STP (?token=...), or a proxy's X-Webhook-Token header.
WebhookVerifier Verifier(std::vector<std::string> tokens) {
  return [tokens = std::move(tokens)](const net::http::ServerRequest& request,
                                      absl::Time) -> absl::StatusOr<WebhookEvent> {
    std::string presented = request.QueryParam("token");
    if (presented.empty()) presented = request.Header("x-webhook-token");
    return VerifyStpNotification(tokens, presented, request.body);
  };
}

ProviderRegistration Registration() {
  ProviderRegistration registration;
  registration.name = kName;
  registration.id = payments::v1::PROVIDER_STP;
  registration.build = Build;
  registration.webhook = WebhookRouteSpec{"stp_tokens", Verifier};
  return registration;
}

const bool kRegistered = RegisterProvider(Registration());

}  // namespace
}  // namespace providers::stp
