// Configuration of the Monato simulator, its demo defaults, the seeded client, and the values
// that trigger simulated failures.
#ifndef SANDBOX_MONATO_MONATO_CONFIG_H_
#define SANDBOX_MONATO_MONATO_CONFIG_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "sandbox/common/webhook_sender.h"

namespace sandbox {

// Demo defaults, used when main.cc gets no credential files. The client id is the one of the
// docs/providers/monato.md#test-vectors example.
inline constexpr char kMonatoDefaultClientId[] = "c2d1d1e3-3340-4170-980e-e9269bbbc551";
inline constexpr char kMonatoDemoApiKey[] = "monato-sandbox-api-key";
inline constexpr char kMonatoDemoClientSecret[] = "monato-sandbox-client-secret";

// A money_out (or refund) whose destination CLABE is this one ends REJECTED with reason
// CANCELLED_ACCOUNT / "Cuenta cancelada" (the account part ends in 03, SPEI's "canceled
// account" return code). Any other destination is LIQUIDATED.
inline constexpr char kMonatoRejectedClabe[] = "012180000000000031";

struct MonatoConfig {
  std::string client_id = kMonatoDefaultClientId;
  std::string api_key = kMonatoDemoApiKey;
  std::string client_secret = kMonatoDemoClientSecret;
  std::string jwt_secret;  // HS256 key of the tokens; empty: random per process
  absl::Duration token_lifetime = absl::Hours(24);
  // INITIALIZED -> LIQUIDATED/REJECTED after this long; negative: only on POST /_sandbox/settle.
  absl::Duration settle_after = absl::Seconds(2);
  // How long a money_out takes before it answers (makes operation_in_progress observable).
  absl::Duration money_out_processing = absl::ZeroDuration();
  int64_t main_account_balance_cents = 1'000'000'000;  // MXN 10,000,000.00
  std::string client_name = "SANDBOX CLIENT SA DE CV";
  WebhookSenderOptions webhooks;
  // false: Idempotency-Key is ignored (every money_out proceeds), as when a key expired;
  // switchable later with SetDedup / POST /_sandbox/dedup.
  bool dedup = true;
  // Duplicated and delayed webhook deliveries; also POST /_sandbox/webhook_faults.
  WebhookFaults webhook_faults;
};

// The client's ids, derived from the client id with name-based UUIDs: stable across runs.
struct MonatoSeed {
  std::string client_id;
  std::string credential_id;
  std::string owner_id;
  std::string client_bank_adapter_id;
  std::string bank_id;  // Finco Pay (90734) in the bank catalogue
  std::string main_account_id;
  std::string main_instrument_id;  // source_instrument_id for money_out
  std::string main_clabe;          // 734180 + 00000000001 + check digit
};

MonatoSeed MonatoSeedFor(const std::string& client_id);

}  // namespace sandbox

#endif  // SANDBOX_MONATO_MONATO_CONFIG_H_
