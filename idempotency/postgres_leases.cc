#include "idempotency/postgres_store.h"
#include "vocabulary/status_macros.h"

// PostgresStore, part three: named leases (one replica at a time runs a scheduled job).
namespace idempotency {

absl::StatusOr<bool> PostgresStore::TryTakeLease(const std::string& name, const std::string& holder,
                                                 absl::Time now, absl::Duration ttl) {
  RETURN_IF_ERROR(CheckLeaseRequest(name, holder, ttl));
  ASSIGN_OR_RETURN(auto connection, pool_->Acquire());
  // One statement, atomic across replicas: a racing insert of the same name waits for the
  // first's transaction, then sees its row and applies the WHERE to it (READ COMMITTED's
  // ON CONFLICT DO UPDATE reads the newest committed row), so exactly one racer takes a free
  // lease. A row comes back only when `holder` holds the lease.
  ASSIGN_OR_RETURN(
      auto taken,
      connection->Exec("INSERT INTO leases (name, holder, expires_us) VALUES ($1, $2, $3) "
                       "ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, "
                       "expires_us = EXCLUDED.expires_us "
                       "WHERE leases.expires_us <= $4 OR leases.holder = EXCLUDED.holder "
                       "RETURNING holder",
                       PgParams()
                           .Text(name)
                           .Text(holder)
                           .Int64(absl::ToUnixMicros(now + ttl))
                           .Int64(absl::ToUnixMicros(now))));
  return taken.rows() == 1;
}

}  // namespace idempotency
