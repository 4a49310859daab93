// Every money-moving request a simulator received (Monato money_out and refund, Fintoc
// transfer and return), counted per provider Idempotency-Key and per body, so tests can assert
// what the gateway SENT, not only what the provider created: a provider that deduplicates
// hides a second send behind a replay, and one that does not (see IdempotencyStore's
// dedup switch) turns it into a second transfer. Thread-safe.
//
// Without dedup, a second transfer under one key is the gateway's fault only when it had the
// answer to the first: a re-send after a reply that never reached it is what keys are for. So
// the ledger also tells those apart. It can lose replies itself (SendFaults: the request is
// processed, then the connection is closed without the reply, optionally after a delay past
// the caller's timeout), and it stamps each send with an epoch the test bumps whenever it kills
// the caller (a killed gateway lost whatever replies it had not stored). A transfer is
// "unjustified" when an earlier-arrived send under the same key had already created one, in
// the same epoch, with its reply delivered.
#ifndef SANDBOX_COMMON_SEND_LEDGER_H_
#define SANDBOX_COMMON_SEND_LEDGER_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "absl/synchronization/mutex.h"
#include "sandbox/http/http_server.h"

namespace sandbox {

struct SendCount {
  int64_t sends = 0;         // requests that reached the simulator (authenticated)
  int64_t created = 0;       // of them, fresh 2xx answers: money moved
  int64_t replays = 0;       // answered from the Idempotency-Key store
  int64_t refused = 0;       // any other non-2xx answer (validation, conflict, in progress, ...)
  int64_t replies_lost = 0;  // replies the ledger's SendFaults dropped
  // Transfers made although an earlier-arrived send of the key had made one whose reply was
  // delivered in the same epoch. Computed per key only (and summed in the total).
  int64_t unjustified = 0;
};

// Replies to lose on purpose (see above). Set at run time.
struct SendFaults {
  int lose_reply_next = 0;      // the next N money-moving requests
  int lose_reply_after_ms = 0;  // how long the connection stays silent before it is closed
};

// Taken when a request arrives: its place in arrival order, the epoch, and whether its reply
// is to be lost (the simulator then processes it and calls Responder::Drop after
// lose_reply_after_ms instead of sending the reply).
struct SendTicket {
  uint64_t arrival = 0;
  int64_t epoch = 0;
  bool lose_reply = false;
  int lose_reply_after_ms = 0;
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
  // When a money-moving request arrives (consumes one of SendFaults::lose_reply_next).
  SendTicket Arrive();
  // `operation`: "money_out", "refund", "transfer" or "return". `key` "" when absent;
  // `body_fingerprint` from BodyFingerprint. `replayed`: the reply came from the key store.
  // `ticket`: what Arrive() gave when the request arrived.
  void Record(const std::string& operation, const std::string& key,
              const std::string& body_fingerprint, const ServerReply& reply, bool replayed,
              const SendTicket& ticket);

  void SetFaults(SendFaults faults);
  SendFaults faults() const;
  // Bumped by a test whenever it kills the caller (a killed caller lost its unstored replies).
  void set_epoch(int64_t epoch);
  int64_t epoch() const;

  SendSnapshot snapshot() const;
  // {"total":{counts},"without_key":N,"max_created_per_key":N,"max_created_per_body":N,
  //  "epoch":N,"keys":[{"operation","key",counts}],"bodies":[{"operation","body_sha256",
  //  counts}]}; counts: sends, created, replays, refused, replies_lost, unjustified.
  boost::json::object ToJson() const;

 private:
  struct Event {
    uint64_t arrival;
    int64_t epoch;
    bool created;
    bool reply_lost;
  };

  mutable absl::Mutex mu_;
  SendSnapshot counts_ ABSL_GUARDED_BY(mu_);
  std::map<SendKey, std::vector<Event>> events_ ABSL_GUARDED_BY(mu_);  // per key
  SendFaults faults_ ABSL_GUARDED_BY(mu_);
  int64_t epoch_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_arrival_ ABSL_GUARDED_BY(mu_) = 0;
};

boost::json::object SendCountJson(const SendCount& count);

}  // namespace sandbox

#endif  // SANDBOX_COMMON_SEND_LEDGER_H_
