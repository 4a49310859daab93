// Every money-moving request a simulator received (Monato money_out and refund, Fintoc
// transfer and return), counted per provider Idempotency-Key and per body, so tests can assert
// what the gateway SENT, not only what the provider created: a provider that deduplicates
// hides a second send behind a replay, and one that does not (see IdempotencyStore's
// dedup switch) turns it into a second transfer. Thread-safe.
#ifndef SANDBOX_COMMON_SEND_LEDGER_H_
#define SANDBOX_COMMON_SEND_LEDGER_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include <boost/json.hpp>

#include "absl/synchronization/mutex.h"
#include "sandbox/http/https_server.h"

namespace sandbox {

struct SendCount {
  int64_t sends = 0;    // requests that reached the simulator (authenticated)
  int64_t created = 0;  // of them, fresh 2xx answers: money moved
  int64_t replays = 0;  // answered from the Idempotency-Key store
  int64_t refused = 0;  // any other non-2xx answer (validation, conflict, in progress, ...)
};

// (operation, Idempotency-Key) or (operation, body fingerprint).
using SendKey = std::pair<std::string, std::string>;

struct SendSnapshot {
  SendCount total;
  int64_t without_key = 0;               // sends with no Idempotency-Key
  std::map<SendKey, SendCount> by_key;   // the key as sent
  std::map<SendKey, SendCount> by_body;  // SHA-256 of the canonical JSON body

  // Zero counts when never seen.
  SendCount ForKey(const std::string& operation, const std::string& key) const;
  // The largest number of fresh 2xx answers (transfers) any one key or body got.
  int64_t MaxCreatedPerKey() const;
  int64_t MaxCreatedPerBody() const;
};

class SendLedger {
 public:
  // `operation`: "money_out", "refund", "transfer" or "return". `key` "" when absent;
  // `body_fingerprint` from BodyFingerprint. `replayed`: the reply came from the key store.
  void Record(const std::string& operation, const std::string& key,
              const std::string& body_fingerprint, const Reply& reply, bool replayed);

  SendSnapshot snapshot() const;
  // {"total":{counts},"without_key":N,"max_created_per_key":N,"max_created_per_body":N,
  //  "keys":[{"operation","key",counts}],"bodies":[{"operation","body_sha256",counts}]}.
  boost::json::object ToJson() const;

 private:
  mutable absl::Mutex mu_;
  SendSnapshot counts_ ABSL_GUARDED_BY(mu_);
};

boost::json::object SendCountJson(const SendCount& count);

}  // namespace sandbox

#endif  // SANDBOX_COMMON_SEND_LEDGER_H_
