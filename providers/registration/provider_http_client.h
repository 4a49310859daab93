// The HTTPS client of one provider from the settings every provider shares: its CA bundle,
// timeout, pool size (max_connections) and attempts (max_attempts).
#ifndef PROVIDERS_REGISTRATION_PROVIDER_HTTP_CLIENT_H_
#define PROVIDERS_REGISTRATION_PROVIDER_HTTP_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "net/http/beast_http_client.h"
#include "providers/registration/provider_settings.h"

namespace providers {

// FAILED_PRECONDITION naming providers.<provider>.<key> on a bad value.
absl::StatusOr<std::unique_ptr<net::http::BeastHttpClient>> ProviderHttpClient(
    const ProviderSettings& settings, const std::string& provider);

// scheme://host:port of `base_url` (the pool key), or "" when it does not parse.
std::string OriginOf(const std::string& base_url);

}  // namespace providers

#endif  // PROVIDERS_REGISTRATION_PROVIDER_HTTP_CLIENT_H_
