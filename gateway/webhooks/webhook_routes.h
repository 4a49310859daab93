// The webhook listener's routes: one per linked provider whose registration has a webhook
// route (providers/registration/provider_registration.h), at "/webhooks/<name>".
#ifndef GATEWAY_WEBHOOKS_WEBHOOK_ROUTES_H_
#define GATEWAY_WEBHOOKS_WEBHOOK_ROUTES_H_

#include <map>
#include <string>
#include <vector>

#include "gateway/webhooks/webhook_service.h"

namespace gateway {

// `secrets` by provider name, current first; a provider missing there gets a route with no
// secrets (its requests are refused as unauthenticated, as the listener always did).
std::vector<WebhookRoute> LinkedWebhookRoutes(
    const std::map<std::string, std::vector<std::string>>& secrets);

}  // namespace gateway

#endif  // GATEWAY_WEBHOOKS_WEBHOOK_ROUTES_H_
