// CI's short chaos run: a few hundred payouts over both providers through the real
// gateway and sandbox processes, one SIGKILL of the gateway, every fault of bench/chaos, the
// sandbox ignoring Idempotency-Key. It must end with zero violations; and the same run with
// replies dropped where the sandbox's send ledger cannot see them must FAIL, which proves the
// checks can.
#include <stdlib.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/e2e/child_process.h"

namespace chaos {
namespace {

struct ChaosRun {
  int exit_code = -1;
  std::string output;
};

ChaosRun RunChaos(const std::string& name, std::vector<std::string> flags) {
  std::string pattern = absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name, "-XXXXXX");
  EXPECT_NE(mkdtemp(pattern.data()), nullptr);
  flags.push_back("--dir=" + pattern);
  const std::string log = pattern + "/chaos.out";
  ChaosRun run;
  {
    e2e::ChildProcess child("bench/chaos/chaos", flags, log);
    run.exit_code = child.WaitForExit(absl::Minutes(4));
  }
  run.output = e2e::ReadFile(log);
  return run;
}

// Few callers and a fault every 60 ms: a few hundred payouts then meet a few hundred faults.
// With 4 callers the sandbox answers well within a 4 s provider timeout, which keeps the run
// short (lost replies wait past the timeout).
const std::vector<std::string> kShortRun = {"--payouts=300",       "--kills=1",
                                            "--concurrency=4",     "--fault_period=60ms",
                                            "--give_up=60s",       "--provider_timeout_ms=4000",
                                            "--settle_timeout=60s"};

TEST(ChaosShortTest, NoViolationsWithOneKillAndEveryFault) {
  const ChaosRun run = RunChaos("clean", kShortRun);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(absl::StrContains(run.output,
                                "300 payouts, 1 gateway kills (2 starts), provider "
                                "dedup OFF"))
      << run.output;
  EXPECT_TRUE(absl::StrContains(run.output, "violations: 0")) << run.output;
  EXPECT_TRUE(absl::StrContains(run.output, "answers_OK=300")) << run.output;
  for (const char* fault : {"503=", "drop_before=", "reply_lost=", "reply_timeout=",
                            "latency_money=", "token_revoked="}) {
    EXPECT_TRUE(absl::StrContains(run.output, fault)) << fault << " never injected";
  }
  EXPECT_TRUE(absl::StrContains(run.output, "chaos: PASS")) << run.output;
}

TEST(ChaosShortTest, AReSendTheLedgerCannotJustifyFailsTheRun) {
  std::vector<std::string> flags = kShortRun;
  flags.push_back("--unseen_reply_drops=3");
  flags.push_back("--kills=0");
  flags.push_back("--fault_period=200ms");  // later flags win: time for each drop to be met
  const ChaosRun run = RunChaos("unseen", flags);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(absl::StrContains(run.output, "unseen_reply_drop=")) << run.output;
  EXPECT_TRUE(absl::StrContains(
      run.output, "VIOLATION key moved money again although its reply had been delivered"))
      << run.output;
  EXPECT_TRUE(absl::StrContains(run.output, "chaos: FAIL")) << run.output;
}

}  // namespace
}  // namespace chaos
