// Strict base64url (RFC 4648 §5) decoding for the simulators' JWS and JWT checks. Encoding is
// absl::WebSafeBase64Escape (no padding) and needs no wrapper.
#ifndef SANDBOX_COMMON_BASE64URL_H_
#define SANDBOX_COMMON_BASE64URL_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace sandbox {

// Strict: only [A-Za-z0-9_-], no padding, no whitespace, and the canonical encoding of its
// result (so two different strings never decode to the same bytes). nullopt otherwise.
absl::optional<std::string> Base64UrlDecode(absl::string_view text);

}  // namespace sandbox

#endif  // SANDBOX_COMMON_BASE64URL_H_
