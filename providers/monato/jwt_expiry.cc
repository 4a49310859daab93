#include "providers/monato/jwt_expiry.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "providers/common/json_fields.h"

namespace providers::monato {

absl::StatusOr<absl::Time> JwtExpiry(absl::string_view token) {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return absl::InvalidArgumentError("token is not a JWT");
  std::string payload;
  if (!absl::WebSafeBase64Unescape(parts[1], &payload)) {
    return absl::InvalidArgumentError("JWT payload is not base64url");
  }
  auto claims = ParseJsonObject(payload);
  if (!claims.ok()) return absl::InvalidArgumentError("JWT payload is not a JSON object");
  const boost::json::value* exp = claims->if_contains("exp");
  if (exp == nullptr || !exp->is_int64()) {
    return absl::InvalidArgumentError("JWT has no integer exp claim");
  }
  return absl::FromUnixSeconds(exp->as_int64());
}

}  // namespace providers::monato
