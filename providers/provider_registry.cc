#include "providers/provider_registry.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace providers {

void ProviderRegistry::Add(std::unique_ptr<Provider> provider) {
  const payments::v1::Provider id = provider->id();
  providers_[id] = std::move(provider);
}

absl::StatusOr<Provider*> ProviderRegistry::Find(payments::v1::Provider id) const {
  auto it = providers_.find(id);
  if (it == providers_.end()) {
    return absl::FailedPreconditionError(absl::StrCat("provider ", payments::v1::Provider_Name(id),
                                                      " is not configured on this gateway"));
  }
  return it->second.get();
}

std::vector<Provider*> ProviderRegistry::All() const {
  std::vector<Provider*> out;
  for (const auto& [id, provider] : providers_) out.push_back(provider.get());
  return out;
}

}  // namespace providers
