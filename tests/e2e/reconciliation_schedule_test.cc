// The scheduled reconciliation with two gateway processes on one store (a SQLite file, or
// PostgreSQL): the replica holding the store's "reconciliation" lease runs every interval and
// the other never does while it lives; once it is gone and its lease expired, the other takes
// over.
#include <csignal>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "tests/e2e/process_fixtures.h"

namespace e2e {
namespace {

// gateway_reconciliation_runs_total{provider="fintoc",result="ok"} on the replica's /metrics.
int64_t Runs(const Gateway& gateway) {
  const std::string series = R"(gateway_reconciliation_runs_total{provider="fintoc",result="ok"} )";
  for (absl::string_view line : absl::StrSplit(HttpGet(gateway.admin_port(), "/metrics"), '\n')) {
    int64_t value = 0;
    if (absl::ConsumePrefix(&line, series) && absl::SimpleAtoi(line, &value)) return value;
  }
  return 0;
}

void OneReplicaAtATime(const std::string& store_url) {
  Sandbox sandbox;
  GatewayProcessOptions options;
  options.admin = true;
  // Every 2 s; the lease lasts 3 s, so its holder renews it with a second to spare.
  options.env = {"GATEWAY_RECONCILIATION__INTERVAL=2s"};
  Gateway first("schedule-a", store_url, sandbox, options);
  ASSERT_TRUE(WaitUntil([&] { return Runs(first) >= 1; })) << first.Log();  // at start
  Gateway second("schedule-b", store_url, sandbox, options);
  const int64_t before = Runs(first);
  ASSERT_TRUE(WaitUntil([&] { return Runs(first) >= before + 2; })) << first.Log();
  EXPECT_EQ(Runs(second), 0) << second.Log();  // the first holds the lease
  first.process().Signal(SIGTERM);
  ASSERT_TRUE(WaitUntil([&] { return Runs(second) >= 1; })) << second.Log();
  EXPECT_NE(second.Log().find("\"event\":\"reconciliation_summary\""), std::string::npos);
}

TEST(ReconciliationScheduleTest, OnOneSqliteFileOneReplicaRunsItAtATime) {
  OneReplicaAtATime(absl::StrCat("sqlite://", TempPath("schedule/gateway.db")));
}

TEST(ReconciliationScheduleTest, OnOnePostgresOneReplicaRunsItAtATime) {
  const std::string url = FreshPostgresUrl("schedule");
  ASSERT_FALSE(url.empty()) << "needs a PostgreSQL server: run scripts/test.sh";
  OneReplicaAtATime(url);
}

}  // namespace
}  // namespace e2e
