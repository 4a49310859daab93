#include "providers/monato/token_cache.h"

#include <algorithm>
#include <utility>

#include <boost/json/serialize.hpp>

#include "absl/strings/str_cat.h"
#include "providers/common/json_fields.h"
#include "providers/monato/jwt_expiry.h"

namespace providers::monato {
namespace {

// When the JWT carries no usable exp, trust the token this long (as third-party clients do).
constexpr absl::Duration kFallbackLifetime = absl::Hours(1);

}  // namespace

TokenCache::TokenCache(net::http::HttpClient* http, TokenCacheOptions options)
    : http_(http),
      options_(std::move(options)),
      api_key_(options_.api_key),
      client_secret_(options_.client_secret) {}

void TokenCache::SetCredentials(std::string api_key, std::string client_secret) {
  absl::MutexLock lock(&mu_);
  api_key_ = std::move(api_key);
  client_secret_ = std::move(client_secret);
  // A fetch already in flight used the old credentials; its token still works until Monato
  // retires them, and the next refresh uses the new ones.
  token_.clear();
  expiry_ = absl::InfinitePast();
  ++generation_;
}

std::string TokenCache::api_key() const {
  absl::MutexLock lock(&mu_);
  return api_key_;
}

void TokenCache::Get(TokenCallback done) {
  CachedToken token;
  bool start_fetch = false;
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = options_.now();
    // Neither margin may exceed half the token's lifetime: a short-lived token would otherwise
    // be refreshed on every call, or never be usable at all.
    const absl::Duration half_life = lifetime_ / 2;
    const bool usable =
        !token_.empty() && now < expiry_ - std::min(options_.expiry_safety, half_life);
    const bool due = !usable || now >= expiry_ - std::min(options_.refresh_ahead, half_life);
    if (due && !fetching_) {
      fetching_ = true;
      start_fetch = true;
    }
    if (usable) {
      token = CachedToken{token_, generation_};
    } else {
      waiters_.push_back(std::move(done));
    }
  }
  if (start_fetch) StartFetch();
  if (!token.value.empty()) done(std::move(token));
}

void TokenCache::Invalidate(int64_t generation) {
  absl::MutexLock lock(&mu_);
  if (generation == generation_ && !token_.empty()) {
    token_.clear();
    expiry_ = absl::InfinitePast();
  }
}

void TokenCache::StartFetch() {
  ++fetches_;
  net::http::HttpRequest request;
  request.method = "POST";
  request.url = absl::StrCat(options_.base_url, "/v1/clients/", options_.client_id,
                             "/auth/credential-tokens");
  std::string api_key;
  std::string client_secret;
  {
    absl::MutexLock lock(&mu_);
    api_key = api_key_;
    client_secret = client_secret_;
  }
  request.headers = {{"Content-Type", "application/json"},
                     {"Accept", "application/json"},
                     {"x-api-key", std::move(api_key)}};
  request.body = boost::json::serialize(boost::json::object{
      {"client_id", options_.client_id}, {"client_secret", std::move(client_secret)}});
  request.deadline = options_.now() + options_.fetch_timeout;
  request.safe_to_retry = true;  // a second token is harmless
  http_->Send(std::move(request), [this](absl::StatusOr<net::http::HttpResponse> response) {
    OnFetched(std::move(response));
  });
}

void TokenCache::OnFetched(absl::StatusOr<net::http::HttpResponse> response) {
  absl::StatusOr<CachedToken> result;
  absl::Time expiry = absl::InfinitePast();
  if (!response.ok()) {
    result = absl::UnavailableError(
        absl::StrCat("Monato token endpoint unreachable: ", response.status().message()));
  } else if (response->status == 401 || response->status == 403) {
    result = absl::UnauthenticatedError(
        absl::StrCat("Monato refused the gateway's API key or client credentials (HTTP ",
                     response->status, "); check providers.monato credentials"));
  } else if (response->status < 200 || response->status >= 300) {
    result = absl::UnavailableError(
        absl::StrCat("Monato token endpoint answered HTTP ", response->status));
  } else {
    auto body = ParseJsonObject(response->body);
    absl::optional<std::string> token = body.ok() ? OptionalString(*body, "token") : absl::nullopt;
    if (!token.has_value()) {
      result = absl::UnavailableError("Monato token endpoint answered without a token");
    } else {
      auto exp = JwtExpiry(*token);
      expiry = exp.ok() ? *exp : options_.now() + kFallbackLifetime;
      result = CachedToken{*std::move(token), 0};
    }
  }
  if (options_.on_fetched) options_.on_fetched(result.status());
  std::vector<TokenCallback> waiters;
  {
    absl::MutexLock lock(&mu_);
    fetching_ = false;
    if (result.ok()) {
      result->generation = ++generation_;
      token_ = result->value;
      expiry_ = expiry;
      lifetime_ = std::max(expiry - options_.now(), absl::ZeroDuration());
    }
    waiters.swap(waiters_);
  }
  for (auto& waiter : waiters) waiter(result);
}

}  // namespace providers::monato
