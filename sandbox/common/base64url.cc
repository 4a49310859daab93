#include "sandbox/common/base64url.h"

#include "absl/strings/escaping.h"

namespace sandbox {

absl::optional<std::string> Base64UrlDecode(absl::string_view text) {
  // absl::WebSafeBase64Unescape also accepts '=' padding, embedded whitespace and non-zero
  // trailing bits. A strict simulator must refuse those (encoding_test), and all three are exactly
  // the inputs whose re-encoding differs from the text, so one comparison keeps it strict.
  std::string out;
  if (!absl::WebSafeBase64Unescape(text, &out) || absl::WebSafeBase64Escape(out) != text) {
    return absl::nullopt;
  }
  return out;
}

}  // namespace sandbox
