#include "providers/registration/provider_registration.h"

#include <cstdio>
#include <cstdlib>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "vocabulary/resource_id.h"

namespace providers {
namespace {

struct Linked {
  absl::Mutex mu;
  std::map<payments::v1::Provider, std::unique_ptr<const ProviderRegistration>> by_id
      ABSL_GUARDED_BY(mu);
};

// Built on first use: registrations run from static initializers in any order.
Linked& LinkedSet() {
  static Linked* linked = new Linked;
  return *linked;
}

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "provider registration: %s\n", message.c_str());
  std::abort();
}

}  // namespace

std::string WebhookPath(absl::string_view name) { return absl::StrCat("/webhooks/", name); }

bool RegisterProvider(ProviderRegistration registration) {
  if (registration.name.empty() || registration.name != gateway::ProviderName(registration.id)) {
    Die(absl::StrCat("\"", registration.name, "\" is not the name of its enum value ",
                     payments::v1::Provider_Name(registration.id),
                     " (add the value to payments.v1.Provider; the name is its lower-case tail)"));
  }
  if (!registration.build) Die(absl::StrCat(registration.name, " has no build function"));
  if (registration.webhook.has_value() &&
      (registration.webhook->secrets_key.empty() || !registration.webhook->verifier)) {
    Die(absl::StrCat(registration.name, "'s webhook route needs a secrets key and a verifier"));
  }
  Linked& linked = LinkedSet();
  absl::MutexLock lock(&linked.mu);
  const payments::v1::Provider id = registration.id;
  if (linked.by_id.count(id) != 0) Die(absl::StrCat(registration.name, " is registered twice"));
  linked.by_id[id] = std::make_unique<const ProviderRegistration>(std::move(registration));
  return true;
}

std::vector<const ProviderRegistration*> LinkedProviders() {
  Linked& linked = LinkedSet();
  absl::MutexLock lock(&linked.mu);
  std::vector<const ProviderRegistration*> out;
  for (const auto& [id, registration] : linked.by_id) out.push_back(registration.get());
  return out;
}

const ProviderRegistration* FindLinkedProvider(absl::string_view name) {
  for (const ProviderRegistration* registration : LinkedProviders()) {
    if (registration->name == name) return registration;
  }
  return nullptr;
}

}  // namespace providers
