#include "gateway/validation/clabe.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace gateway {
namespace {

constexpr int kWeights[3] = {3, 7, 1};

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

char ClabeCheckDigit(absl::string_view first17) {
  if (first17.size() != 17 || !AllDigits(first17)) return '\0';
  int sum = 0;
  for (size_t i = 0; i < first17.size(); ++i) {
    sum += ((first17[i] - '0') * kWeights[i % 3]) % 10;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

ClabeCheck CheckClabe(absl::string_view clabe, const BankCatalog& banks) {
  ClabeCheck check;
  if (clabe.size() >= 3 && AllDigits(clabe.substr(0, 3))) {
    check.bank_code = std::string(clabe.substr(0, 3));
    check.bank = banks.FindByPrefix(check.bank_code);
  }
  if (clabe.size() >= 6 && AllDigits(clabe.substr(0, 6))) {
    check.plaza = std::string(clabe.substr(3, 3));
  }
  if (clabe.size() >= 17) {
    char expected = ClabeCheckDigit(clabe.substr(0, 17));
    if (expected != '\0') check.expected_check_digit = std::string(1, expected);
  }
  if (clabe.empty()) {
    check.reason = "is required";
  } else if (!AllDigits(clabe)) {
    check.reason = "must contain digits only";
  } else if (clabe.size() != 18) {
    check.reason = absl::StrCat("must be 18 digits, got ", clabe.size());
  } else if (clabe[17] != check.expected_check_digit[0]) {
    check.reason = absl::StrCat("has a wrong check digit (the first 17 digits call for ",
                                check.expected_check_digit, ")");
  } else if (check.bank == nullptr) {
    check.reason = absl::StrCat("bank code ", check.bank_code, " is not a known SPEI participant");
  } else {
    check.valid = true;
  }
  return check;
}

std::string MaskAccountNumber(absl::string_view number) {
  if (number.size() <= 4) return std::string(number.size(), '*');
  return absl::StrCat(std::string(number.size() - 4, '*'), number.substr(number.size() - 4));
}

}  // namespace gateway
