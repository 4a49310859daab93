// A prepared SQLite statement with typed binding and reading, finalized on destruction.
#ifndef IDEMPOTENCY_SQLITE_STATEMENT_H_
#define IDEMPOTENCY_SQLITE_STATEMENT_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace idempotency {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, const char* sql) : db_(db) {
    status_ = sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr);
  }
  ~SqliteStatement() { sqlite3_finalize(statement_); }
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
  sqlite3_stmt* statement_ = nullptr;
  int status_ = SQLITE_OK;
};

}  // namespace idempotency

#endif  // IDEMPOTENCY_SQLITE_STATEMENT_H_
