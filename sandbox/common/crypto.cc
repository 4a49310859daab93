#include "sandbox/common/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

namespace sandbox {

std::string Sha256(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    std::fprintf(stderr, "sandbox: EVP_Digest(SHA-256) failed\n");
    std::abort();
  }
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string HmacSha256(absl::string_view key, absl::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t length = 0;
  // EVP_Q_mac with an empty key would be rejected by some providers; a one-byte zero key is
  // the same HMAC (keys are zero-padded to the block size).
  static const unsigned char kZero = 0;
  const void* key_bytes = key.empty() ? static_cast<const void*>(&kZero) : key.data();
  const size_t key_size = key.empty() ? 1 : key.size();
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key_bytes, key_size,
                reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, sizeof(mac),
                &length) == nullptr) {
    std::fprintf(stderr, "sandbox: EVP_Q_mac(HMAC-SHA256) failed\n");
    std::abort();
  }
  return std::string(reinterpret_cast<const char*>(mac), length);
}

std::string HexEncode(absl::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0x0f]);
  }
  return out;
}

std::string Sha256Hex(absl::string_view data) { return HexEncode(Sha256(data)); }

std::string HmacSha256Hex(absl::string_view key, absl::string_view data) {
  return HexEncode(HmacSha256(key, data));
}

std::string RandomBytes(size_t count) {
  std::string out(count, '\0');
  if (count > 0 &&
      RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
    std::fprintf(stderr, "sandbox: RAND_bytes failed\n");
    std::abort();
  }
  return out;
}

std::string RandomHex(size_t count) { return HexEncode(RandomBytes(count)); }

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace sandbox
