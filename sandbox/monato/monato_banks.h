// Monato's SPEI bank catalogue (GET /v1/banks): every participant the sandbox knows, each
// identified by a UUID that is stable across runs (a name-based UUID of its Banxico code).
#ifndef SANDBOX_MONATO_MONATO_BANKS_H_
#define SANDBOX_MONATO_MONATO_BANKS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "sandbox/monato/monato_model.h"

namespace sandbox {

// Sorted by Banxico code.
const std::vector<MonatoBank>& MonatoBanks();
std::string MonatoBankId(absl::string_view banxico_code);
// nullptr when no bank has this UUID.
const MonatoBank* FindMonatoBank(absl::string_view bank_id);

}  // namespace sandbox

#endif  // SANDBOX_MONATO_MONATO_BANKS_H_
