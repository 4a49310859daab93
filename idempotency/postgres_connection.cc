#include "idempotency/postgres_connection.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "vocabulary/status_macros.h"

namespace idempotency {
namespace {

// Type OIDs from PostgreSQL's pg_type.dat (stable across versions).
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;

constexpr int kBinaryFormat = 1;

int HexValue(char c) {
  return absl::ascii_isdigit(c) ? c - '0' : absl::ascii_tolower(c) - 'a' + 10;
}

std::string PercentDecoded(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && absl::ascii_isxdigit(text[i + 1]) &&
        absl::ascii_isxdigit(text[i + 2])) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// libpq messages end with a newline and may span lines; errors are one line.
std::string OneLine(absl::string_view text) {
  std::string line = absl::StrReplaceAll(text, {{"\n", " "}, {"\t", " "}});
  absl::StripTrailingAsciiWhitespace(&line);
  return line;
}

bool IsPlainIdentifier(absl::string_view name) {
  if (name.empty() || name.size() > 63 || absl::ascii_isdigit(name[0])) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return absl::ascii_isalnum(c) || c == '_'; });
}

// Server notices ("relation already exists, skipping", ...) are not for stderr.
void IgnoreNotice(void*, const char*) {}

}  // namespace

SecretRedactor::SecretRedactor(absl::string_view url) {
  std::vector<std::string> raw;
  // postgres://user:PASSWORD@host/...: everything between the user's ':' and the last '@'.
  if (size_t scheme_end = url.find("://"); scheme_end != absl::string_view::npos) {
    const absl::string_view rest = url.substr(scheme_end + 3);
    const size_t at = rest.rfind('@');
    if (at != absl::string_view::npos) {
      const absl::string_view user_info = rest.substr(0, at);
      if (size_t colon = user_info.find(':'); colon != absl::string_view::npos) {
        raw.emplace_back(user_info.substr(colon + 1));
      }
    }
  }
  // ...?password=PASSWORD&... and password=PASSWORD in key=value strings.
  for (absl::string_view part : absl::StrSplit(url, absl::ByAnyChar("?& "))) {
    if (absl::ConsumePrefix(&part, "password=")) raw.emplace_back(part);
  }
  for (const std::string& secret : raw) {
    secrets_.push_back(secret);
    secrets_.push_back(PercentDecoded(secret));
    if (secret.size() > 2 && secret.front() == '\'' && secret.back() == '\'') {
      secrets_.push_back(secret.substr(1, secret.size() - 2));
    }
  }
  secrets_.erase(std::remove(secrets_.begin(), secrets_.end(), ""), secrets_.end());
  // Longest first, so that a secret containing another is removed whole.
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string SecretRedactor::Redact(absl::string_view text) const {
  std::string out(text);
  for (const std::string& secret : secrets_) absl::StrReplaceAll({{secret, "***"}}, &out);
  return out;
}

PgParams& PgParams::Add(Oid type, std::string value) {
  types_.push_back(type);
  values_.push_back(std::move(value));
  return *this;
}

PgParams& PgParams::Text(absl::string_view value) { return Add(kTextOid, std::string(value)); }

PgParams& PgParams::Bytes(absl::string_view value) { return Add(kByteaOid, std::string(value)); }

PgParams& PgParams::Int64(int64_t value) {
  std::string bytes(8, '\0');  // binary format: big-endian two's complement
  const auto bits = static_cast<uint64_t>(value);
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(bits >> (56 - 8 * i));
  return Add(kInt8Oid, std::move(bytes));
}

PgParams& PgParams::Int32(int32_t value) {
  std::string bytes(4, '\0');
  const auto bits = static_cast<uint32_t>(value);
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>(bits >> (24 - 8 * i));
  return Add(kInt4Oid, std::move(bytes));
}

int PgResult::rows() const { return PQntuples(result_.get()); }

int64_t PgResult::affected_rows() const {
  int64_t count = 0;
  return absl::SimpleAtoi(PQcmdTuples(result_.get()), &count) ? count : 0;
}

std::string PgResult::command_tag() const { return PQcmdStatus(result_.get()); }

std::string PgResult::Bytes(int row, int column) const {
  if (PQgetisnull(result_.get(), row, column)) return std::string();
  return std::string(PQgetvalue(result_.get(), row, column),
                     PQgetlength(result_.get(), row, column));
}

int64_t PgResult::Int(int row, int column) const {
  const auto* data = reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row, column));
  const int length = PQgetlength(result_.get(), row, column);
  if (length != 2 && length != 4 && length != 8) return 0;
  uint64_t bits = (data[0] & 0x80) ? ~uint64_t{0} : 0;  // sign-extend
  for (int i = 0; i < length; ++i) bits = (bits << 8) | data[i];
  return static_cast<int64_t>(bits);
}

bool PgResult::Bool(int row, int column) const {
  return PQgetlength(result_.get(), row, column) == 1 &&
         PQgetvalue(result_.get(), row, column)[0] != 0;
}

