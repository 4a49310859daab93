// base64url without padding (RFC 4648 §5), as JWS and JWT use it. Built on OpenSSL's base64.
#ifndef PROVIDERS_COMMON_BASE64URL_H_
#define PROVIDERS_COMMON_BASE64URL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace providers {

std::string Base64UrlEncode(absl::string_view bytes);
// Accepts input with or without '=' padding; INVALID_ARGUMENT on any other character.
absl::StatusOr<std::string> Base64UrlDecode(absl::string_view text);

}  // namespace providers

#endif  // PROVIDERS_COMMON_BASE64URL_H_
