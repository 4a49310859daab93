#include "sandbox/common/base64url.h"

#include <openssl/evp.h>

#include "absl/strings/ascii.h"

namespace sandbox {

std::string Base64UrlEncode(absl::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(data.data()),
                                      static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(written));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

absl::optional<std::string> Base64UrlDecode(absl::string_view text) {
  // A single leftover character can never encode a whole byte.
  if (text.size() % 4 == 1) return absl::nullopt;
  std::string standard;
  standard.reserve(text.size() + 3);
  for (char c : text) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      standard.push_back(c);
    } else if (c == '-') {
      standard.push_back('+');
    } else if (c == '_') {
      standard.push_back('/');
    } else {
      return absl::nullopt;
    }
  }
  const size_t padding = (4 - standard.size() % 4) % 4;
  standard.append(padding, '=');
  std::string out(standard.size() / 4 * 3, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(standard.data()),
                                      static_cast<int>(standard.size()));
  if (written < 0 || static_cast<size_t>(written) < padding) return absl::nullopt;
  // EVP_DecodeBlock counts the zero bytes the padding stands for; drop them.
  out.resize(static_cast<size_t>(written) - padding);
  if (Base64UrlEncode(out) != text) return absl::nullopt;
  return out;
}

}  // namespace sandbox
