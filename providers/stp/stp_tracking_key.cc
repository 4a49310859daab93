#include "providers/stp/stp_tracking_key.h"

#include <openssl/sha.h>

#include <array>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"

namespace providers::stp {
namespace {

constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr size_t kMaxStpTrackingKey = 30;

// RFC 4648 base32 of `bytes` without padding, as many characters as the bytes give.
std::string Base32(const unsigned char* bytes, size_t size) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8) | bytes[i];
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32Alphabet[(buffer >> (bits - 5)) & 0x1f]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 0x1f]);
  return out;
}

}  // namespace

absl::StatusOr<std::string> TrackingKeyFor(absl::string_view prefix, absl::string_view name) {
  if (name.empty()) {
    return absl::InvalidArgumentError("an STP tracking key needs a non-empty idempotency name");
  }
  if (prefix.size() > kMaxTrackingKeyPrefix) {
    return absl::InvalidArgumentError("the STP tracking key prefix is longer than 9 characters");
  }
  for (char c : prefix) {
    if (!absl::ascii_isdigit(c) && !absl::ascii_isupper(c)) {
      return absl::InvalidArgumentError("the STP tracking key prefix must be [A-Z0-9]");
    }
  }
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest;
  SHA256(reinterpret_cast<const unsigned char*>(name.data()), name.size(), digest.data());
  std::string key(prefix);
  key += Base32(digest.data(), digest.size()).substr(0, kTrackingKeyLength - prefix.size());
  return key;
}

bool IsValidTrackingKey(absl::string_view key) {
  if (key.empty() || key.size() > kMaxStpTrackingKey) return false;
  for (char c : key) {
    if (!absl::ascii_isalnum(c)) return false;
  }
  return true;
}

}  // namespace providers::stp
