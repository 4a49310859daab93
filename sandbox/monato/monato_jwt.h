// Monato's access tokens: HS256 JWTs whose payload is only {"client_id":"...","exp":N}
// (docs/providers/monato.md#time-formats), signed here with a sandbox secret.
#ifndef SANDBOX_MONATO_MONATO_JWT_H_
#define SANDBOX_MONATO_MONATO_JWT_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace sandbox {

struct MonatoJwtClaims {
  std::string client_id;
  int64_t exp = 0;  // Unix seconds
};

std::string IssueMonatoJwt(absl::string_view secret, const MonatoJwtClaims& claims);

// The claims of a well-formed token with a valid HS256 signature; nullopt otherwise.
// Does not look at the time: expiry is the caller's decision.
absl::optional<MonatoJwtClaims> VerifyMonatoJwt(absl::string_view secret, absl::string_view token);

}  // namespace sandbox

#endif  // SANDBOX_MONATO_MONATO_JWT_H_
