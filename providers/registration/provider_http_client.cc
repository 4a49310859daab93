#include "providers/registration/provider_http_client.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "net/http/url.h"

namespace providers {

absl::StatusOr<std::unique_ptr<net::http::BeastHttpClient>> ProviderHttpClient(
    const ProviderSettings& settings, const std::string& provider) {
  net::http::BeastHttpClientOptions options;
  options.ca_file = settings.ca_file;
  options.request_timeout = settings.timeout;
  if (auto pool = settings.options.find("max_connections"); pool != settings.options.end()) {
    if (!absl::SimpleAtoi(pool->second, &options.max_connections_per_origin) ||
        options.max_connections_per_origin < 1) {
      return absl::FailedPreconditionError(
          absl::StrCat("providers.", provider, ".max_connections must be a whole number >= 1"));
    }
  }
  if (auto attempts = settings.options.find("max_attempts"); attempts != settings.options.end()) {
    if (!absl::SimpleAtoi(attempts->second, &options.retry.max_attempts) ||
        options.retry.max_attempts < 1 || options.retry.max_attempts > 10) {
      return absl::FailedPreconditionError(
          absl::StrCat("providers.", provider, ".max_attempts must be 1 to 10"));
    }
  }
  auto client = net::http::BeastHttpClient::Create(options);
  if (!client.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("providers.", provider, ": ", client.status().message()));
  }
  return client;
}

std::string OriginOf(const std::string& base_url) {
  auto url = net::http::ParseUrl(base_url);
  return url.ok() ? url->Origin() : "";
}

}  // namespace providers
