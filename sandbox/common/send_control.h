// The control endpoints both simulators share for money-safety proofs (sandbox/README.md):
//   GET  /_sandbox/dedup      {"dedup":true|false}
//   POST /_sandbox/dedup      {"dedup":false} switches Idempotency-Key deduplication
//   GET  /_sandbox/sends      the SendLedger's counts, plus "dedup", "keys_total", "bodies_total"
//   GET  /_sandbox/transfers  {"transfers":[...],"transfers_total":N} every transfer made
// (both lists take ?offset=&limit= to be read in pages)
//   GET|POST /_sandbox/send_faults  {"lose_reply_next":N,"lose_reply_after_ms":N} (SendFaults)
//   POST /_sandbox/epoch      {"epoch":N}: stamps the sends from now on (SendLedger)
#ifndef SANDBOX_COMMON_SEND_CONTROL_H_
#define SANDBOX_COMMON_SEND_CONTROL_H_

#include <functional>

#include <boost/json.hpp>

#include "absl/types/optional.h"
#include "sandbox/common/idempotency_store.h"
#include "sandbox/common/send_ledger.h"
#include "sandbox/http/http_server.h"

namespace sandbox {

// The reply when `request` is one of the calls above; nullopt for any other path.
absl::optional<ServerReply> SendControlReply(const ServerRequest& request,
                                             IdempotencyStore& idempotency, SendLedger& sends,
                                             const std::function<boost::json::array()>& transfers);

}  // namespace sandbox

#endif  // SANDBOX_COMMON_SEND_CONTROL_H_
