#include "sandbox/common/text.h"

#include "absl/strings/ascii.h"

namespace sandbox {

bool IsAllDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

size_t Utf8Length(absl::string_view text) {
  size_t length = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++length;  // every byte that starts a character
  }
  return length;
}

}  // namespace sandbox