absl::StatusOr<std::unique_ptr<PgConnection>> PgConnection::Connect(
    const PgConnectionSettings& settings, const SecretRedactor* redactor) {
  if (!settings.schema.empty() && !IsPlainIdentifier(settings.schema)) {
    return absl::InvalidArgumentError(
        "PostgreSQL schema must be a plain identifier (letters, digits, _)");
  }
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(settings.url.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string message = parse_error != nullptr ? OneLine(parse_error) : "out of memory";
    PQfreemem(parse_error);
    return absl::InvalidArgumentError(
        absl::StrCat("invalid PostgreSQL connection URL: ", redactor->Redact(message)));
  }
  PQconninfoFree(parsed);
  // Entries before "dbname" are defaults the URL may override (libpq's expand_dbname rule).
  const char* keywords[] = {"connect_timeout", "tcp_user_timeout", "application_name", "dbname",
                            nullptr};
  const char* values[] = {"10", "30000", "payouts-gateway", settings.url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return absl::ResourceExhaustedError("libpq: out of memory");
  std::unique_ptr<PgConnection> connection(new PgConnection(conn, redactor));
  connection->schema_ = settings.schema;
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  if (PQstatus(conn) != CONNECTION_OK) {
    return absl::UnavailableError(absl::StrCat("cannot connect to PostgreSQL: ",
                                               redactor->Redact(OneLine(PQerrorMessage(conn)))));
  }
  if (PQserverVersion(conn) < 90500) {  // INSERT ... ON CONFLICT
    return absl::FailedPreconditionError("the store needs PostgreSQL 9.5 or newer");
  }
  RETURN_IF_ERROR(connection->SetUpSession());
  return connection;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

absl::Status PgConnection::SetUpSession() {
  // READ COMMITTED whatever the server's default: a statement after a lock wait must see what
  // the lock's previous holder committed (the spending-limit sums, postgres_spend_limits.cc).
  // A snapshot taken at the transaction's first statement (REPEATABLE READ) would not.
  RETURN_IF_ERROR(
      Exec("SELECT pg_catalog.set_config('default_transaction_isolation', 'read committed', "
           "false)")
          .status());
  if (schema_.empty()) return absl::OkStatus();
  // set_config takes the value as a parameter, unlike SET.
  return Exec("SELECT pg_catalog.set_config('search_path', $1, false)",
              PgParams().Text(QuoteIdentifier(schema_)))
      .status();
}

absl::Status PgConnection::EnsureUsable() {
  if (PQstatus(conn_) == CONNECTION_OK) {
    // A session the server ended while idle left its goodbye and then EOF on the socket; two
    // non-blocking reads see the EOF, after which libpq reports the connection as bad.
    for (int read = 0; read < 2 && PQconsumeInput(conn_) == 1; ++read) {
    }
    // A session still inside a transaction (its ROLLBACK failed) is not reused as it is either.
    if (PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE) {
      return absl::OkStatus();
    }
  }
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return absl::UnavailableError(absl::StrCat("PostgreSQL connection lost, reset failed: ",
                                               redactor_->Redact(OneLine(PQerrorMessage(conn_)))));
  }
  return SetUpSession();
}

std::string PgConnection::QuoteIdentifier(absl::string_view identifier) const {
  char* quoted = PQescapeIdentifier(conn_, identifier.data(), identifier.size());
  if (quoted == nullptr) return std::string();  // invalid encoding: the statement then fails
  std::string out(quoted);
  PQfreemem(quoted);
  return out;
}

absl::StatusOr<PgResult> PgConnection::Exec(const char* sql, const PgParams& params) {
  const int count = static_cast<int>(params.values_.size());
  std::vector<const char*> values(count);
  std::vector<int> lengths(count);
  std::vector<int> formats(count, kBinaryFormat);
  for (int i = 0; i < count; ++i) {
    values[i] = params.values_[i].data();
    lengths[i] = static_cast<int>(params.values_[i].size());
  }
  PgResult result(PQexecParams(conn_, sql, count, params.types_.data(), values.data(),
                               lengths.data(), formats.data(), kBinaryFormat));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return ErrorFrom(result.get(), "query failed");
  }
  return result;
}

absl::Status PgConnection::ExecScript(const char* sql) {
  PgResult result(PQexec(conn_, sql));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return ErrorFrom(result.get(), "script failed");
  }
  return absl::OkStatus();
}

absl::Status PgConnection::ErrorFrom(const PGresult* result, absl::string_view what) const {
  // The primary message only: DETAIL lines may quote row values (keys).
  const char* primary =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const char* sqlstate = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string state = sqlstate != nullptr ? sqlstate : "";
  std::string message = absl::StrCat(
      "PostgreSQL ", what, ": ",
      redactor_->Redact(OneLine(primary != nullptr ? primary : PQerrorMessage(conn_))));
  if (!state.empty()) absl::StrAppend(&message, " (SQLSTATE ", state, ")");
  // Connection exceptions, operator intervention (shutdown), resources, system errors.
  if (PQstatus(conn_) != CONNECTION_OK || state.empty() || absl::StartsWith(state, "08") ||
      absl::StartsWith(state, "57") || absl::StartsWith(state, "53") ||
      absl::StartsWith(state, "58")) {
    return absl::UnavailableError(message);
  }
  if (absl::StartsWith(state, "22")) return absl::InvalidArgumentError(message);  // bad data
  if (absl::StartsWith(state, "40")) return absl::AbortedError(message);          // deadlock etc.
  return absl::InternalError(message);
}

