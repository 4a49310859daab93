// Exact decimal amounts as Monato speaks them ("1.95"): int64 minor units inside, never a
// double. Fintoc speaks integer minor units already.
#ifndef SANDBOX_COMMON_MONEY_H_
#define SANDBOX_COMMON_MONEY_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace sandbox {

// "1.95" -> 195, "0.00" -> 0. Exactly: one or more digits, '.', exactly two digits. No sign,
// no spaces, no exponent, no thousands separators; nullopt on anything else or on overflow.
absl::optional<int64_t> ParseTwoDecimalAmount(absl::string_view text);

// 195 -> "1.95", 0 -> "0.00", -5 -> "-0.05".
std::string FormatTwoDecimalAmount(int64_t minor_units);

}  // namespace sandbox

#endif  // SANDBOX_COMMON_MONEY_H_
