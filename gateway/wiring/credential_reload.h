// Which credentials can be rotated without a restart, and how each is put in use: caller
// tokens, and each provider's secrets as its registration declares them (Monato's API key and
// client secret, Fintoc's secret key; Fintoc's JWS key reloads itself; webhook secrets rotate
// by listing old and new). Only {file: ...} secrets are watched: an environment variable
// cannot change under a running process.
#ifndef GATEWAY_WIRING_CREDENTIAL_RELOAD_H_
#define GATEWAY_WIRING_CREDENTIAL_RELOAD_H_

#include "gateway/config/config.h"
#include "gateway/server/caller_auth.h"
#include "gateway/wiring/credential_watcher.h"
#include "gateway/wiring/provider_factory.h"

namespace gateway {

// `auth` may be null (caller authentication off). Everything passed must outlive `watcher`'s
// thread.
void WatchCredentials(const GatewayConfig& config, BuiltProviders* built, CallerAuthenticator* auth,
                      CredentialWatcher* watcher);

}  // namespace gateway

#endif  // GATEWAY_WIRING_CREDENTIAL_RELOAD_H_
