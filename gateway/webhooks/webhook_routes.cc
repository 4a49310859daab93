#include "gateway/webhooks/webhook_routes.h"

namespace gateway {

std::vector<WebhookRoute> LinkedWebhookRoutes(
    const std::map<std::string, std::vector<std::string>>& secrets) {
  std::vector<WebhookRoute> routes;
  for (const providers::ProviderRegistration* linked : providers::LinkedProviders()) {
    if (!linked->webhook.has_value()) continue;
    auto it = secrets.find(linked->name);
    routes.push_back(
        {linked->name, providers::WebhookPath(linked->name),
         linked->webhook->verifier(it == secrets.end() ? std::vector<std::string>{} : it->second)});
  }
  return routes;
}

}  // namespace gateway
