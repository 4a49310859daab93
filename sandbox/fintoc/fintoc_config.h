// Configuration of the Fintoc simulator, its demo defaults, the seeded account and the value
// that triggers a simulated rejection.
#ifndef SANDBOX_FINTOC_FINTOC_CONFIG_H_
#define SANDBOX_FINTOC_FINTOC_CONFIG_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "sandbox/common/webhook_sender.h"
#include "sandbox/fintoc/jws_verifier.h"

namespace sandbox {

// Demo defaults, used when main.cc gets no secret files.
inline constexpr char kFintocDemoSecretKey[] = "sk_test_sandbox_fintoc_secret_key";
inline constexpr char kFintocDemoWebhookSecret[] = "whsec_sandbox_fintoc_webhook_secret";

// Fintoc's documented test counterparty (docs/providers/fintoc.md#test-mode): outbound transfers to
// it end "rejected" (insufficient funds at the receiving bank). Any other CLABE succeeds.
inline constexpr char kFintocRejectedCounterparty[] = "012969100000000013";

// Simulated inbound transfers come from this CI BOLSA CLABE (a recorded test payload).
inline constexpr char kFintocSimulatedSenderClabe[] = "631969456789123456";

struct FintocConfig {
  std::string secret_key = kFintocDemoSecretKey;
  // PEM public key checking Fintoc-JWS-Signature; empty: every signed call answers 401
  // missing_active_jws_public_key.
  std::string jws_public_key_pem;
  JwsVerifierOptions jws;
  std::string webhook_url;  // empty: events are counted as skipped, not sent
  std::string webhook_secret = kFintocDemoWebhookSecret;
  // pending -> final status after this long; negative: only on POST /_sandbox/settle.
  absl::Duration settle_after = absl::Seconds(2);
  std::string link_scheme = "https";  // of the absolute URLs in Link headers

  // The seeded account: the test-mode ids and CLABE of the recorded traffic
  // (docs/providers/fintoc.md#test-mode).
  std::string account_id = "acc_31yYL7h9LVPg121AgFtCyJPDsgM";
  std::string root_account_number_id = "acno_31yYL5uOb39vzvRIszPhoXYMjt4";
  std::string root_account_number = "735969000000203297";
  std::string entity_id = "ent_31yYKz4qSandboxEntity000001";
  int64_t account_balance = 1'000'000'000;  // MXN 10,000,000.00 in centavos

  WebhookSenderOptions webhooks;
  // false: Idempotency-Key is ignored (every POST proceeds), as when a key expired;
  // switchable later with SetDedup / POST /_sandbox/dedup.
  bool dedup = true;
  // Duplicated and delayed webhook deliveries; also POST /_sandbox/webhook_faults.
  WebhookFaults webhook_faults;
};

}  // namespace sandbox

#endif  // SANDBOX_FINTOC_FINTOC_CONFIG_H_
