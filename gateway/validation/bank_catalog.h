// The SPEI participants the gateway knows, by 3-digit CLABE prefix and 5-digit Banxico code.
// Built in from Banxico's public list (see bank_catalog.cc), extendable from configuration:
// bank lists drift (Fintoc's test prefix 735 is in no public list), so operators can add
// prefixes without a release.
#ifndef GATEWAY_VALIDATION_BANK_CATALOG_H_
#define GATEWAY_VALIDATION_BANK_CATALOG_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gateway {

struct BankInfo {
  std::string clabe_prefix;  // "012"
  std::string banxico_code;  // "40012"
  std::string name;          // "BBVA México"
};

class BankCatalog {
 public:
  // The built-in catalogue.
  static BankCatalog Builtin();

  // Adds (or renames) a bank. INVALID_ARGUMENT unless banxico_code is 5 digits (or "2001",
  // Banxico itself) whose last 3 digits are the prefix.
  absl::Status Add(absl::string_view banxico_code, absl::string_view name);

  const BankInfo* FindByPrefix(absl::string_view clabe_prefix) const;
  const BankInfo* FindByBanxicoCode(absl::string_view banxico_code) const;
  // Every bank, ordered by CLABE prefix.
  std::vector<BankInfo> All() const;

 private:
  std::map<std::string, BankInfo, std::less<>> by_prefix_;
};

}  // namespace gateway

#endif  // GATEWAY_VALIDATION_BANK_CATALOG_H_
