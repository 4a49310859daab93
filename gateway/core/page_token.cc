#include "gateway/core/page_token.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "vocabulary/error_details.h"
#include "vocabulary/resource_id.h"

namespace gateway {
namespace {
constexpr absl::string_view kVersion = "p2";
constexpr absl::string_view kVersionWithoutSizes = "p1";  // tokens handed out before p2
constexpr size_t kMaxProviderToken = 128;

// Provider tokens are cursors (a provider's id, a page number), never URLs: anyone can build a
// token, so what it carries is kept to characters that cannot end a URL part or a header line.
// The provider then checks the cursor against its own grammar (e.g. Fintoc's starting_after).
bool IsCursor(absl::string_view token) {
  if (token.size() > kMaxProviderToken) return false;
  for (char c : token) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

// 0..kMaxProviderPageSize in plain digits only (no sign, no spaces), so a token has one spelling.
bool ParseSize(absl::string_view text, int* out) {
  if (text.empty() || text.size() > 3) return false;
  int value = 0;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  if (value > kMaxProviderPageSize || (text.size() > 1 && text[0] == '0')) return false;
  *out = value;
  return true;
}
}  // namespace

std::string EncodePageToken(const PagePosition& position) {
  return absl::WebSafeBase64Escape(absl::StrCat(kVersion, "\n", ProviderName(position.provider),
                                                "\n", position.provider_token, "\n",
                                                position.read_size, "\n", position.skip));
}

absl::StatusOr<PagePosition> DecodePageToken(absl::string_view token) {
  std::string raw;
  const absl::Status invalid =
      InvalidField("page_token", "is not a token from a previous page of this list");
  if (!absl::WebSafeBase64Unescape(token, &raw)) return invalid;
  const std::vector<absl::string_view> parts = absl::StrSplit(raw, '\n');
  const bool sized = parts.size() == 5 && parts[0] == kVersion;
  if (!sized && !(parts.size() == 3 && parts[0] == kVersionWithoutSizes)) return invalid;
  PagePosition position;
  position.provider = ProviderFromName(parts[1]);
  if (position.provider == payments::v1::PROVIDER_UNSPECIFIED) return invalid;
  position.provider_token = std::string(parts[2]);
  if (!IsCursor(position.provider_token)) return invalid;
  if (sized &&
      (!ParseSize(parts[3], &position.read_size) || !ParseSize(parts[4], &position.skip))) {
    return invalid;
  }
  return position;
}

}  // namespace gateway
