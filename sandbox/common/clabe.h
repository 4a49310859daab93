// CLABE: 18 digits = 3-digit bank code, 3-digit plaza, 11-digit account, 1 check digit
// (docs/providers/spei.md#clabe): weights 3,7,1 over the first 17 digits, each product taken mod
// 10, check = (10 - sum % 10) % 10. The simulators issue CLABEs and check the ones they receive
// with this; they deliberately do not share the gateway's validator, so a gateway bug cannot
// hide behind the same code on both sides.
#ifndef SANDBOX_COMMON_CLABE_H_
#define SANDBOX_COMMON_CLABE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace sandbox {

// The check digit ('0'..'9') of 17 digits; '\0' when the input is not exactly 17 digits.
char ClabeCheckDigit(absl::string_view first17);

// 18 digits with the right check digit. (The bank code is the caller's business.)
bool IsValidClabe(absl::string_view clabe);

// bank3 + plaza3 + `account` zero-padded to 11 digits + check digit. `account` < 10^11.
std::string MakeClabe(absl::string_view bank3, absl::string_view plaza3, uint64_t account);

}  // namespace sandbox

#endif  // SANDBOX_COMMON_CLABE_H_
