#include "sandbox/common/spei_banks.h"

namespace sandbox {

const std::vector<SpeiBank>& SpeiBanks() {
  // Names as Banxico's participant list spells them (upper case, no accents).
  static const std::vector<SpeiBank>* const kBanks = new std::vector<SpeiBank>{
      {"37006", "BANCOMEXT"},       {"37019", "BANJERCITO"},     {"40002", "BANAMEX"},
      {"40012", "BBVA MEXICO"},     {"40014", "SANTANDER"},      {"40021", "HSBC"},
      {"40030", "BAJIO"},           {"40036", "INBURSA"},        {"40044", "SCOTIABANK"},
      {"40072", "BANORTE"},         {"40127", "AZTECA"},         {"40137", "BANCOPPEL"},
      {"90631", "CI BOLSA"},        {"90638", "NU MEXICO"},      {"90646", "STP"},
      {"90680", "CRISTOBAL COLON"}, {"90722", "MERCADO PAGO W"}, {"90723", "CUENCA"},
      {"90734", "FINCO PAY"},       {"90735", "FINTOC"},         {"90738", "FINTOC"},
  };
  return *kBanks;
}

const SpeiBank* FindSpeiBankByCode(absl::string_view banxico_code) {
  for (const SpeiBank& bank : SpeiBanks()) {
    if (bank.banxico_code == banxico_code) return &bank;
  }
  return nullptr;
}

const SpeiBank* FindSpeiBankByClabePrefix(absl::string_view prefix3) {
  if (prefix3.size() != 3) return nullptr;
  for (const SpeiBank& bank : SpeiBanks()) {
    if (absl::string_view(bank.banxico_code).substr(2) == prefix3) return &bank;
  }
  return nullptr;
}

}  // namespace sandbox
