#include "sandbox/common/clabe.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sandbox/common/text.h"

namespace sandbox {

char ClabeCheckDigit(absl::string_view first17) {
  if (first17.size() != 17 || !IsAllDigits(first17)) return '\0';
  static constexpr int kWeights[3] = {3, 7, 1};
  int sum = 0;
  for (size_t i = 0; i < first17.size(); ++i) {
    sum += ((first17[i] - '0') * kWeights[i % 3]) % 10;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool IsValidClabe(absl::string_view clabe) {
  return clabe.size() == 18 && IsAllDigits(clabe) &&
         ClabeCheckDigit(clabe.substr(0, 17)) == clabe[17];
}

std::string MakeClabe(absl::string_view bank3, absl::string_view plaza3, uint64_t account) {
  std::string first17 =
      absl::StrCat(bank3, plaza3, absl::StrFormat("%011u", account % 100000000000ULL));
  const char check = ClabeCheckDigit(first17);
  return absl::StrCat(first17, std::string(1, check));
}

}  // namespace sandbox
