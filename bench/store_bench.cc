// Claim + Complete operations per second of the two durable stores: SQLite (a file in /tmp,
// WAL, synchronous=FULL as SqliteStore sets) and PostgreSQL (the server of --postgres_url or
// GATEWAY_TEST_POSTGRES_URL, e.g. the one scripts/postgres.sh starts), with one thread and with
// --threads threads. Each operation claims a new key and completes it: two durable commits, as
// every payout pays before and after the provider call. Prints the durability settings in
// force, since they decide the figures.
//
//   bash scripts/postgres.sh start
//   url=$(bash scripts/postgres.sh url)
//   bazel run -c opt //bench:store_bench -- --threads=4 --postgres_url="$url"
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/postgres_scratch.h"
#include "idempotency/postgres_store.h"
#include "idempotency/sqlite_store.h"

ABSL_FLAG(int, ops, 1000, "Claim+Complete operations per phase.");
ABSL_FLAG(int, threads, 4, "Threads of the multi-threaded phase (and PostgreSQL pool size).");
ABSL_FLAG(std::string, postgres_url, "",
          "PostgreSQL server; default: $GATEWAY_TEST_POSTGRES_URL. Empty: SQLite only.");
ABSL_FLAG(std::string, sqlite_dir, "/tmp",
          "Directory for the SQLite file (created and deleted by the benchmark).");

namespace {

using idempotency::ClaimOutcome;
using idempotency::ClaimRequest;
using idempotency::ClaimStore;
using idempotency::IdempotencyRecord;

struct Phase {
  double ops_per_second = 0;
  int errors = 0;
};

// `total` operations spread over `threads` threads, each a Claim of a new key + Complete.
Phase Run(ClaimStore& store, const std::string& label, int total, int threads) {
  std::atomic<int> next{0};
  std::atomic<int> errors{0};
  const absl::Time start = absl::Now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      const std::string owner = absl::StrCat("bench-", t);
      IdempotencyRecord answer;
      answer.response = std::string(120, 'p');  // about a serialized Payout
      for (int i = next++; i < total; i = next++) {
        ClaimRequest claim;
        claim.id = {"bench", "CreatePayout", absl::StrCat(label, "-", i)};
        claim.fingerprint = std::string(64, 'f');
        claim.request = std::string(200, 'r');  // about a serialized CreatePayoutRequest
        claim.owner = owner;
        claim.lease = absl::Seconds(30);
        claim.retention = absl::Hours(24);
        auto claimed = store.Claim(claim, absl::Now());
        if (!claimed.ok() || claimed->outcome != ClaimOutcome::kClaimed ||
            !store.Complete(claim.id, owner, answer).ok()) {
          ++errors;
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  Phase phase;
  phase.ops_per_second = total / absl::ToDoubleSeconds(absl::Now() - start);
  phase.errors = errors.load();
  return phase;
}

void Report(const std::string& store, int threads, int ops, const Phase& phase) {
  std::printf("%-10s  threads=%-3d  ops=%-6d  %9.1f ops/s  errors=%d\n", store.c_str(), threads,
              ops, phase.ops_per_second, phase.errors);
}

std::string SqlitePragma(const std::string& path, const char* pragma) {
  sqlite3* db = nullptr;
  std::string value = "?";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, pragma, -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return value;
}

void BenchSqlite(int ops, int threads) {
  const std::string dir = absl::StrCat(absl::GetFlag(FLAGS_sqlite_dir), "/store_bench-", getpid());
  const std::string path = dir + "/gateway.db";
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  {
    auto store = idempotency::SqliteStore::Open(path);
    if (!store.ok()) {
      std::fprintf(stderr, "sqlite: %s\n", store.status().ToString().c_str());
      return;
    }
    // synchronous is a per-connection setting: SqliteStore::Open sets FULL on its connection;
    // journal_mode=WAL is stored in the file and read back here.
    std::printf("sqlite      %s: journal_mode=%s synchronous=FULL (set by SqliteStore::Open)\n",
                path.c_str(), SqlitePragma(path, "PRAGMA journal_mode").c_str());
    Report("sqlite", 1, ops, Run(**store, "sqlite-1", ops, 1));
    Report("sqlite", threads, ops, Run(**store, "sqlite-n", ops, threads));
  }
  std::filesystem::remove_all(dir, ignored);
}

void BenchPostgres(const std::string& url, int ops, int threads) {
  auto scratch = bench::ScratchSchema::Create(url);
  if (!scratch.ok()) {
    std::fprintf(stderr, "postgres: %s\n", scratch.status().ToString().c_str());
    return;
  }
  const std::string& schema = (*scratch)->name();
  std::string settings;
  for (const char* name : {"synchronous_commit", "fsync", "wal_sync_method", "server_version"}) {
    auto shown = (*scratch)->admin().Exec(absl::StrCat("SHOW ", name).c_str());
    absl::StrAppend(&settings, " ", name, "=", shown.ok() ? shown->Bytes(0, 0) : "?");
  }
  std::printf("postgres    schema %s:%s\n", schema.c_str(), settings.c_str());
  {
    auto store = idempotency::PostgresStore::Open(url, threads, schema);
    if (!store.ok()) {
      std::fprintf(stderr, "postgres: %s\n", store.status().ToString().c_str());
      return;
    }
    Report("postgres", 1, ops, Run(**store, "postgres-1", ops, 1));
    Report("postgres", threads, ops, Run(**store, "postgres-n", ops, threads));
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int ops = std::max(1, absl::GetFlag(FLAGS_ops));
  const int threads = std::max(1, absl::GetFlag(FLAGS_threads));
  const std::string url = bench::BenchPostgresUrl(absl::GetFlag(FLAGS_postgres_url));
  BenchSqlite(ops, threads);
  if (url.empty()) {
    std::printf(
        "postgres    skipped: no --postgres_url and no GATEWAY_TEST_POSTGRES_URL "
        "(bash scripts/postgres.sh start; then pass its url)\n");
    return 0;
  }
  BenchPostgres(url, ops, threads);
  return 0;
}
