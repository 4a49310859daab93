// CLABE (Clave Bancaria Estandarizada): 18 digits = 3-digit bank code, 3-digit plaza,
// 11-digit account, 1 check digit over the first 17 with weights 3,7,1
// (docs/providers/spei.md#clabe). The plaza is not checked: provider virtual CLABEs use plazas
// absent from catalogues.
#ifndef GATEWAY_VALIDATION_CLABE_H_
#define GATEWAY_VALIDATION_CLABE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "gateway/validation/bank_catalog.h"

namespace gateway {

// The check digit ('0'..'9') for 17 digits; '\0' if the input is not exactly 17 digits.
char ClabeCheckDigit(absl::string_view first17);

struct ClabeCheck {
  bool valid = false;
  std::string reason;                // empty when valid
  std::string bank_code;             // first 3 digits, when present
  std::string plaza;                 // digits 4-6, when present
  std::string expected_check_digit;  // when the first 17 characters are digits
  const BankInfo* bank = nullptr;    // the bank of bank_code, when known
};

ClabeCheck CheckClabe(absl::string_view clabe, const BankCatalog& banks);

// "012180026050783858" -> "************3858" style mask for logs: last 4 digits only.
std::string MaskAccountNumber(absl::string_view number);

}  // namespace gateway

#endif  // GATEWAY_VALIDATION_CLABE_H_
