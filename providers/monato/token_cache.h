// Monato bearer tokens: bought with x-api-key + client id/secret, cached until shortly
// before the JWT's `exp`, refreshed ahead of expiry in the background, with a single refresh
// in flight however many requests wait for it, and dropped when Monato answers 401.
#ifndef PROVIDERS_MONATO_TOKEN_CACHE_H_
#define PROVIDERS_MONATO_TOKEN_CACHE_H_

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "net/http/http_client.h"

namespace providers::monato {

struct TokenCacheOptions {
  std::string base_url;  // "https://apicore.stg.finch.lat"
  std::string client_id;
  std::string api_key;
  std::string client_secret;
  // From this long before `exp`, a request still gets the cached token but a refresh starts.
  // Both margins are capped at half of each token's lifetime (from its fetch to `exp`).
  absl::Duration refresh_ahead = absl::Minutes(5);
  // Closer than this to `exp`, the cached token is not used: requests wait for the refresh.
  absl::Duration expiry_safety = absl::Seconds(30);
  absl::Duration fetch_timeout = absl::Seconds(10);
  std::function<absl::Time()> now = [] { return absl::Now(); };
  // Called after each token fetch with its outcome (for metrics); optional.
  std::function<void(const absl::Status&)> on_fetched;
};

// A token and which fetch it came from. Monato's JWTs carry only the client and `exp` in
// seconds, so two fetches in one second can return the same string: a 401 is tied to the fetch
// (generation), not to the text, or a late 401 for the old token would drop the new one.
struct CachedToken {
  std::string value;
  int64_t generation = 0;
};

class TokenCache {
 public:
  using TokenCallback = absl::AnyInvocable<void(absl::StatusOr<CachedToken>)>;

  TokenCache(net::http::HttpClient* http, TokenCacheOptions options);

  // A usable token, at once when cached, else after the (single) refresh. Errors:
  // UNAUTHENTICATED when Monato refuses the gateway's credentials, UNAVAILABLE when the token
  // endpoint cannot be reached or answers oddly.
  void Get(TokenCallback done);
  // Monato said 401 to the token of `generation`: forget it so the next Get fetches a new one.
  // Several 401s for the same fetch's token cause one refresh; 401s for an older one, none.
  void Invalidate(int64_t generation);

  int64_t fetches() const { return fetches_.load(); }

  // Rotated credentials (secret files changed): later requests and token fetches use them, and
  // the cached token is dropped so the next request fetches one with the new credentials.
  void SetCredentials(std::string api_key, std::string client_secret);
  // The x-api-key every Monato request carries (the current one after a rotation).
  std::string api_key() const;

 private:
  void StartFetch();
  void OnFetched(absl::StatusOr<net::http::HttpResponse> response);

  net::http::HttpClient* http_;
  const TokenCacheOptions options_;
  std::atomic<int64_t> fetches_{0};
  mutable absl::Mutex mu_;
  std::string api_key_ ABSL_GUARDED_BY(mu_);
  std::string client_secret_ ABSL_GUARDED_BY(mu_);
  std::string token_ ABSL_GUARDED_BY(mu_);
  int64_t generation_ ABSL_GUARDED_BY(mu_) = 0;  // of token_: one more per fetched token
  absl::Time expiry_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Duration lifetime_ ABSL_GUARDED_BY(mu_);  // of token_: from its fetch to its expiry
  bool fetching_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<TokenCallback> waiters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace providers::monato

#endif  // PROVIDERS_MONATO_TOKEN_CACHE_H_
