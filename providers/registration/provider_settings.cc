#include "providers/registration/provider_settings.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace providers {

absl::StatusOr<std::string> ReadSecret(const SecretRef& ref) {
  if (!ref.env.empty()) {
    const char* value = std::getenv(ref.env.c_str());
    if (value == nullptr || *value == '\0') {
      return absl::FailedPreconditionError(
          absl::StrCat("secret environment variable ", ref.env, " is not set"));
    }
    return std::string(value);
  }
  std::ifstream in(ref.file, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(absl::StrCat("cannot read secret file ", ref.file));
  }
  std::stringstream content;
  content << in.rdbuf();
  std::string value = content.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  if (value.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("secret file ", ref.file, " is empty"));
  }
  return value;
}

absl::StatusOr<std::string> RequiredOption(const ProviderSettings& settings,
                                           const std::string& provider, const std::string& name) {
  auto it = settings.options.find(name);
  if (it == settings.options.end() || it->second.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("providers.", provider, ".", name, " is not configured"));
  }
  return it->second;
}

absl::StatusOr<std::string> RequiredSecret(const ProviderSettings& settings,
                                           const std::string& provider, const std::string& name) {
  auto it = settings.credentials.find(name);
  if (it == settings.credentials.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat("providers.", provider, ".credentials.", name, " is not configured"));
  }
  auto value = ReadSecret(it->second);
  if (!value.ok()) {
    return absl::FailedPreconditionError(absl::StrCat("providers.", provider, ".credentials.", name,
                                                      ": ", value.status().message()));
  }
  return value;
}

}  // namespace providers
