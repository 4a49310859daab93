// What the store benchmarks share for PostgreSQL: the server to use (--postgres_url, else
// $GATEWAY_TEST_POSTGRES_URL, e.g. the one scripts/postgres.sh starts) and a throwaway schema
// on it, so a run neither sees nor leaves rows of another.
#ifndef BENCH_POSTGRES_SCRATCH_H_
#define BENCH_POSTGRES_SCRATCH_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "idempotency/postgres_connection.h"

namespace bench {

// `flag` when set, else $GATEWAY_TEST_POSTGRES_URL, else "" (no PostgreSQL run).
std::string BenchPostgresUrl(const std::string& flag);

// A schema named bench_<random hex> on `url`, dropped (CASCADE) when this goes away. The
// stores create their tables in it when opened with its name.
class ScratchSchema {
 public:
  static absl::StatusOr<std::unique_ptr<ScratchSchema>> Create(const std::string& url);
  ~ScratchSchema();  // drops the schema; a failure is printed, not fatal

  const std::string& name() const { return name_; }
  // An administrative connection outside the schema (e.g. to SHOW server settings).
  idempotency::PgConnection& admin() { return *admin_; }

 private:
  ScratchSchema(std::string url, std::string name);

  idempotency::SecretRedactor redactor_;  // outlives admin_, which points at it
  std::string name_;
  std::unique_ptr<idempotency::PgConnection> admin_;
};

}  // namespace bench

#endif  // BENCH_POSTGRES_SCRATCH_H_
