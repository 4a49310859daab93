// Exact money conversions. Amounts are int64 minor units everywhere inside the gateway; these
// functions turn them into and out of the decimal strings some providers speak ("1.95").
// No floating point is involved anywhere.
#ifndef VOCABULARY_MONEY_H_
#define VOCABULARY_MONEY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gateway {

// Number of decimal places of a currency's minor unit (ISO 4217): MXN 2, CLP 0.
// NOT_FOUND for a currency the gateway does not handle.
absl::StatusOr<int> CurrencyExponent(absl::string_view currency);

// 195, 2 -> "1.95"; -5, 2 -> "-0.05"; 7, 0 -> "7". Exact for every int64.
std::string MinorUnitsToDecimal(int64_t amount_minor, int exponent);

// "1.95", 2 -> 195. Accepts an optional leading '-', at least one integer digit, and at most
// `exponent` fractional digits ("1.5" -> 150; extra digits are accepted only when they are
// zeros: "1.950" -> 195, "1.955" is an error). Rejects spaces, '+', exponents, "1.", ".5",
// empty input and anything that overflows int64. INVALID_ARGUMENT on error.
absl::StatusOr<int64_t> DecimalToMinorUnits(absl::string_view text, int exponent);

// Like DecimalToMinorUnits, but demands exactly `exponent` fractional digits, as Monato does
// for amounts it receives ("1.95" ok, "1.9" and "1.950" rejected).
absl::StatusOr<int64_t> StrictDecimalToMinorUnits(absl::string_view text, int exponent);

}  // namespace gateway

#endif  // VOCABULARY_MONEY_H_
