// Builds the configured providers: for each enabled `providers.<name>:` section, the linked
// registration of that name (providers/registration/) builds the adapter (its HTTPS client,
// credentials, options); the gateway wraps it in its instrumentation and keeps what comes
// with it (secret files to watch, start-up steps).
#ifndef GATEWAY_WIRING_PROVIDER_FACTORY_H_
#define GATEWAY_WIRING_PROVIDER_FACTORY_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/config/config.h"
#include "net/http/beast_http_client.h"
#include "providers/provider_registry.h"
#include "providers/registration/provider_registration.h"

namespace gateway {

// Owns what the registry's providers use; destroy it after the server has stopped. The HTTP
// clients are declared last so they are destroyed first: their threads stop before the
// adapters they call back into go away.
struct BuiltProviders {
  providers::ProviderRegistry registry;

  // What each configured provider brought besides its adapter, by provider name.
  struct Extras {
    std::string provider;
    std::vector<providers::SecretWatch> secret_watches;
    std::function<void(const providers::WebhooksListening&)> on_webhooks_listening;
  };
  std::vector<Extras> extras;

  std::vector<std::shared_ptr<net::http::BeastHttpClient>> http_clients;

  // Sets gateway_provider_connections{provider, state=open|idle} from the clients' pools;
  // called before each metrics scrape.
  void UpdatePoolGauges() const;

  // (provider label, its client, the base URL's origin), for UpdatePoolGauges.
  struct PoolOf {
    std::string provider;
    const net::http::BeastHttpClient* client;
    std::string origin;
  };
  std::vector<PoolOf> pools;
};

// FAILED_PRECONDITION naming the setting when a secret cannot be read or a value is missing.
absl::StatusOr<std::unique_ptr<BuiltProviders>> BuildProviders(const GatewayConfig& config);

// The gateway's JSON log for registrations (providers::BuildContext::log): `event` at info
// level when `status` is OK, else at error level with {"error": message}.
void LogProviderEvent(absl::string_view event, const absl::Status& status);

}  // namespace gateway

#endif  // GATEWAY_WIRING_PROVIDER_FACTORY_H_
