#include "sandbox/monato/monato_config.h"

#include "absl/strings/str_cat.h"
#include "sandbox/common/clabe.h"
#include "sandbox/common/ids.h"

namespace sandbox {

MonatoSeed MonatoSeedFor(const std::string& client_id) {
  auto id = [&client_id](const char* what) {
    return StableUuid(absl::StrCat("monato/", client_id, "/", what));
  };
  MonatoSeed seed;
  seed.client_id = client_id;
  seed.credential_id = id("credential");
  seed.owner_id = id("owner");
  seed.client_bank_adapter_id = id("client-bank-adapter");
  seed.bank_id = StableUuid("monato/bank/90734");
  seed.main_account_id = id("main-account");
  seed.main_instrument_id = id("main-account-instrument");
  seed.main_clabe = MakeClabe("734", "180", 1);
  return seed;
}

}  // namespace sandbox
