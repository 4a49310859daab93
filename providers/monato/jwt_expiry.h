// Monato's credential token is an HS256 JWT whose payload carries `exp` (Unix seconds). Its
// `expires_at` field has no time zone (it is Mexico City time), so the expiry is taken from
// the JWT itself. The signature is Monato's business, not checked here.
#ifndef PROVIDERS_MONATO_JWT_EXPIRY_H_
#define PROVIDERS_MONATO_JWT_EXPIRY_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace providers::monato {

// INVALID_ARGUMENT when `token` is not a three-part JWT with an integer `exp` claim.
absl::StatusOr<absl::Time> JwtExpiry(absl::string_view token);

}  // namespace providers::monato

#endif  // PROVIDERS_MONATO_JWT_EXPIRY_H_
