// One provider's section of the configuration (`providers.<name>:`), in the shape every
// provider shares, and the secret references in it. gateway/config parses the YAML (with its
// environment overrides) into this; the provider's registration checks and uses what is
// specific to it (providers/registration/provider_registration.h).
#ifndef PROVIDERS_REGISTRATION_PROVIDER_SETTINGS_H_
#define PROVIDERS_REGISTRATION_PROVIDER_SETTINGS_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace providers {

// Where a secret lives: exactly one of a file path (Kubernetes mounts secrets as files) or an
// environment variable name.
struct SecretRef {
  std::string file;
  std::string env;
};

// Reads the secret (a file's trailing newline is dropped). Errors name the reference, never
// the value.
absl::StatusOr<std::string> ReadSecret(const SecretRef& ref);

struct ProviderSettings {
  bool enabled = false;
  std::string base_url;
  std::string ca_file;  // PEM bundle to trust; empty: the system store
  absl::Duration timeout = absl::Seconds(10);
  int64_t max_payout_minor = 0;  // 0: the provider's own default
  std::map<std::string, SecretRef> credentials;
  // Any other scalar keys, for the adapter (e.g. client_id, mode).
  std::map<std::string, std::string> options;
};

// The value of providers.<provider>.<name>; FAILED_PRECONDITION naming it when absent or empty.
absl::StatusOr<std::string> RequiredOption(const ProviderSettings& settings,
                                           const std::string& provider, const std::string& name);

// The secret providers.<provider>.credentials.<name>, read; FAILED_PRECONDITION naming the
// setting when it is not configured or cannot be read.
absl::StatusOr<std::string> RequiredSecret(const ProviderSettings& settings,
                                           const std::string& provider, const std::string& name);

}  // namespace providers

#endif  // PROVIDERS_REGISTRATION_PROVIDER_SETTINGS_H_
