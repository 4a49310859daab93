#include "vocabulary/money.h"

#include <limits>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace gateway {
namespace {

constexpr int kMaxExponent = 4;

struct CurrencyInfo {
  const char* code;
  int exponent;
};

// The currencies the providers settle in (SPEI: MXN; Fintoc Chile: CLP) plus USD for
// balances some accounts report. Extend only with ISO 4217 exponents.
constexpr CurrencyInfo kCurrencies[] = {{"MXN", 2}, {"CLP", 0}, {"USD", 2}};

int64_t PowerOfTen(int exponent) {
  int64_t result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

absl::StatusOr<int64_t> Parse(absl::string_view text, int exponent, bool exact_scale) {
  if (exponent < 0 || exponent > kMaxExponent) {
    return absl::InvalidArgumentError(absl::StrCat("unsupported exponent ", exponent));
  }
  const std::string shown(text.substr(0, 40));
  bool negative = false;
  absl::string_view rest = text;
  if (!rest.empty() && rest.front() == '-') {
    negative = true;
    rest.remove_prefix(1);
  }
  const size_t dot = rest.find('.');
  absl::string_view integer = rest.substr(0, dot);
  absl::string_view fraction =
      dot == absl::string_view::npos ? absl::string_view() : rest.substr(dot + 1);
  const bool has_dot = dot != absl::string_view::npos;
  auto all_digits = [](absl::string_view s) {
    for (char c : s) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    }
    return true;
  };
  if (integer.empty() || !all_digits(integer) || (has_dot && fraction.empty()) ||
      !all_digits(fraction)) {
    return absl::InvalidArgumentError(absl::StrCat("not a decimal amount: \"", shown, "\""));
  }
  if (exact_scale && static_cast<int>(fraction.size()) != exponent) {
    return absl::InvalidArgumentError(
        absl::StrCat("amount \"", shown, "\" must have exactly ", exponent, " decimals"));
  }
  if (static_cast<int>(fraction.size()) > exponent) {
    absl::string_view extra = fraction.substr(exponent);
    if (extra.find_first_not_of('0') != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("amount \"", shown, "\" has more than ", exponent, " significant decimals"));
    }
    fraction = fraction.substr(0, exponent);
  }
  // Accumulate as a negative number so that INT64_MIN itself is representable.
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  int64_t value = 0;
  auto push_digit = [&](int digit) {
    if (value < (kMin + digit) / 10) return false;
    value = value * 10 - digit;
    return true;
  };
  for (char c : integer) {
    if (!push_digit(c - '0')) {
      return absl::InvalidArgumentError(absl::StrCat("amount \"", shown, "\" is too large"));
    }
  }
  for (int i = 0; i < exponent; ++i) {
    int digit = i < static_cast<int>(fraction.size()) ? fraction[i] - '0' : 0;
    if (!push_digit(digit)) {
      return absl::InvalidArgumentError(absl::StrCat("amount \"", shown, "\" is too large"));
    }
  }
  if (negative) return value;
  if (value == kMin) {
    return absl::InvalidArgumentError(absl::StrCat("amount \"", shown, "\" is too large"));
  }
  return -value;
}

}  // namespace

absl::StatusOr<int> CurrencyExponent(absl::string_view currency) {
  for (const CurrencyInfo& info : kCurrencies) {
    if (currency == info.code) return info.exponent;
  }
  return absl::NotFoundError(absl::StrCat("unsupported currency \"", currency.substr(0, 8), "\""));
}

std::string MinorUnitsToDecimal(int64_t amount_minor, int exponent) {
  // Work in unsigned magnitude so INT64_MIN does not overflow on negation.
  const bool negative = amount_minor < 0;
  const uint64_t magnitude = negative ? uint64_t{0} - static_cast<uint64_t>(amount_minor)
                                      : static_cast<uint64_t>(amount_minor);
  if (exponent <= 0) return absl::StrCat(negative ? "-" : "", magnitude);
  const uint64_t scale = static_cast<uint64_t>(PowerOfTen(exponent));
  std::string fraction = absl::StrCat(magnitude % scale);
  fraction.insert(0, exponent - fraction.size(), '0');
  return absl::StrCat(negative ? "-" : "", magnitude / scale, ".", fraction);
}

absl::StatusOr<int64_t> DecimalToMinorUnits(absl::string_view text, int exponent) {
  return Parse(text, exponent, /*exact_scale=*/false);
}

absl::StatusOr<int64_t> StrictDecimalToMinorUnits(absl::string_view text, int exponent) {
  return Parse(text, exponent, /*exact_scale=*/true);
}

}  // namespace gateway
