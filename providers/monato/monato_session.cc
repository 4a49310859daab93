#include "providers/monato/monato_session.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"

namespace providers::monato {

MonatoSession::MonatoSession(net::http::HttpClient* http, TokenCacheOptions token_options)
    : http_(http), options_(token_options), tokens_(http, std::move(token_options)) {}

void MonatoSession::Send(std::string method, std::string path, std::string body,
                         net::http::Headers extra_headers, absl::Time deadline, bool safe_to_retry,
                         net::http::ResponseCallback done) {
  net::http::HttpRequest request;
  request.method = std::move(method);
  request.url = absl::StrCat(options_.base_url, path);
  request.headers = {{"Accept", "application/json"}, {"x-api-key", tokens_.api_key()}};
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  for (auto& header : extra_headers) request.headers.push_back(std::move(header));
  request.body = std::move(body);
  request.deadline = deadline;
  request.safe_to_retry = safe_to_retry;
  SendWithToken(std::move(request), /*first_try=*/true, std::move(done));
}

void MonatoSession::SendWithToken(net::http::HttpRequest request, bool first_try,
                                  net::http::ResponseCallback done) {
  tokens_.Get([this, request = std::move(request), first_try,
               done = std::move(done)](absl::StatusOr<CachedToken> token) mutable {
    if (!token.ok()) return done(token.status());
    net::http::HttpRequest attempt = request;
    attempt.headers.emplace_back("Authorization", absl::StrCat("Bearer ", token->value));
    http_->Send(std::move(attempt),
                [this, request = std::move(request), first_try, used = token->generation,
                 done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
                  if (response.ok() && response->status == 401 && first_try) {
                    // Expired or revoked early: one new token, one more try. A 401 is never
                    // processed, so repeating even a money_out is safe (it also carries its
                    // idempotency key).
                    tokens_.Invalidate(used);
                    return SendWithToken(std::move(request), /*first_try=*/false, std::move(done));
                  }
                  done(std::move(response));
                });
  });
}

}  // namespace providers::monato
