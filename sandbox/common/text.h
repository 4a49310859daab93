// Character-level checks both simulators apply to request fields.
#ifndef SANDBOX_COMMON_TEXT_H_
#define SANDBOX_COMMON_TEXT_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace sandbox {

// One or more ASCII digits.
bool IsAllDigits(absl::string_view text);

// Characters, not bytes, of UTF-8 text: "Pago de crédito" is 15 long. Limits such as "less
// than 40 characters" count these.
size_t Utf8Length(absl::string_view text);

}  // namespace sandbox

#endif  // SANDBOX_COMMON_TEXT_H_
