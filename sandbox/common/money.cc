#include "sandbox/common/money.h"

#include <limits>

#include "absl/strings/str_format.h"
#include "sandbox/common/text.h"

namespace sandbox {

absl::optional<int64_t> ParseTwoDecimalAmount(absl::string_view text) {
  const size_t dot = text.find('.');
  if (dot == absl::string_view::npos || dot == 0 || text.size() - dot != 3) return absl::nullopt;
  const absl::string_view whole = text.substr(0, dot);
  const absl::string_view cents = text.substr(dot + 1);
  if (!IsAllDigits(whole) || !IsAllDigits(cents)) return absl::nullopt;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t value = 0;
  for (char c : whole) {
    const int digit = c - '0';
    if (value > (kMax - digit) / 10) return absl::nullopt;
    value = value * 10 + digit;
  }
  const int64_t fraction = (cents[0] - '0') * 10 + (cents[1] - '0');
  if (value > (kMax - fraction) / 100) return absl::nullopt;
  return value * 100 + fraction;
}

std::string FormatTwoDecimalAmount(int64_t minor_units) {
  // Work on the magnitude as unsigned so INT64_MIN does not overflow.
  const bool negative = minor_units < 0;
  const uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(minor_units) : static_cast<uint64_t>(minor_units);
  return absl::StrFormat("%s%u.%02u", negative ? "-" : "", magnitude / 100, magnitude % 100);
}

}  // namespace sandbox
