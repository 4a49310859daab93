#include "gateway/wiring/credential_reload.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "vocabulary/status_macros.h"

namespace gateway {
namespace {

absl::StatusOr<std::string> Reread(const std::string& file) {
  return ReadSecret(SecretRef{file, ""});
}

}  // namespace

void WatchCredentials(const GatewayConfig& config, BuiltProviders* built, CallerAuthenticator* auth,
                      CredentialWatcher* watcher) {
  if (auth != nullptr && !config.callers.file.empty()) {
    watcher->Watch("server.callers", {config.callers.file},
                   [auth, file = config.callers.file]() -> absl::Status {
                     ASSIGN_OR_RETURN(auto text, Reread(file));
                     auto parsed = CallerAuthenticator::FromText(text);
                     if (!parsed.ok()) {
                       // Named by file, never by content; the tokens in use stay.
                       return absl::Status(parsed.status().code(),
                                           absl::StrCat(file, ": ", parsed.status().message()));
                     }
                     auth->Replace(std::move(**parsed));
                     return absl::OkStatus();
                   });
  }
  // Each provider's own rotating secrets, as its registration declared them.
  for (const BuiltProviders::Extras& extras : built->extras) {
    for (const providers::SecretWatch& watch : extras.secret_watches) {
      watcher->Watch(watch.setting, watch.files, watch.reload);
    }
  }
}

}  // namespace gateway
