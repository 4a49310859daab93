// The gateway's whole database: idempotency claims and answers (ClaimStore), payout records
// (PayoutStore), the payout event log (PayoutEventLog), received money (ReceivedMoneyStore)
// and named leases for scheduled jobs (LeaseStore), plus the group commit that lets several
// calls share one transaction.
// Code that needs one part takes that interface; StoreExecutor holds the whole.
//
// Implementations: SqliteStore (the embedded default), PostgresStore (several replicas share
// it), MemoryStore (unit tests only), InstrumentedStore (counts and times another). The
// interface is BLOCKING on purpose: callers reach it through StoreExecutor, whose own threads
// absorb the disk and network waits, so no gRPC or Asio thread ever blocks on the database.
#ifndef IDEMPOTENCY_GATEWAY_STORE_H_
#define IDEMPOTENCY_GATEWAY_STORE_H_

#include "absl/status/status.h"
#include "idempotency/claim_store.h"
#include "idempotency/lease_store.h"
#include "idempotency/payout_event_log.h"
#include "idempotency/payout_store.h"
#include "idempotency/received_money_store.h"

namespace idempotency {

class GatewayStore : public ClaimStore,
                     public PayoutStore,
                     public PayoutEventLog,
                     public ReceivedMoneyStore,
                     public LeaseStore {
 public:
  ~GatewayStore() override = default;

  // Group commit (optional). StoreExecutor may run several calls between BeginBatch and
  // CommitBatch on its one thread, so that one disk flush makes them all durable. Each call
  // stays all-or-nothing inside the batch; nothing in it is durable, and the executor answers
  // none of its callers, until CommitBatch succeeds. Stores that cannot batch keep these.
  virtual bool SupportsBatches() const { return false; }
  virtual absl::Status BeginBatch() { return absl::OkStatus(); }
  // An error means none of the batch is durable.
  virtual absl::Status CommitBatch() { return absl::OkStatus(); }
  // False once the store lost the batch's transaction to an error: add no more calls to it.
  virtual bool BatchOpen() { return true; }
};

}  // namespace idempotency

#endif  // IDEMPOTENCY_GATEWAY_STORE_H_
