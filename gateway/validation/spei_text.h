// Text rules for SPEI fields, and RFC / debit-card checks (docs/providers/spei.md#field-limits,
// #rfc). SPEI carries plain ASCII: accented Latin letters are folded ("Señor Pérez" -> "Senor
// Perez"); any other character is an error, never silently dropped.
#ifndef GATEWAY_VALIDATION_SPEI_TEXT_H_
#define GATEWAY_VALIDATION_SPEI_TEXT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gateway {

// Folds accented Latin letters (U+00C0-U+00FF) to ASCII and checks that every resulting
// character is a letter, a digit, a space or one of `extra_allowed`. INVALID_ARGUMENT names
// the first offending character (by position) when the text is not valid UTF-8 or has one.
absl::StatusOr<std::string> FoldSpeiText(absl::string_view utf8, absl::string_view extra_allowed);

// RFC: "ND" (unknown), or 3-4 letters (A-Z, Ñ, &), a YYMMDD date, and a 3-character homoclave
// (12 characters for a company, 13 for a person). Upper case only.
bool IsValidRfc(absl::string_view rfc);

// 15 or 16 digits passing the Luhn check.
bool IsValidDebitCard(absl::string_view number);

}  // namespace gateway

#endif  // GATEWAY_VALIDATION_SPEI_TEXT_H_
