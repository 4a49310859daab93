#include "gateway/validation/spei_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gateway {
namespace {

// ASCII folding of U+00C0..U+00FF; 0 where the character has no letter equivalent (×, ÷, Æ...).
constexpr char kLatin1Fold[64 + 1] =
    "AAAAAA\0CEEEEIIII\0NOOOOO\0\0UUUUY\0\0"  // U+00C0-U+00DF
    "aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy\0y";  // U+00E0-U+00FF

bool IsDigit(char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); }

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> FoldSpeiText(absl::string_view utf8, absl::string_view extra_allowed) {
  std::string out;
  out.reserve(utf8.size());
  size_t position = 0;  // in characters, 1-based in messages
  for (size_t i = 0; i < utf8.size(); ++position) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    char folded = 0;
    if (c < 0x80) {
      folded = static_cast<char>(c);
      i += 1;
    } else if ((c == 0xC3) && i + 1 < utf8.size() &&
               (static_cast<unsigned char>(utf8[i + 1]) & 0xC0) == 0x80) {
      const unsigned code_point = 0xC0 + (static_cast<unsigned char>(utf8[i + 1]) & 0x3F);
      folded = kLatin1Fold[code_point - 0xC0];
      i += 2;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("has a character SPEI cannot carry at position ", position + 1));
    }
    const bool allowed = absl::ascii_isalnum(static_cast<unsigned char>(folded)) || folded == ' ' ||
                         (folded != 0 && absl::StrContains(extra_allowed, folded));
    if (!allowed) {
      return absl::InvalidArgumentError(
          absl::StrCat("has a character SPEI cannot carry at position ", position + 1));
    }
    out.push_back(folded);
  }
  return out;
}

bool IsValidRfc(absl::string_view rfc) {
  if (rfc == "ND") return true;
  // "Ñ" is two bytes in UTF-8; count it as one letter.
  size_t letters = 0;
  size_t i = 0;
  while (i < rfc.size() && letters < 4) {
    if (absl::ascii_isupper(static_cast<unsigned char>(rfc[i])) || rfc[i] == '&') {
      i += 1;
    } else if (rfc.substr(i, 2) == "\xC3\x91") {
      i += 2;
    } else {
      break;
    }
    ++letters;
  }
  if (letters < 3) return false;
  absl::string_view rest = rfc.substr(i);
  if (rest.size() != 9 || !AllDigits(rest.substr(0, 6))) return false;
  const int month = (rest[2] - '0') * 10 + (rest[3] - '0');
  const int day = (rest[4] - '0') * 10 + (rest[5] - '0');
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  for (char c : rest.substr(6)) {
    if (!absl::ascii_isupper(static_cast<unsigned char>(c)) && !IsDigit(c)) return false;
  }
  return true;
}

bool IsValidDebitCard(absl::string_view number) {
  if ((number.size() != 15 && number.size() != 16) || !AllDigits(number)) return false;
  int sum = 0;
  bool double_it = false;
  for (auto it = number.rbegin(); it != number.rend(); ++it) {
    int digit = *it - '0';
    if (double_it) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

}  // namespace gateway
