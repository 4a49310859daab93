// The configured providers, looked up by the provider an id or request names.
#ifndef PROVIDERS_PROVIDER_REGISTRY_H_
#define PROVIDERS_PROVIDER_REGISTRY_H_

#include <map>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "providers/provider.h"

namespace providers {

class ProviderRegistry {
 public:
  // Takes ownership; a second provider with the same id replaces the first.
  void Add(std::unique_ptr<Provider> provider);

  // FAILED_PRECONDITION naming the provider when it is not configured here.
  absl::StatusOr<Provider*> Find(payments::v1::Provider id) const;
  // Every configured provider, in enum order (Monato, then Fintoc).
  std::vector<Provider*> All() const;

 private:
  std::map<payments::v1::Provider, std::unique_ptr<Provider>> providers_;
};

}  // namespace providers

#endif  // PROVIDERS_PROVIDER_REGISTRY_H_
