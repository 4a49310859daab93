// Who is calling: internal services present `authorization: Bearer <token>`; the token names
// the caller, which scopes idempotency keys and payouts (another caller's payout is NOT_FOUND).
// Tokens come from a secrets file of "caller: token" lines; with no file configured every call
// is the anonymous caller "" (the embedded default and tests).
#ifndef GATEWAY_SERVER_CALLER_AUTH_H_
#define GATEWAY_SERVER_CALLER_AUTH_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace gateway {

class CallerAuthenticator {
 public:
  // No callers: authentication off (every call is caller "").
  CallerAuthenticator() = default;
  // Parses "caller: token" lines (# comments and blank lines ignored); a caller may have
  // several lines (tokens overlapping during a rotation). INVALID_ARGUMENT names the line
  // (never the token) when one is malformed, a token repeats, or a token is shorter than 16
  // characters; INVALID_ARGUMENT too when the text has no token at all (a configured file that
  // names nobody must not turn authentication off).
  static absl::StatusOr<std::unique_ptr<CallerAuthenticator>> FromText(const std::string& text);

  // Callers named by their client certificate's common name (mutual TLS, no tokens): every
  // connection already presented a certificate the client CA signed.
  static std::unique_ptr<CallerAuthenticator> FromClientCertificates();

  bool enabled() const;
  // The caller of this call, or UNAUTHENTICATED (no token, or not a known one).
  absl::StatusOr<std::string> Authenticate(const grpc::CallbackServerContext& context) const;
  // Swaps in new tokens (rotation without a restart).
  void Replace(CallerAuthenticator&& other);

 private:
  bool by_certificate_ = false;
  mutable absl::Mutex mu_;
  std::vector<std::pair<std::string, std::string>> tokens_ ABSL_GUARDED_BY(mu_);  // caller, token
};

}  // namespace gateway

#endif  // GATEWAY_SERVER_CALLER_AUTH_H_
