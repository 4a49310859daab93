#include "sandbox/fintoc/webhook_signature.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "sandbox/common/crypto.h"

namespace sandbox {

std::string FintocSignature(absl::string_view secret, int64_t timestamp, absl::string_view body) {
  return HmacSha256Hex(secret, absl::StrCat(timestamp, ".", body));
}

std::string FintocSignatureHeader(absl::string_view secret, int64_t timestamp,
                                  absl::string_view body) {
  return absl::StrCat("t=", timestamp, ",v1=", FintocSignature(secret, timestamp, body));
}

bool VerifyFintocSignatureHeader(absl::string_view header, absl::string_view secret,
                                 absl::string_view body, int64_t now, int64_t tolerance_s) {
  int64_t timestamp = 0;
  bool have_timestamp = false;
  std::string signature;
  for (absl::string_view part : absl::StrSplit(header, ',')) {
    const size_t equals = part.find('=');
    if (equals == absl::string_view::npos) continue;
    const absl::string_view key = absl::StripAsciiWhitespace(part.substr(0, equals));
    const absl::string_view value = absl::StripAsciiWhitespace(part.substr(equals + 1));
    if (key == "t") have_timestamp = absl::SimpleAtoi(value, &timestamp);
    if (key == "v1") signature = std::string(value);
  }
  if (!have_timestamp || signature.empty() || now - timestamp > tolerance_s) return false;
  return ConstantTimeEquals(signature, FintocSignature(secret, timestamp, body));
}

}  // namespace sandbox
