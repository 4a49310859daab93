// Configuration of the STP simulator: the one company (empresa) it serves, the public key its
// orders' `firma` must verify with, the company's ordering account, where notifications go,
// and the value that triggers a simulated cancellation.
#ifndef SANDBOX_STP_STP_CONFIG_H_
#define SANDBOX_STP_STP_CONFIG_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "sandbox/common/webhook_sender.h"

namespace sandbox {

inline constexpr char kStpDefaultEmpresa[] = "SANDBOX";
// STP's own Banxico code: every order STP sends has it as institucionOperante.
inline constexpr int kStpBankCode = 90646;
// The company's seeded ordering account: STP (646), plaza 180, account 1, check digit.
inline constexpr char kStpDefaultCuentaOrdenante[] = "646180000000000012";
// Orders to this beneficiary CLABE (valid check digit) end cancelled ("CN") instead of
// liquidated: the sandbox's own trigger, STP documents none.
inline constexpr char kStpCancelledBeneficiary[] = "012180000000000044";
// Deposits recorded by POST /_sandbox/stp/receive come from this BBVA CLABE by default.
inline constexpr char kStpDefaultDepositSender[] = "012180000000000057";

struct StpConfig {
  std::string empresa = kStpDefaultEmpresa;
  // PEM RSA public key every `firma` must verify with; empty: every signed call answers
  // "Error validando la firma".
  std::string public_key_pem;
  std::string cuenta_ordenante = kStpDefaultCuentaOrdenante;
  std::string nombre_ordenante = "SANDBOX SA DE CV";
  // Where state changes of sent orders (cambio de estado) and received deposits (abonos) are
  // POSTed; empty: counted as skipped.
  std::string state_webhook_url;
  std::string deposit_webhook_url;
  // pending -> final state after this long; negative: only on POST /_sandbox/settle.
  absl::Duration settle_after = absl::Seconds(2);
  WebhookSenderOptions webhooks;
  WebhookFaults webhook_faults;
  // false: a reused claveRastreo is accepted as a new order (as when the gateway re-sends
  // under a new day), for proving sends; switchable with POST /_sandbox/dedup.
  bool dedup = true;
  int64_t first_order_id = 9349827;  // ids are consecutive from here
};

}  // namespace sandbox

#endif  // SANDBOX_STP_STP_CONFIG_H_