bool PgConnection::InTransaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

bool PgConnection::InOpenTransaction() const {
  return PQtransactionStatus(conn_) == PQTRANS_INTRANS;
}

PgTransaction::~PgTransaction() {
  if (!open_) return;
  if (nested_) {
    connection_->Exec("ROLLBACK TO SAVEPOINT store_call").IgnoreError();
    connection_->Exec("RELEASE SAVEPOINT store_call").IgnoreError();
  } else {
    connection_->Exec("ROLLBACK").IgnoreError();
  }
}

absl::Status PgTransaction::Begin() {
  nested_ = connection_->InTransaction();
  absl::Status status = connection_->Exec(nested_ ? "SAVEPOINT store_call" : "BEGIN").status();
  open_ = status.ok();
  return status;
}

absl::Status PgTransaction::Commit() {
  if (nested_) {
    absl::Status released = connection_->Exec("RELEASE SAVEPOINT store_call").status();
    open_ = !released.ok();  // on failure the destructor rolls back to the savepoint
    return released;
  }
  auto result = connection_->Exec("COMMIT");
  open_ = false;
  if (!result.ok()) return result.status();
  // COMMIT of a transaction that already failed answers ROLLBACK, not an error.
  if (result->command_tag() != "COMMIT") {
    return absl::AbortedError("PostgreSQL rolled the transaction back");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<PgPool>> PgPool::Open(const PgConnectionSettings& settings,
                                                     int size) {
  if (size < 1) return absl::InvalidArgumentError("PostgreSQL pool size must be at least 1");
  std::unique_ptr<PgPool> pool(new PgPool(std::make_unique<SecretRedactor>(settings.url)));
  std::vector<std::unique_ptr<PgConnection>> connections;
  for (int i = 0; i < size; ++i) {
    ASSIGN_OR_RETURN(auto connection, PgConnection::Connect(settings, pool->redactor_.get()));
    connections.push_back(std::move(connection));
  }
  {
    absl::MutexLock lock(&pool->mu_);
    pool->idle_ = std::move(connections);
  }
  return pool;
}

PgPool::Lease::~Lease() {
  if (owned_ != nullptr) pool_->Return(std::move(owned_));
}

bool PgPool::HasIdle() const { return !idle_.empty(); }

absl::StatusOr<PgPool::Lease> PgPool::Acquire() {
  std::unique_ptr<PgConnection> connection;
  {
    absl::MutexLock lock(&mu_);
    if (auto pinned = pinned_.find(std::this_thread::get_id()); pinned != pinned_.end()) {
      return Lease(pinned->second.get());
    }
    mu_.Await(absl::Condition(this, &PgPool::HasIdle));
    connection = std::move(idle_.back());
    idle_.pop_back();
  }
  Lease lease(this, std::move(connection));
  RETURN_IF_ERROR(lease->EnsureUsable());
  return lease;
}

absl::Status PgPool::BeginPinned() {
  ASSIGN_OR_RETURN(auto lease, Acquire());
  std::unique_ptr<PgConnection> connection = lease.Release();
  if (connection == nullptr) return absl::FailedPreconditionError("a connection is pinned already");
  if (absl::Status begun = connection->Exec("BEGIN").status(); !begun.ok()) {
    Return(std::move(connection));
    return begun;
  }
  absl::MutexLock lock(&mu_);
  pinned_[std::this_thread::get_id()] = std::move(connection);
  return absl::OkStatus();
}

absl::Status PgPool::CommitPinned() {
  std::unique_ptr<PgConnection> connection;
  {
    absl::MutexLock lock(&mu_);
    auto pinned = pinned_.find(std::this_thread::get_id());
    if (pinned == pinned_.end()) return absl::FailedPreconditionError("no pinned connection");
    connection = std::move(pinned->second);
    pinned_.erase(pinned);
  }
  auto result = connection->Exec("COMMIT");
  absl::Status committed = result.status();
  if (committed.ok() && result->command_tag() != "COMMIT") {
    // COMMIT of a transaction that already failed answers ROLLBACK, not an error.
    committed = absl::AbortedError("PostgreSQL rolled the transaction back");
  }
  if (connection->InTransaction()) connection->Exec("ROLLBACK").IgnoreError();
  Return(std::move(connection));
  return committed;
}

bool PgPool::PinnedOpen() {
  absl::MutexLock lock(&mu_);
  auto pinned = pinned_.find(std::this_thread::get_id());
  return pinned != pinned_.end() && pinned->second->InOpenTransaction();
}

void PgPool::Return(std::unique_ptr<PgConnection> connection) {
  absl::MutexLock lock(&mu_);
  idle_.push_back(std::move(connection));
}

}  // namespace idempotency
