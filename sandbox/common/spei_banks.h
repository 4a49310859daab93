// SPEI participants the simulators know (docs/providers/spei.md#participants plus the ones the
// recorded provider traffic uses): 5-digit Banxico code, whose last 3 digits are the CLABE prefix.
#ifndef SANDBOX_COMMON_SPEI_BANKS_H_
#define SANDBOX_COMMON_SPEI_BANKS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace sandbox {

struct SpeiBank {
  std::string banxico_code;  // "40012"
  std::string name;          // "BBVA MEXICO"
  std::string clabe_prefix() const { return banxico_code.substr(2); }
};

// Sorted by Banxico code.
const std::vector<SpeiBank>& SpeiBanks();

// nullptr when unknown.
const SpeiBank* FindSpeiBankByCode(absl::string_view banxico_code);
const SpeiBank* FindSpeiBankByClabePrefix(absl::string_view prefix3);

}  // namespace sandbox

#endif  // SANDBOX_COMMON_SPEI_BANKS_H_
