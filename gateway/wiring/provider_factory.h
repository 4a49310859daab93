// Builds the configured providers: one HTTPS client per provider (its CA bundle, timeout and
// pool), credentials read from their secret files or environment variables, and the adapter.
#ifndef GATEWAY_WIRING_PROVIDER_FACTORY_H_
#define GATEWAY_WIRING_PROVIDER_FACTORY_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/config/config.h"
#include "providers/fintoc/fintoc_provider.h"
#include "net/http/beast_http_client.h"
#include "providers/monato/monato_provider.h"
#include "providers/provider_registry.h"

namespace gateway {

// Owns what the registry's providers use; destroy it after the server has stopped. The HTTP
// clients are declared last so they are destroyed first: their threads stop before the
// adapters they call back into go away.
struct BuiltProviders {
  providers::ProviderRegistry registry;
  // The Monato adapter, when configured: the gateway registers its webhook URL with it.
  providers::monato::MonatoProvider* monato = nullptr;
  // The Fintoc adapter, when configured: its secret key can be rotated.
  providers::fintoc::FintocProvider* fintoc = nullptr;
  std::vector<std::unique_ptr<net::http::BeastHttpClient>> http_clients;

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

}  // namespace gateway

#endif  // GATEWAY_WIRING_PROVIDER_FACTORY_H_
