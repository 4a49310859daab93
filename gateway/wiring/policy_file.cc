#include "gateway/wiring/policy_file.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/config/config.h"

namespace gateway {

absl::StatusOr<std::unique_ptr<PolicyBook>> LoadPolicyFile(const std::string& file) {
  auto text = ReadSecret(SecretRef{file, ""});
  auto parsed = text.ok() ? PolicyBook::FromYaml(*text)
                          : absl::StatusOr<std::unique_ptr<PolicyBook>>(text.status());
  if (!parsed.ok()) {
    return absl::Status(parsed.status().code(), absl::StrCat("server.policies_file (", file,
                                                             "): ", parsed.status().message()));
  }
  return parsed;
}

void WatchPolicyFile(const std::string& file, PolicyBook* policies, CredentialWatcher* watcher) {
  watcher->Watch("server.policies", {file}, [file, policies]() -> absl::Status {
    auto loaded = LoadPolicyFile(file);
    if (!loaded.ok()) return loaded.status();  // logged by the watcher; the old book stays
    policies->Replace(std::move(**loaded));
    return absl::OkStatus();
  });
}

}  // namespace gateway
