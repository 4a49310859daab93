// Small OpenSSL 3 EVP helpers: SHA-256, HMAC-SHA256, hex, secure random and constant-time
// comparison. Used by the Monato JWTs, the Fintoc webhook signatures and id generation.
#ifndef SANDBOX_COMMON_CRYPTO_H_
#define SANDBOX_COMMON_CRYPTO_H_

#include <string>

#include "absl/strings/string_view.h"

namespace sandbox {

// Raw 32-byte digests.
std::string Sha256(absl::string_view data);
std::string HmacSha256(absl::string_view key, absl::string_view data);

// Lower-case hex.
std::string HexEncode(absl::string_view bytes);
std::string Sha256Hex(absl::string_view data);
std::string HmacSha256Hex(absl::string_view key, absl::string_view data);

// Bytes from OpenSSL's CSPRNG; aborts if it fails (a sandbox without randomness would hand out
// predictable secrets and ids).
std::string RandomBytes(size_t count);
// 2 * count lower-case hex characters.
std::string RandomHex(size_t count);

// Equal length and equal bytes, in time independent of where they differ.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace sandbox

#endif  // SANDBOX_COMMON_CRYPTO_H_
