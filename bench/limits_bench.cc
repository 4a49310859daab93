// What the spending-limit check adds to a claim (docs/policies.md#enforcement), and how it grows
// with the caller's window: each claim carries a Spend with three rolling limits (per caller,
// per source account, per destination), and the store reads each limit's running total, moved
// to the claim's window, inside the claim's transaction (docs/design.md#limit-totals; before
// the totals it summed the caller's reservations in each window, and grew with it). The window is
// first filled with `fill` reservations of the same caller (in group-commit batches, so filling is
// quick), then `ops` claims are timed one by one: without a spend, with a spend and its limits.
// SQLite always; PostgreSQL with --postgres_url or GATEWAY_TEST_POSTGRES_URL.
//
//   bazel run -c opt //bench:limits_bench -- --fills=0,1000,10000,100000 --ops=300
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "bench/postgres_scratch.h"
#include "idempotency/gateway_store.h"
#include "idempotency/postgres_store.h"
#include "idempotency/sqlite_store.h"

ABSL_FLAG(int, ops, 300, "Timed claims per phase.");
ABSL_FLAG(std::string, fills, "0,1000,10000,100000",
          "Reservations already in the caller's window before each timed phase (cumulative).");
ABSL_FLAG(std::string, postgres_url, "",
          "PostgreSQL server; default: $GATEWAY_TEST_POSTGRES_URL. Empty: SQLite only.");
ABSL_FLAG(std::string, sqlite_dir, "/tmp", "Directory for the SQLite file (deleted after).");

namespace {

using idempotency::ClaimOutcome;
using idempotency::ClaimRequest;
using idempotency::GatewayStore;
using idempotency::LimitRule;
using idempotency::LimitScope;
using idempotency::Spend;

constexpr char kCaller[] = "bench";

// A spend of 1.00 MXN to one of 1,000 destinations, with limits no phase reaches.
Spend SpendOf(int i, bool with_limits) {
  Spend spend;
  spend.payout_id = absl::StrCat("bench.payout.", i);
  spend.source_account_id = "monato.acct.bench";
  spend.destination = absl::StrFormat("0121800%011d", i % 1000);
  spend.amount_minor = 100;
  if (with_limits) {
    for (auto [name, scope] : {std::pair<const char*, LimitScope>{"daily", LimitScope::kCaller},
                               {"per-account", LimitScope::kSourceAccount},
                               {"per-destination", LimitScope::kDestination}}) {
      LimitRule rule;
      rule.name = name;
      rule.scope = scope;
      rule.window = absl::Hours(24);
      rule.max_amount_minor = int64_t{1} << 60;
      rule.max_count = int64_t{1} << 40;
      spend.limits.push_back(rule);
    }
  }
  return spend;
}

ClaimRequest ClaimOf(const std::string& key, absl::optional<Spend> spend) {
  ClaimRequest claim;
  claim.id = {kCaller, "CreatePayout", key};
  claim.fingerprint = std::string(64, 'f');
  claim.request = std::string(200, 'r');
  claim.owner = "bench";
  claim.lease = absl::Seconds(30);
  claim.retention = absl::Hours(24);
  claim.spend = std::move(spend);
  return claim;
}

// Adds reservations until the window holds `target`, in batches of 1,000 where the store can.
bool FillTo(GatewayStore& store, int* filled, int target) {
  while (*filled < target) {
    const int batch_end = std::min(target, *filled + 1000);
    if (store.SupportsBatches() && !store.BeginBatch().ok()) return false;
    for (; *filled < batch_end; ++*filled) {
      auto claimed = store.Claim(ClaimOf(absl::StrCat("fill-", *filled), SpendOf(*filled, false)),
                                 absl::Now());
      if (!claimed.ok() || claimed->outcome != ClaimOutcome::kClaimed) return false;
    }
    if (store.SupportsBatches() && !store.CommitBatch().ok()) return false;
  }
  return true;
}

// The median and the 90th percentile of `ops` single claims, in microseconds.
std::pair<double, double> TimeClaims(GatewayStore& store, const std::string& label, int ops,
                                     bool with_limits, int* errors) {
  std::vector<double> micros;
  for (int i = 0; i < ops; ++i) {
    const absl::Time start = absl::Now();
    auto claimed =
        store.Claim(ClaimOf(absl::StrCat(label, "-", i),
                            with_limits ? absl::make_optional(SpendOf(i, true)) : absl::nullopt),
                    absl::Now());
    micros.push_back(absl::ToDoubleMicroseconds(absl::Now() - start));
    if (!claimed.ok() || claimed->outcome != ClaimOutcome::kClaimed) ++*errors;
  }
  std::sort(micros.begin(), micros.end());
  return {micros[micros.size() / 2], micros[micros.size() * 9 / 10]};
}

void Bench(GatewayStore& store, const std::string& name, const std::vector<int>& fills, int ops) {
  int filled = 0;
  for (int fill : fills) {
    if (!FillTo(store, &filled, fill)) {
      std::fprintf(stderr, "%s: filling the window failed\n", name.c_str());
      return;
    }
    int errors = 0;
    auto plain = TimeClaims(store, absl::StrCat("plain-", fill), ops, false, &errors);
    auto limited = TimeClaims(store, absl::StrCat("limited-", fill), ops, true, &errors);
    std::printf(
        "%-8s window=%-7d claim p50 %7.0f us p90 %7.0f us | with 3 limits p50 %7.0f us p90 "
        "%7.0f us | added p50 %+6.0f us  errors=%d\n",
        name.c_str(), fill, plain.first, plain.second, limited.first, limited.second,
        limited.first - plain.first, errors);
    // The timed claims stay in the window too (with spends only for the limited ones).
    filled += ops;
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int ops = std::max(10, absl::GetFlag(FLAGS_ops));
  std::vector<int> fills;
  for (absl::string_view part : absl::StrSplit(absl::GetFlag(FLAGS_fills), ',')) {
    int fill = 0;
    if (!absl::SimpleAtoi(part, &fill) || fill < 0) {
      std::fprintf(stderr, "--fills: not a count: %s\n", std::string(part).c_str());
      return 2;
    }
    fills.push_back(fill);
  }
  std::sort(fills.begin(), fills.end());

  const std::string dir = absl::StrCat(absl::GetFlag(FLAGS_sqlite_dir), "/limits_bench-", getpid());
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  if (auto sqlite = idempotency::SqliteStore::Open(dir + "/gateway.db"); sqlite.ok()) {
    Bench(**sqlite, "sqlite", fills, ops);
  } else {
    std::fprintf(stderr, "sqlite: %s\n", sqlite.status().ToString().c_str());
  }
  std::filesystem::remove_all(dir, ignored);

  const std::string url = bench::BenchPostgresUrl(absl::GetFlag(FLAGS_postgres_url));
  if (url.empty()) {
    std::printf("postgres skipped: no --postgres_url and no GATEWAY_TEST_POSTGRES_URL\n");
    return 0;
  }
  auto scratch = bench::ScratchSchema::Create(url);
  if (!scratch.ok()) {
    std::fprintf(stderr, "postgres: %s\n", scratch.status().ToString().c_str());
    return 1;
  }
  if (auto postgres = idempotency::PostgresStore::Open(url, 2, (*scratch)->name()); postgres.ok()) {
    Bench(**postgres, "postgres", fills, ops);
  } else {
    std::fprintf(stderr, "postgres: %s\n", postgres.status().ToString().c_str());
  }
  return 0;
}
