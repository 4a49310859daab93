#include "sandbox/monato/monato_banks.h"

#include "absl/strings/str_cat.h"
#include "sandbox/common/ids.h"
#include "sandbox/common/spei_banks.h"

namespace sandbox {

std::string MonatoBankId(absl::string_view banxico_code) {
  return StableUuid(absl::StrCat("monato/bank/", banxico_code));
}

const std::vector<MonatoBank>& MonatoBanks() {
  static const std::vector<MonatoBank>* const kBanks = [] {
    auto* banks = new std::vector<MonatoBank>();
    for (const SpeiBank& bank : SpeiBanks()) {
      banks->push_back({MonatoBankId(bank.banxico_code), bank.banxico_code, bank.name});
    }
    return banks;
  }();
  return *kBanks;
}

const MonatoBank* FindMonatoBank(absl::string_view bank_id) {
  for (const MonatoBank& bank : MonatoBanks()) {
    if (bank.id == bank_id) return &bank;
  }
  return nullptr;
}

}  // namespace sandbox
