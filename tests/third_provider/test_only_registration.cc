// TEST ONLY: everything the gateway needs to know about the "test_only" provider, as a real
// provider's folder brings it (compare providers/monato/monato_registration.cc):
//   providers.test_only:   credentials.api_key (required; rotated without a restart)
//   webhooks.test_only_tokens: [secret refs]; POST /webhooks/test_only with the header
//     X-Test-Only-Token and {"event_id": "...", "transfer_id": "t1", "status": "settled"}
#include "tests/third_provider/test_only_registration.h"

#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "net/http/http_server.h"
#include "providers/registration/provider_registration.h"
#include "vocabulary/status_macros.h"

namespace third_provider {
namespace {

constexpr char kName[] = "test_only";

std::atomic<InMemoryProvider*> last_built{nullptr};

absl::StatusOr<providers::BuiltAdapter> Build(const providers::ProviderSettings& settings,
                                              const providers::BuildContext&) {
  ASSIGN_OR_RETURN(auto api_key, providers::RequiredSecret(settings, kName, "api_key"));
  auto adapter = std::make_unique<InMemoryProvider>();
  InMemoryProvider* raw = adapter.get();
  raw->SetApiKey(std::move(api_key));
  last_built = raw;
  providers::BuiltAdapter built;
  built.adapter = std::move(adapter);
  if (const auto ref = settings.credentials.find("api_key");
      ref != settings.credentials.end() && !ref->second.file.empty()) {
    built.secret_watches.push_back(
        {"providers.test_only.credentials.api_key",
         {ref->second.file},
         [raw, file = ref->second.file]() -> absl::Status {
           ASSIGN_OR_RETURN(auto key, providers::ReadSecret(providers::SecretRef{file, ""}));
           raw->SetApiKey(std::move(key));
           return absl::OkStatus();
         }});
  }
  built.on_webhooks_listening = [raw](const providers::WebhooksListening& listening) {
    raw->RegisterWebhookUrl(listening.url);
    listening.done(absl::OkStatus());
  };
  return built;
}

absl::StatusOr<providers::WebhookEvent> Parse(const std::string& body) {
  boost::system::error_code error;
  const boost::json::value json = boost::json::parse(body, error);
  const boost::json::object* object = error ? nullptr : json.if_object();
  if (object == nullptr) return absl::InvalidArgumentError("the body is not a JSON object");
  auto text = [object](const char* key) -> std::string {
    const boost::json::value* value = object->if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
  };
  providers::WebhookEvent event;
  event.provider = payments::v1::PROVIDER_TEST_ONLY;
  event.kind = providers::WebhookEvent::Kind::kPayoutStatus;
  event.event_id = text("event_id");
  event.provider_payout_id = text("transfer_id");
  event.provider_status = text("status");
  if (event.provider_status == "settled") {
    event.status = payments::v1::PAYOUT_STATUS_SUCCEEDED;
  } else if (event.provider_status == "failed") {
    event.status = payments::v1::PAYOUT_STATUS_FAILED;
  } else {
    return absl::InvalidArgumentError("status must be settled or failed");
  }
  if (event.event_id.empty() || event.provider_payout_id.empty()) {
    return absl::InvalidArgumentError("event_id and transfer_id are required");
  }
  return event;
}

providers::WebhookVerifier Verifier(std::vector<std::string> tokens) {
  return [tokens = std::move(tokens)](const net::http::ServerRequest& request,
                                      absl::Time) -> absl::StatusOr<providers::WebhookEvent> {
    const std::string presented = request.Header(kTokenHeader);
    bool known = false;
    for (const std::string& token : tokens)
      known = known || (!presented.empty() && presented == token);
    if (!known) return absl::UnauthenticatedError("unknown X-Test-Only-Token");
    return Parse(request.body);
  };
}

providers::ProviderRegistration Registration() {
  providers::ProviderRegistration registration;
  registration.name = kName;
  registration.id = payments::v1::PROVIDER_TEST_ONLY;
  registration.build = Build;
  registration.webhook = providers::WebhookRouteSpec{"test_only_tokens", Verifier};
  return registration;
}

const bool kRegistered = providers::RegisterProvider(Registration());

}  // namespace

InMemoryProvider* LastBuiltAdapter() { return last_built.load(); }

}  // namespace third_provider
