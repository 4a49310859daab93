#include "vocabulary/resource_id.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace gateway {

namespace {
constexpr size_t kMaxIdLength = 200;
}  // namespace

absl::string_view ProviderName(payments::v1::Provider provider) {
  switch (provider) {
    case payments::v1::PROVIDER_MONATO:
      return "monato";
    case payments::v1::PROVIDER_FINTOC:
      return "fintoc";
    default:
      return "";
  }
}

payments::v1::Provider ProviderFromName(absl::string_view name) {
  if (name == "monato") return payments::v1::PROVIDER_MONATO;
  if (name == "fintoc") return payments::v1::PROVIDER_FINTOC;
  return payments::v1::PROVIDER_UNSPECIFIED;
}

std::string ResourceId::ToString() const {
  return absl::StrCat(ProviderName(provider), ".", kind, ".", native_id);
}

absl::StatusOr<ResourceId> ResourceId::Parse(absl::string_view text,
                                             absl::string_view expected_kind) {
  if (text.empty()) return absl::InvalidArgumentError("is required");
  if (text.size() > kMaxIdLength) {
    return absl::InvalidArgumentError(absl::StrCat("is longer than ", kMaxIdLength, " characters"));
  }
  for (unsigned char c : text) {
    if (c < 0x21 || c == 0x7f) {
      return absl::InvalidArgumentError("must not contain spaces or control characters");
    }
  }
  const size_t first = text.find('.');
  const size_t second = first == absl::string_view::npos ? first : text.find('.', first + 1);
  if (second == absl::string_view::npos || second + 1 == text.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "is not a gateway ", expected_kind, " id (\"<provider>.", expected_kind, ".<id>\")"));
  }
  ResourceId id;
  id.provider = ProviderFromName(text.substr(0, first));
  if (id.provider == payments::v1::PROVIDER_UNSPECIFIED) {
    return absl::InvalidArgumentError("names no known provider");
  }
  id.kind = std::string(text.substr(first + 1, second - first - 1));
  if (id.kind != expected_kind) {
    return absl::InvalidArgumentError(
        absl::StrCat("is a \"", id.kind.substr(0, 16), "\" id, not a \"", expected_kind, "\" id"));
  }
  id.native_id = std::string(text.substr(second + 1));
  // The provider's id may reach a provider URL (each adapter checks its own grammar too,
  // providers/common/native_id.h): only RFC 3986 unreserved characters, never a dot segment.
  for (char c : id.native_id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_' &&
        c != '~') {
      return absl::InvalidArgumentError(
          "may hold only letters, digits, '-', '.', '_' and '~' after \"<provider>.<kind>.\"");
    }
  }
  if (id.native_id.find_first_not_of('.') == std::string::npos) {
    return absl::InvalidArgumentError("is not a gateway id: its provider id is only dots");
  }
  return id;
}

}  // namespace gateway
