// Authenticated calls to Monato: every request carries x-api-key and a cached bearer token;
// a 401 drops the token, fetches one new token (shared by everyone who saw that 401) and
// retries the request once.
#ifndef PROVIDERS_MONATO_MONATO_SESSION_H_
#define PROVIDERS_MONATO_MONATO_SESSION_H_

#include <string>

#include "net/http/http_client.h"
#include "providers/monato/token_cache.h"

namespace providers::monato {

class MonatoSession {
 public:
  MonatoSession(net::http::HttpClient* http, TokenCacheOptions token_options);

  // `path` is appended to the base URL ("/v1/banks?page=1"). `body` empty means no body.
  // Answers with any HTTP response (the caller maps statuses) or a transport/token error.
  void Send(std::string method, std::string path, std::string body,
            net::http::Headers extra_headers, absl::Time deadline, bool safe_to_retry,
            net::http::ResponseCallback done);

  const std::string& client_id() const { return options_.client_id; }
  TokenCache& tokens() { return tokens_; }

 private:
  void SendWithToken(net::http::HttpRequest request, bool first_try,
                     net::http::ResponseCallback done);

  net::http::HttpClient* http_;
  const TokenCacheOptions options_;
  TokenCache tokens_;
};

}  // namespace providers::monato

#endif  // PROVIDERS_MONATO_MONATO_SESSION_H_
