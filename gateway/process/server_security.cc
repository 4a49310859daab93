#include "gateway/process/server_security.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace gateway {

absl::StatusOr<ServerSecurity> LoadServerSecurity(const GatewayConfig& config) {
  ServerSecurity security;
  if (!config.callers.file.empty() || !config.callers.env.empty()) {
    auto text = ReadSecret(config.callers);
    auto parsed = text.ok() ? CallerAuthenticator::FromText(*text)
                            : absl::StatusOr<std::unique_ptr<CallerAuthenticator>>(text.status());
    if (!parsed.ok()) {
      return absl::Status(parsed.status().code(),
                          absl::StrCat("server.callers (",
                                       config.callers.file.empty() ? "env " + config.callers.env
                                                                   : config.callers.file,
                                       "): ", parsed.status().message()));
    }
    security.auth = *std::move(parsed);
  }
  if (!config.tls_cert_file.empty()) {
    security.tls = std::make_unique<ServerTls>();
    ServerTls& tls = *security.tls;
    for (auto [file, target] :
         {std::pair<const std::string*, std::string*>{&config.tls_cert_file, &tls.cert_chain_pem},
          {&config.tls_key_file, &tls.private_key_pem},
          {&config.tls_client_ca_file, &tls.client_ca_pem}}) {
      if (file->empty()) continue;
      auto pem = ReadSecret(SecretRef{*file, ""});
      if (!pem.ok()) {
        return absl::Status(pem.status().code(),
                            absl::StrCat("server TLS: ", pem.status().message()));
      }
      *target = *std::move(pem);
    }
    if (security.auth == nullptr && !tls.client_ca_pem.empty()) {
      security.auth = CallerAuthenticator::FromClientCertificates();
    }
  }
  return security;
}

}  // namespace gateway
