// The control endpoints both simulators share for money-safety proofs (sandbox/README.md):
//   GET  /_sandbox/dedup      {"dedup":true|false}
//   POST /_sandbox/dedup      {"dedup":false} switches Idempotency-Key deduplication
//   GET  /_sandbox/sends      the SendLedger's counts, plus "dedup"
//   GET  /_sandbox/transfers  {"transfers":[...]} every transfer the simulator made
//   GET|POST /_sandbox/send_faults  {"lose_reply_next":N,"lose_reply_after_ms":N} (SendFaults)
//   POST /_sandbox/epoch      {"epoch":N}: stamps the sends from now on (SendLedger)
#ifndef SANDBOX_COMMON_SEND_CONTROL_H_
#define SANDBOX_COMMON_SEND_CONTROL_H_

#include <functional>

#include <boost/json.hpp>

#include "absl/types/optional.h"
#include "sandbox/common/idempotency_store.h"
#include "sandbox/common/send_ledger.h"
#include "sandbox/http/https_server.h"

namespace sandbox {

// The reply when `request` is one of the calls above; nullopt for any other path.
absl::optional<Reply> SendControlReply(const Request& request, IdempotencyStore& idempotency,
                                       SendLedger& sends,
                                       const std::function<boost::json::array()>& transfers);

}  // namespace sandbox

#endif  // SANDBOX_COMMON_SEND_CONTROL_H_
