// libpq plumbing for PostgresStore: typed parameters sent in binary format (values never go
// into SQL text), results read in binary format, connections that reset themselves once when
// the server dropped them, and a fixed-size pool. Error messages never contain the password
// from the connection URL.
#ifndef IDEMPOTENCY_POSTGRES_CONNECTION_H_
#define IDEMPOTENCY_POSTGRES_CONNECTION_H_

#include <postgresql/libpq-fe.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace idempotency {

// Removes secrets (the URL's password, raw and percent-decoded) from text meant for errors.
class SecretRedactor {
 public:
  explicit SecretRedactor(absl::string_view url);
  std::string Redact(absl::string_view text) const;

 private:
  std::vector<std::string> secrets_;
};

// Query parameters, each with its PostgreSQL type, all in binary format.
class PgParams {
 public:
  PgParams& Text(absl::string_view value);   // TEXT (must be UTF-8)
  PgParams& Bytes(absl::string_view value);  // BYTEA, any bytes
  PgParams& Int64(int64_t value);            // BIGINT
  PgParams& Int32(int32_t value);            // INTEGER

 private:
  friend class PgConnection;
  PgParams& Add(Oid type, std::string value);

  std::vector<Oid> types_;
  std::vector<std::string> values_;
};

// A query result, read in binary format.
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}
  int rows() const;
  int64_t affected_rows() const;                 // of INSERT/UPDATE/DELETE
  std::string command_tag() const;               // "COMMIT", "INSERT 0 1", ...
  std::string Bytes(int row, int column) const;  // TEXT and BYTEA alike; NULL is ""
  int64_t Int(int row, int column) const;        // SMALLINT, INTEGER or BIGINT
  bool Bool(int row, int column) const;
  const PGresult* get() const { return result_.get(); }

 private:
  struct Clear {
    void operator()(PGresult* result) const { PQclear(result); }
  };
  std::unique_ptr<PGresult, Clear> result_;
};

// What every connection of a pool is opened with.
struct PgConnectionSettings {
  std::string url;     // postgres://... or key=value conninfo, as libpq accepts it
  std::string schema;  // if set: search_path of every session (must be a plain identifier)
};

// One server session, used by one thread at a time.
class PgConnection {
 public:
  static absl::StatusOr<std::unique_ptr<PgConnection>> Connect(const PgConnectionSettings& settings,
                                                               const SecretRedactor* redactor);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement with parameters; `sql` is a constant of the caller, never built from
  // values.
  absl::StatusOr<PgResult> Exec(const char* sql, const PgParams& params = PgParams());
  // Runs constant SQL without parameters (may hold several statements: DDL).
  absl::Status ExecScript(const char* sql);
  // Makes sure the session is usable before a unit of work: a connection the server closed
  // (restart, idle timeout, terminated backend) is reset once, its session set up again.
  absl::Status EnsureUsable();
  // "identifier" quoted for SQL text (for DDL, where parameters are not allowed).
  std::string QuoteIdentifier(absl::string_view identifier) const;
  // Inside a transaction (open, or failed and waiting for its rollback).
  bool InTransaction() const;
  // Inside a transaction that still takes statements.
  bool InOpenTransaction() const;

 private:
  PgConnection(PGconn* conn, const SecretRedactor* redactor) : conn_(conn), redactor_(redactor) {}
  absl::Status SetUpSession();
  absl::Status ErrorFrom(const PGresult* result, absl::string_view what) const;

  PGconn* conn_;
  const SecretRedactor* redactor_;
  std::string schema_;
};

// BEGIN ... COMMIT on one connection, rolled back unless committed. Inside a transaction the
// connection already has (a pinned one, see PgPool), a savepoint instead: released on Commit,
// rolled back to otherwise, so a failed call undoes only itself.
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection* connection) : connection_(connection) {}
  ~PgTransaction();
  absl::Status Begin();
  absl::Status Commit();

 private:
  PgConnection* connection_;
  bool open_ = false;
  bool nested_ = false;
};

// A fixed number of connections; Acquire waits for a free one.
class PgPool {
 public:
  static absl::StatusOr<std::unique_ptr<PgPool>> Open(const PgConnectionSettings& settings,
                                                      int size);

  // A checked-out connection, returned to the pool when destroyed (unless it is the calling
  // thread's pinned one, which stays pinned).
  class Lease {
   public:
    Lease(PgPool* pool, std::unique_ptr<PgConnection> connection)
        : pool_(pool), owned_(std::move(connection)), connection_(owned_.get()) {}
    explicit Lease(PgConnection* pinned) : pool_(nullptr), connection_(pinned) {}
    Lease(Lease&&) = default;
    ~Lease();
    PgConnection* operator->() const { return connection_; }
    PgConnection* get() const { return connection_; }
    std::unique_ptr<PgConnection> Release() { return std::move(owned_); }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConnection> owned_;
    PgConnection* connection_;
  };

  // A usable connection, or UNAVAILABLE if the free one could not be reset. A thread that
  // pinned a connection gets that one.
  absl::StatusOr<Lease> Acquire();

  // Pins a connection to the calling thread and opens a transaction on it: until
  // CommitPinned, every Acquire of this thread returns it, so several store calls are one
  // transaction (StoreExecutor's unit of work).
  absl::Status BeginPinned();
  // COMMIT (an error if PostgreSQL rolled the transaction back), then unpins.
  absl::Status CommitPinned();
  // The calling thread's pinned transaction still takes statements.
  bool PinnedOpen();
  const SecretRedactor& redactor() const { return *redactor_; }

 private:
  explicit PgPool(std::unique_ptr<SecretRedactor> redactor) : redactor_(std::move(redactor)) {}
  void Return(std::unique_ptr<PgConnection> connection);
  bool HasIdle() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::unique_ptr<SecretRedactor> redactor_;  // outlives the connections that point to it
  absl::Mutex mu_;
  std::vector<std::unique_ptr<PgConnection>> idle_ ABSL_GUARDED_BY(mu_);
  std::map<std::thread::id, std::unique_ptr<PgConnection>> pinned_ ABSL_GUARDED_BY(mu_);
};

}  // namespace idempotency

#endif  // IDEMPOTENCY_POSTGRES_CONNECTION_H_
