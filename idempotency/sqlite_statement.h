// SQLite plumbing for SqliteStore: prepared statements (cached per connection) with typed
// binding and reading, and the transaction (or savepoint) around one store call.
#ifndef IDEMPOTENCY_SQLITE_STATEMENT_H_
#define IDEMPOTENCY_SQLITE_STATEMENT_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace idempotency {

// Prepared statements of one connection kept for reuse, so each SQL text is parsed once rather
// than on every store call. Not thread-safe: its owner serializes use of the connection.
class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}
  ~StatementCache() {
    for (auto& [sql, statement] : idle_) sqlite3_finalize(statement);
  }
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  sqlite3* db() const { return db_; }
  // An idle prepared statement for `sql`, or a newly prepared one; SQLite's code in `status`.
  sqlite3_stmt* Take(const std::string& sql, int* status) {
    if (auto it = idle_.find(sql); it != idle_.end()) {
      sqlite3_stmt* statement = it->second;
      idle_.erase(it);
      *status = SQLITE_OK;
      return statement;
    }
    sqlite3_stmt* statement = nullptr;
    *status = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                 SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    return statement;
  }
  // Back for the next call, reset and unbound (one idle copy per text).
  void Give(const std::string& sql, sqlite3_stmt* statement) {
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    if (!idle_.emplace(sql, statement).second) sqlite3_finalize(statement);
  }

 private:
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> idle_;
};

class SqliteStatement {
 public:
  // Prepared for this use only (migrations, one-off statements).
  SqliteStatement(sqlite3* db, const char* sql) : db_(db) {
    status_ = sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr);
  }
  // Taken from `cache` and given back to it afterwards.
  SqliteStatement(StatementCache* cache, std::string sql)
      : db_(cache->db()), cache_(cache), sql_(std::move(sql)) {
    statement_ = cache_->Take(sql_, &status_);
  }
  ~SqliteStatement() {
    if (cache_ != nullptr && statement_ != nullptr) {
      cache_->Give(sql_, statement_);
    } else {
      sqlite3_finalize(statement_);
    }
  }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  SqliteStatement& Bind(int index, int64_t value) {
    if (status_ == SQLITE_OK) status_ = sqlite3_bind_int64(statement_, index, value);
    return *this;
  }
  // Identifiers and other text (compared in WHERE clauses).
  SqliteStatement& Bind(int index, const std::string& value) {
    if (status_ == SQLITE_OK) {
      status_ = sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                                  SQLITE_TRANSIENT);
    }
    return *this;
  }
  // Serialized messages: bytes, never compared.
  SqliteStatement& BindBlob(int index, const std::string& value) {
    if (status_ == SQLITE_OK) {
      status_ = sqlite3_bind_blob(statement_, index, value.data(), static_cast<int>(value.size()),
                                  SQLITE_TRANSIENT);
    }
    return *this;
  }

  // True while a row is available; check status() afterwards.
  bool Step() {
    if (status_ != SQLITE_OK && status_ != SQLITE_ROW) return false;
    const int result = sqlite3_step(statement_);
    if (result == SQLITE_ROW) {
      status_ = SQLITE_ROW;
      return true;
    }
    status_ = result == SQLITE_DONE ? SQLITE_OK : result;
    return false;
  }
  // Runs a statement that returns no rows.
  absl::Status Run() {
    Step();
    return status();
  }

  int64_t Int(int column) const { return sqlite3_column_int64(statement_, column); }
  std::string Text(int column) const {
    const void* data = sqlite3_column_blob(statement_, column);
    const int size = sqlite3_column_bytes(statement_, column);
    return data == nullptr ? std::string() : std::string(static_cast<const char*>(data), size);
  }

  absl::Status status() const {
    if (status_ == SQLITE_OK || status_ == SQLITE_ROW) return absl::OkStatus();
    return absl::UnavailableError(absl::StrCat("sqlite: ", sqlite3_errmsg(db_)));
  }

 private:
  sqlite3* db_;
  StatementCache* cache_ = nullptr;
  std::string sql_;
  sqlite3_stmt* statement_ = nullptr;
  int status_ = SQLITE_OK;
};

// One store call, all or nothing: BEGIN IMMEDIATE ... COMMIT on its own, or a savepoint when
// it runs inside a batch (group commit), so that a failed call undoes only itself.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(sqlite3* db) : db_(db), nested_(sqlite3_get_autocommit(db) == 0) {
    begun_ = Run(nested_ ? "SAVEPOINT store_call" : "BEGIN IMMEDIATE");
  }
  ~SqliteTransaction() {
    if (!begun_ || committed_) return;
    if (nested_) {
      Run("ROLLBACK TO store_call");
      Run("RELEASE store_call");
    } else {
      Run("ROLLBACK");
    }
  }
  absl::Status begun() const {
    return begun_ ? absl::OkStatus()
                  : absl::UnavailableError(absl::StrCat("sqlite: ", sqlite3_errmsg(db_)));
  }
  absl::Status Commit() {
    if (!Run(nested_ ? "RELEASE store_call" : "COMMIT")) {
      return absl::UnavailableError(absl::StrCat("sqlite commit: ", sqlite3_errmsg(db_)));
    }
    committed_ = true;
    return absl::OkStatus();
  }

 private:
  bool Run(const char* sql) {
    return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  }

  sqlite3* db_;
  const bool nested_;
  bool begun_ = false;
  bool committed_ = false;
};

}  // namespace idempotency

#endif  // IDEMPOTENCY_SQLITE_STATEMENT_H_
