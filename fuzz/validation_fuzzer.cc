// The text checks every caller field goes through before a provider is called: CLABE check
// digit and bank, SPEI text folding, RFC, debit card number, Banxico codes. Any bytes must be
// judged without a crash, and what passes must be what the provider accepts.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "gateway/logging/masking.h"
#include "gateway/validation/bank_catalog.h"
#include "gateway/validation/clabe.h"
#include "gateway/validation/spei_text.h"

namespace {
bool AllDigits(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  static const gateway::BankCatalog kBanks = gateway::BankCatalog::Builtin();

  const gateway::ClabeCheck clabe = gateway::CheckClabe(input, kBanks);
  if (clabe.valid) {
    FUZZ_CHECK(input.size() == 18 && AllDigits(input));
    FUZZ_CHECK(gateway::ClabeCheckDigit(input.substr(0, 17)) == input[17]);
    FUZZ_CHECK(clabe.bank != nullptr);
  } else {
    FUZZ_CHECK(!clabe.reason.empty());
  }
  const char digit = gateway::ClabeCheckDigit(input);
  FUZZ_CHECK(digit == '\0' ||
             (input.size() == 17 && AllDigits(input) && absl::ascii_isdigit(digit)));
  // A mask shows at most the last 4 characters.
  const std::string masked = gateway::MaskAccountNumber(input);
  FUZZ_CHECK(masked.size() == input.size());
  for (size_t i = 0; i + 4 < masked.size(); ++i) FUZZ_CHECK(masked[i] == '*');

  const std::string extra = ".,-/";
  auto folded = gateway::FoldSpeiText(input, extra);
  if (folded.ok()) {
    for (char c : *folded) {
      FUZZ_CHECK(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == ' ' ||
                 extra.find(c) != std::string::npos);
    }
  }
  if (gateway::IsValidRfc(input))
    FUZZ_CHECK(input == "ND" || (input.size() >= 12 && input.size() <= 17));
  if (gateway::IsValidDebitCard(input)) FUZZ_CHECK(AllDigits(input));

  gateway::BankCatalog banks = gateway::BankCatalog::Builtin();
  const size_t split = input.find('|');
  const absl::string_view code = input.substr(0, split);
  const absl::string_view name =
      split == absl::string_view::npos ? absl::string_view() : input.substr(split + 1);
  if (banks.Add(code, name).ok()) {
    FUZZ_CHECK(banks.FindByBanxicoCode(code) != nullptr);
  }
  (void)banks.FindByPrefix(input.substr(0, 3));
  (void)banks.All();
  return 0;
}
