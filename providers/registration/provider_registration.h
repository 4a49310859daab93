// The provider kinds linked into this binary, each by one registration its own folder brings
// (e.g. providers/monato/monato_registration.cc, a cc_library with alwayslink = 1). A
// registration says everything the gateway needs to know about its provider:
//   - its name: the `providers.<name>:` config section, the id prefix ("<name>.payout.<id>"),
//     the metrics label and the webhook path "/webhooks/<name>";
//   - how to build the adapter from that section (checking it and naming bad settings);
//   - optionally its webhook route: the verifier, and the `webhooks:` key listing its secrets;
//   - from the build: the secret files it re-reads when they rotate, and start-up steps.
// Config loading, wiring, the webhook listener, credential reload and metrics iterate these.
//
// Not to be confused with providers::ProviderRegistry (provider_registry.h): the adapters
// configured in this process, looked up by id at run time.
#ifndef PROVIDERS_REGISTRATION_PROVIDER_REGISTRATION_H_
#define PROVIDERS_REGISTRATION_PROVIDER_REGISTRATION_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "proto/payments/v1/common.pb.h"
#include "providers/provider.h"
#include "providers/registration/provider_settings.h"
#include "providers/webhook_event.h"

// Declared only, so that code reading the registrations (config loading) does not pull in the
// HTTP stack; builders and verifiers include net/http/ themselves.
namespace net::http {
class BeastHttpClient;
struct ServerRequest;
}  // namespace net::http

namespace providers {

// What the gateway lends a registration while it builds an adapter.
struct BuildContext {
  // One line of the gateway's log: `event` at info level when `status` is OK, else at error
  // level with the status message as "error". Never pass secrets.
  std::function<void(absl::string_view event, const absl::Status& status)> log;
};

// A set of secret files whose change is put in use without a restart.
struct SecretWatch {
  std::string setting;             // what the log names, e.g. "providers.monato.credentials"
  std::vector<std::string> files;  // re-read together when any of them changes
  std::function<absl::Status()> reload;
};

// Told once the webhook listener serves, when webhooks.public_url is set.
struct WebhooksListening {
  std::string url;                   // where this provider should call: public_url + path
  std::vector<std::string> secrets;  // this provider's webhook secrets, current first
  std::function<void(absl::string_view event, const absl::Status& status)> log;
  // Called once when this provider's start-up step has ended, at once when it has nothing to
  // do (tests wait on it: GatewayProcess::WaitForStartupSteps).
  std::function<void(absl::Status)> done;
};

// An adapter built from its config section, and what comes with it.
struct BuiltAdapter {
  std::unique_ptr<Provider> adapter;
  // Its HTTPS client, if it has one: the gateway shuts it down first and reports its pool
  // (gateway_provider_connections) for `origin`, the base URL's scheme://host:port. Shared
  // only so that code without an HTTP client need not see its definition; the gateway is its
  // one owner.
  std::shared_ptr<net::http::BeastHttpClient> http;
  std::string origin;
  std::vector<SecretWatch> secret_watches;
  // Start-up steps once webhooks are served (e.g. Monato registers its URL); may be empty.
  std::function<void(const WebhooksListening&)> on_webhooks_listening;
};

// Authenticates a webhook request (nothing changes before this) and translates it.
// UNAUTHENTICATED: 401; any other error: 400.
using WebhookVerifier = std::function<absl::StatusOr<WebhookEvent>(
    const net::http::ServerRequest& request, absl::Time now)>;

struct WebhookRouteSpec {
  // The key under `webhooks:` listing this provider's secrets (e.g. "fintoc_secrets"); the
  // secrets read from it, current first, are handed to `verifier`.
  std::string secrets_key;
  std::function<WebhookVerifier(std::vector<std::string> secrets)> verifier;
};

struct ProviderRegistration {
  // Lower case, letters, digits and '_'; must equal gateway::ProviderName(id), which derives
  // it from the enum value's name (PROVIDER_MONATO -> "monato").
  std::string name;
  payments::v1::Provider id = payments::v1::PROVIDER_UNSPECIFIED;
  // Builds the adapter from the provider's enabled section; errors name the setting
  // ("providers.<name>.<key> ...").
  std::function<absl::StatusOr<BuiltAdapter>(const ProviderSettings& settings,
                                             const BuildContext& context)>
      build;
  absl::optional<WebhookRouteSpec> webhook;
};

// The webhook path of a provider: "/webhooks/<name>".
std::string WebhookPath(absl::string_view name);

// Adds a provider kind; called from a static initializer:
//   const bool kRegistered = providers::RegisterProvider(MonatoRegistration());
// Aborts with a message on a programming error (a name that is not its enum value's, or a
// name or id registered twice): every test linking the registration catches it.
bool RegisterProvider(ProviderRegistration registration);

// Every linked provider kind, in enum order.
std::vector<const ProviderRegistration*> LinkedProviders();
// nullptr when no provider kind of that name is linked.
const ProviderRegistration* FindLinkedProvider(absl::string_view name);

}  // namespace providers

#endif  // PROVIDERS_REGISTRATION_PROVIDER_REGISTRATION_H_
