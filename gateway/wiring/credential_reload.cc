#include "gateway/wiring/credential_reload.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "providers/fintoc/fintoc_provider.h"
#include "providers/monato/monato_provider.h"

namespace gateway {
namespace {

// The file paths of `names` in a provider's credentials, or empty if any is not a file.
std::vector<std::string> CredentialFiles(const GatewayConfig& config, const std::string& provider,
                                         const std::vector<std::string>& names) {
  auto settings = config.providers.find(provider);
  if (settings == config.providers.end()) return {};
  std::vector<std::string> files;
  for (const std::string& name : names) {
    auto ref = settings->second.credentials.find(name);
    if (ref == settings->second.credentials.end() || ref->second.file.empty()) return {};
    files.push_back(ref->second.file);
  }
  return files;
}

absl::StatusOr<std::string> Reread(const std::string& file) {
  return ReadSecret(SecretRef{file, ""});
}

}  // namespace

void WatchCredentials(const GatewayConfig& config, BuiltProviders* built, CallerAuthenticator* auth,
                      CredentialWatcher* watcher) {
  if (auth != nullptr && !config.callers.file.empty()) {
    watcher->Watch("server.callers", {config.callers.file},
                   [auth, file = config.callers.file]() -> absl::Status {
                     auto text = Reread(file);
                     if (!text.ok()) return text.status();
                     auto parsed = CallerAuthenticator::FromText(*text);
                     if (!parsed.ok()) {
                       // Named by file, never by content; the tokens in use stay.
                       return absl::Status(parsed.status().code(),
                                           absl::StrCat(file, ": ", parsed.status().message()));
                     }
                     auth->Replace(std::move(**parsed));
                     return absl::OkStatus();
                   });
  }
  if (built->monato != nullptr) {
    const auto files = CredentialFiles(config, "monato", {"api_key", "client_secret"});
    if (!files.empty()) {
      watcher->Watch("providers.monato.credentials", files,
                     [monato = built->monato, files]() -> absl::Status {
                       auto api_key = Reread(files[0]);
                       auto client_secret = Reread(files[1]);
                       if (!api_key.ok()) return api_key.status();
                       if (!client_secret.ok()) return client_secret.status();
                       if (api_key->empty() || client_secret->empty()) {
                         return absl::FailedPreconditionError("an empty Monato credential");
                       }
                       monato->session().tokens().SetCredentials(*std::move(api_key),
                                                                 *std::move(client_secret));
                       return absl::OkStatus();
                     });
    }
  }
  if (built->fintoc != nullptr) {
    const auto files = CredentialFiles(config, "fintoc", {"secret_key"});
    if (!files.empty()) {
      watcher->Watch("providers.fintoc.credentials.secret_key", files,
                     [fintoc = built->fintoc, file = files[0]]() -> absl::Status {
                       auto key = Reread(file);
                       if (!key.ok()) return key.status();
                       return fintoc->RotateSecretKey(*std::move(key));
                     });
    }
  }
}

}  // namespace gateway
