#include "vocabulary/resource_id.h"

#include <functional>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"

namespace gateway {

namespace {
constexpr size_t kMaxIdLength = 200;
}  // namespace

namespace {

// Enum value <-> name, from the enum itself: PROVIDER_MONATO <-> "monato". Built once.
struct ProviderNames {
  std::map<payments::v1::Provider, std::string> by_id;
  std::map<std::string, payments::v1::Provider, std::less<>> by_name;
};

const ProviderNames& Names() {
  static const ProviderNames* names = [] {
    auto* out = new ProviderNames;
    const google::protobuf::EnumDescriptor* values = payments::v1::Provider_descriptor();
    for (int i = 0; i < values->value_count(); ++i) {
      const auto id = static_cast<payments::v1::Provider>(values->value(i)->number());
      if (id == payments::v1::PROVIDER_UNSPECIFIED) continue;
      absl::string_view name = values->value(i)->name();
      absl::ConsumePrefix(&name, "PROVIDER_");
      out->by_id[id] = absl::AsciiStrToLower(name);
      out->by_name[out->by_id[id]] = id;
    }
    return out;
  }();
  return *names;
}

}  // namespace

absl::string_view ProviderName(payments::v1::Provider provider) {
  const auto& by_id = Names().by_id;
  auto it = by_id.find(provider);
  return it == by_id.end() ? absl::string_view() : absl::string_view(it->second);
}

payments::v1::Provider ProviderFromName(absl::string_view name) {
  const auto& by_name = Names().by_name;
  auto it = by_name.find(name);
  return it == by_name.end() ? payments::v1::PROVIDER_UNSPECIFIED : it->second;
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
