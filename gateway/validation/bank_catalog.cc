#include "gateway/validation/bank_catalog.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace gateway {
namespace {

struct Entry {
  const char* banxico_code;
  const char* name;
};

// Banxico's SPEI participant list (banxico.org.mx/cep-scl/listaInstituciones.do), as compiled
// in the clabe-python catalogue, plus participants named in docs/providers/spei.md#participants.
// 40xxx commercial banks, 37xxx development banks, 90xxx other participants.
constexpr Entry kBuiltinBanks[] = {
    {"2001", "Banxico"},
    {"37006", "Bancomext"},
    {"37009", "Banobras"},
    {"37019", "Banjercito"},
    {"37135", "Nafin"},
    {"37166", "Bansefi"},
    {"37168", "Hipotecaria Fed"},
    {"40002", "Banamex"},
    {"40012", "BBVA México"},
    {"40014", "Santander"},
    {"40021", "HSBC"},
    {"40030", "Bajío"},
    {"40036", "Inbursa"},
    {"40042", "Mifel"},
    {"40044", "Scotiabank"},
    {"40058", "Banregio"},
    {"40059", "Invex"},
    {"40060", "Bansi"},
    {"40062", "Afirme"},
    {"40072", "Banorte"},
    {"40102", "Accendo Banco"},
    {"40103", "American Express"},
    {"40106", "Bank of America"},
    {"40108", "MUFG"},
    {"40110", "JP Morgan"},
    {"40112", "Bmonex"},
    {"40113", "Ve por Más"},
    {"40124", "Deutsche"},
    {"40126", "Credit Suisse"},
    {"40127", "Azteca"},
    {"40128", "Autofin"},
    {"40129", "Barclays"},
    {"40130", "Compartamos"},
    {"40131", "Banco Famsa"},
    {"40132", "Multiva Banco"},
    {"40133", "Actinver"},
    {"40136", "Intercam Banco"},
    {"40137", "BanCoppel"},
    {"40138", "ABC Capital"},
    {"40140", "Consubanco"},
    {"40141", "Volkswagen"},
    {"40143", "CIBanco"},
    {"40145", "Banco Base"},
    {"40147", "Bankaool"},
    {"40148", "PagaTodo"},
    {"40150", "Inmobiliario"},
    {"40151", "Dondé"},
    {"40152", "Bancrea"},
    {"40154", "Banco Finterra"},
    {"40155", "ICBC"},
    {"40156", "Sabadell"},
    {"40158", "Mizuho Bank"},
    {"40160", "Banco S3"},
    {"90600", "Monex CB"},
    {"90601", "GBM"},
    {"90602", "Masari"},
    {"90605", "Value"},
    {"90606", "Estructuradores"},
    {"90608", "Vector"},
    {"90613", "Multiva CBolsa"},
    {"90614", "Accival"},
    {"90616", "Finamex"},
    {"90617", "Valmex"},
    {"90620", "Profuturo"},
    {"90623", "Skandia"},
    {"90630", "CB Intercam"},
    {"90631", "CI Bolsa"},
    {"90634", "Fincomún"},
    {"90636", "HDI Seguros"},
    {"90637", "Order"},
    {"90638", "Nu México"},
    {"90642", "Reforma"},
    {"90646", "STP"},
    {"90648", "Evercore"},
    {"90649", "Oskndia"},
    {"90652", "Asea"},
    {"90653", "Kuspit"},
    {"90655", "Sofiexpress"},
    {"90656", "Unagra"},
    {"90659", "ASP Integra OPC"},
    {"90670", "Libertad"},
    {"90674", "AXA"},
    {"90677", "Caja Pop Mexica"},
    {"90679", "FND"},
    {"90680", "Cristóbal Colón"},
    {"90683", "Caja Telefonist"},
    {"90684", "Transfer"},
    {"90685", "Fondo (FIRA)"},
    {"90686", "Invercap"},
    {"90689", "Fomped"},
    {"90706", "Arcus"},
    {"90722", "Mercado Pago W"},
    {"90723", "Cuenca"},
    {"90734", "Finco Pay"},
    {"90738", "Fintoc"},
    {"90901", "CLS"},
    {"90902", "Indeval"},
    {"90903", "CoDi Valida"},
};

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

}  // namespace

BankCatalog BankCatalog::Builtin() {
  BankCatalog catalog;
  for (const Entry& entry : kBuiltinBanks) {
    // The table is checked by bank_catalog_test; a bad row would fail there.
    (void)catalog.Add(entry.banxico_code, entry.name);
  }
  return catalog;
}

absl::Status BankCatalog::Add(absl::string_view banxico_code, absl::string_view name) {
  const bool well_formed =
      AllDigits(banxico_code) && (banxico_code.size() == 5 || banxico_code == "2001");
  if (!well_formed) {
    return absl::InvalidArgumentError(
        absl::StrCat("Banxico code \"", banxico_code.substr(0, 8), "\" is not 5 digits"));
  }
  if (name.empty()) return absl::InvalidArgumentError("bank name is empty");
  std::string prefix(banxico_code.substr(banxico_code.size() - 3));
  by_prefix_[prefix] = BankInfo{prefix, std::string(banxico_code), std::string(name)};
  return absl::OkStatus();
}

const BankInfo* BankCatalog::FindByPrefix(absl::string_view clabe_prefix) const {
  auto it = by_prefix_.find(clabe_prefix);
  return it == by_prefix_.end() ? nullptr : &it->second;
}

const BankInfo* BankCatalog::FindByBanxicoCode(absl::string_view banxico_code) const {
  if (banxico_code.size() < 3) return nullptr;
  const BankInfo* bank = FindByPrefix(banxico_code.substr(banxico_code.size() - 3));
  return bank != nullptr && bank->banxico_code == banxico_code ? bank : nullptr;
}

std::vector<BankInfo> BankCatalog::All() const {
  std::vector<BankInfo> out;
  out.reserve(by_prefix_.size());
  for (const auto& [prefix, bank] : by_prefix_) out.push_back(bank);
  return out;
}

}  // namespace gateway
