#include "gateway/core/page_token.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "vocabulary/error_details.h"
#include "vocabulary/resource_id.h"

namespace gateway {
namespace {
constexpr absl::string_view kVersion = "p1";
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
}  // namespace

std::string EncodePageToken(const PagePosition& position) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(kVersion, "\n", ProviderName(position.provider), "\n", position.provider_token));
}

absl::StatusOr<PagePosition> DecodePageToken(absl::string_view token) {
  std::string raw;
  const absl::Status invalid =
      InvalidField("page_token", "is not a token from a previous page of this list");
  if (!absl::WebSafeBase64Unescape(token, &raw)) return invalid;
  const size_t first = raw.find('\n');
  const size_t second = first == std::string::npos ? first : raw.find('\n', first + 1);
  if (second == std::string::npos || raw.substr(0, first) != kVersion) return invalid;
  PagePosition position;
  position.provider = ProviderFromName(raw.substr(first + 1, second - first - 1));
  if (position.provider == payments::v1::PROVIDER_UNSPECIFIED) return invalid;
  position.provider_token = raw.substr(second + 1);
  if (!IsCursor(position.provider_token)) return invalid;
  return position;
}

}  // namespace gateway
