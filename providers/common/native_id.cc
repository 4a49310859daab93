#include "providers/common/native_id.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "vocabulary/error_details.h"

namespace providers {
namespace {

// Fintoc's ids are a type prefix and a base62 body (27 characters in recorded replies,
// shorter in documentation examples); the bound only keeps URLs small.
constexpr size_t kMaxFintocBody = 64;

bool IsUuid(absl::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? id[i] != '-' : !absl::ascii_isxdigit(static_cast<unsigned char>(id[i]))) {
      return false;
    }
  }
  return true;
}

bool IsFintocId(absl::string_view prefix, absl::string_view id) {
  if (!absl::ConsumePrefix(&id, prefix) || id.empty() || id.size() > kMaxFintocBody) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::string_view Expected(NativeId kind) {
  switch (kind) {
    case NativeId::kMonato:
      return "is not a Monato id (a UUID such as 16811ee8-3f1a-4c1e-9d2b-0a1b2c3d4e5f)";
    case NativeId::kFintocTransfer:
      return "is not a Fintoc transfer id (tr_ and letters or digits)";
    case NativeId::kFintocAccount:
      return "is not a Fintoc account id (acc_ and letters or digits)";
    case NativeId::kFintocAccountNumber:
      return "is not a Fintoc account number id (acno_ and letters or digits)";
    case NativeId::kFintocAnyAccount:
      return "is not a Fintoc account id (acc_ or acno_ and letters or digits)";
  }
  return "is not a provider id";
}

}  // namespace

bool IsNativeId(NativeId kind, absl::string_view id) {
  switch (kind) {
    case NativeId::kMonato:
      return IsUuid(id);
    case NativeId::kFintocTransfer:
      return IsFintocId("tr_", id);
    case NativeId::kFintocAccount:
      return IsFintocId("acc_", id);
    case NativeId::kFintocAccountNumber:
      return IsFintocId("acno_", id);
    case NativeId::kFintocAnyAccount:
      return IsFintocId("acc_", id) || IsFintocId("acno_", id);
  }
  return false;
}

absl::Status CheckNativeId(NativeId kind, absl::string_view id, absl::string_view field) {
  if (IsNativeId(kind, id)) return absl::OkStatus();
  return gateway::InvalidField(field, id.empty() ? "is required" : Expected(kind));
}

}  // namespace providers
