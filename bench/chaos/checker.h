// The chaos run's verdict: compares what the providers (the sandbox) did with what the gateway
// recorded and what its callers were told. Pure: the inputs are collected elsewhere
// (collect.h), so every check can be tested on hand-made records.
#ifndef BENCH_CHAOS_CHECKER_H_
#define BENCH_CHAOS_CHECKER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace chaos {

// One transfer a provider made (GET /_sandbox/transfers): a Monato money_out, a Fintoc
// outbound transfer. CheckInput::transfers is oldest first, as the sandbox lists them.
struct ProviderTransfer {
  std::string provider;  // "monato" | "fintoc"
  std::string id;
  std::string idempotency_key;  // the provider key the gateway sent
  int64_t amount = 0;           // centavos
  std::string clabe;
  std::string reference;
  std::string status;  // the provider's own: LIQUIDATED, pending, ...
};

// The send ledger's row for one provider key or one body (GET /_sandbox/sends).
struct SendRow {
  std::string provider;
  std::string operation;  // money_out, transfer, ...
  std::string key;        // provider key, or the body's SHA-256
  int64_t sends = 0;
  int64_t created = 0;
  int64_t replays = 0;
  int64_t replies_lost = 0;  // lost on purpose by the sandbox
  // Transfers made although the gateway had (or was about to get) the answer to an earlier
  // send of the key: a second send its own claim should have prevented.
  int64_t unjustified = 0;
};

struct GatewayPayout {
  std::string id;
  std::string provider;
  std::string idempotency_key;  // the caller's
  int64_t amount = 0;
  std::string clabe;
  std::string reference;
  std::string status;  // PENDING, SUCCEEDED, ..., UNKNOWN (proto names without the prefix)
  std::string provider_payout_id;
  std::string status_reason;
};

// What the chaos driver asked and was finally told for one caller key.
struct Job {
  std::string key;
  std::string provider;
  int64_t amount = 0;
  std::string clabe;
  std::string reference;
  bool answered = false;  // got a definite answer before giving up
  std::string code;       // gRPC code name of the last answer, "OK" on success
  std::string payout_id;  // with OK
  int sends = 0;          // CreatePayout calls made for this key, retries and re-sends included
  bool resent = false;    // re-sent after a definite answer (or concurrently)
  // Set when two definite answers for this key differed (code or payout id): what they were.
  std::string inconsistent;
};

struct CheckInput {
  std::vector<ProviderTransfer> transfers;
  std::vector<SendRow> key_sends;
  std::vector<SendRow> body_sends;
  std::vector<GatewayPayout> payouts;
  std::vector<Job> jobs;
};

struct CheckResult {
  // Broken for good: money moved wrongly or a caller was told something false.
  std::vector<std::string> violations;
  // Not settled yet (UNKNOWN payouts, statuses that disagree, transfers the gateway has not
  // recorded yet): violations once the resolver has had its time.
  std::vector<std::string> unsettled;
  std::map<std::string, int64_t> counts;  // figures for the report
  bool ok() const { return violations.empty() && unsettled.empty(); }
};

// The gateway status a provider's status must end as ("" while the provider's is not final).
std::string ExpectedGatewayStatus(const std::string& provider, const std::string& status);

CheckResult Check(const CheckInput& input);

}  // namespace chaos

#endif  // BENCH_CHAOS_CHECKER_H_
