// bench/chaos: proves money conservation under faults. Drives payouts over both providers
// through the real gateway and sandbox processes while the sandbox injects 503s, dropped
// replies (before and after processing), latency spikes, token revocations, duplicated and
// reordered webhooks and ignores Idempotency-Key (no-dedup), and the gateway is SIGKILLed and
// restarted on the same SQLite store; then checks (checker.h) the sandbox's record of every
// transfer and send against the gateway's payouts and what callers were told. Prints the
// figures; exits 1 on any violation. See BENCHMARKS.md.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/chaos/checker.h"
#include "bench/chaos/collect.h"
#include "bench/chaos/environment.h"
#include "bench/chaos/faults.h"
#include "bench/chaos/workload.h"
#include "bench/gateway_load.h"

ABSL_FLAG(int64_t, payouts, 10000, "CreatePayout jobs (distinct caller keys), both providers.");
ABSL_FLAG(int, kills, 2, "SIGKILLs of the gateway, evenly spread over the run.");
ABSL_FLAG(int, concurrency, 32, "Jobs in flight.");
ABSL_FLAG(int, resend_percent, 30, "Jobs re-sent with the same key.");
ABSL_FLAG(int, concurrent_resend_percent, 50, "Of the re-sent jobs: both sends at once.");
ABSL_FLAG(int, rejected_percent, 5, "Jobs to the providers' rejected test CLABEs.");
ABSL_FLAG(bool, provider_dedup, false,
          "false: the sandbox ignores Idempotency-Key, so only the gateway can prevent a "
          "second transfer.");
ABSL_FLAG(absl::Duration, fault_period, absl::Milliseconds(300), "One provider fault per period.");
ABSL_FLAG(int, settle_after_ms, 1500, "Provider transfers settle after this long.");
ABSL_FLAG(int, webhook_duplicate_percent, 20, "Webhook events delivered twice.");
ABSL_FLAG(int, webhook_max_delay_ms, 400, "Webhook deliveries delayed 0..N ms (reordering).");
// The gateway bounds a provider call to 3/4 of the lease. The lease must
// leave that bound above the longest chain of injected latencies (slow reads up to the
// provider timeout + 1 s, then a money-path spike up to a third of it): a reply the gateway
// stops waiting for is one the send ledger cannot tell from a reply it read.
ABSL_FLAG(std::string, lease, "24s", "store.lease of the gateway.");
ABSL_FLAG(std::string, resolve_interval, "300ms", "store.resolve_interval of the gateway.");
ABSL_FLAG(std::string, pending_recheck, "2s", "store.pending_recheck of the gateway.");
// Long enough that the gateway never gives up on a reply the sandbox sent: the send ledger
// can only justify a re-send after a reply IT lost. With 3 s, 31 of 10,000 Fintoc replies
// (RS256 signing on 2 loaded cores) came too late and their re-sends counted as violations.
ABSL_FLAG(int, provider_timeout_ms, 10000, "Provider timeout of the gateway.");
ABSL_FLAG(absl::Duration, give_up, absl::Minutes(5),
          "A job still without a definite answer after this long is reported as never answered.");
ABSL_FLAG(absl::Duration, settle_timeout, absl::Minutes(3),
          "After the last job: how long the gateway has to settle everything.");
ABSL_FLAG(std::string, dir, "", "Working directory (logs, store); empty: a new one in /tmp.");
ABSL_FLAG(std::string, gateway_binary, "gateway/gateway", "The gateway binary.");
ABSL_FLAG(std::string, sandbox_binary, "sandbox/sandbox", "The sandbox binary.");
ABSL_FLAG(uint32_t, seed, 12345, "Seed of the fault sequence.");
ABSL_FLAG(bool, slow_reads, true,
          "Read latency spikes beyond the provider timeout (they hit the lookups before a "
          "money_out too); false: reads are slowed below it.");
ABSL_FLAG(int, unseen_reply_drops, 0,
          "Self-test: this many replies are dropped where the send ledger cannot see it; with "
          "provider dedup off the run must then FAIL (a re-send looks unjustified).");

namespace chaos {
namespace {

std::string WorkDir() {
  std::string dir = absl::GetFlag(FLAGS_dir);
  if (!dir.empty()) return dir;
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string pattern = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/chaos-XXXXXX");
  return mkdtemp(pattern.data()) != nullptr ? pattern : "";
}

std::map<std::string, std::string> SourceAccounts(const std::string& address) {
  std::map<std::string, std::string> accounts;
  for (int attempt = 0; attempt < 20 && accounts.size() < 2; ++attempt) {
    for (const bench::PayoutTarget& target :
         bench::ResolveTargets(address, "", "monato:1,fintoc:1")) {
      accounts[target.provider] = target.source_account_id;
    }
    if (accounts.size() < 2) absl::SleepFor(absl::Milliseconds(500));
  }
  return accounts;
}

void Print(const std::string& title, const std::map<std::string, int64_t>& counts) {
  std::cout << title << ":";
  for (const auto& [name, count] : counts) std::cout << " " << name << "=" << count;
  std::cout << "\n";
}

// Kills the gateway when the jobs finished reach each kill point, then restarts it.
class Killer {
 public:
  Killer(Environment* env, int64_t payouts, int kills) : env_(env) {
    for (int i = 1; i <= kills; ++i) points_.push_back(payouts * i / (kills + 1));
    thread_ = std::thread([this] { Loop(); });
  }
  ~Killer() { Join(); }
  void Done(int64_t finished) {
    absl::MutexLock lock(&mu_);
    finished_ = finished;
  }
  void Join() {
    {
      absl::MutexLock lock(&mu_);
      quit_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }
  int kills() const { return kills_; }
  std::string error() const { return error_; }

 private:
  void Loop() {
    for (int64_t point : points_) {
      {
        absl::MutexLock lock(&mu_);
        auto reached = [this, point]()
                           ABSL_SHARED_LOCKS_REQUIRED(mu_) { return finished_ >= point || quit_; };
        mu_.Await(absl::Condition(&reached));
        if (finished_ < point) return;  // the run ended first
      }
      env_->KillGateway();
      ++kills_;
      // Sends from now on are the new process's: the old one lost its unstored replies.
      for (const char* provider : {"monato", "fintoc"}) {
        (void)env_->Control(provider, "POST", "/_sandbox/epoch",
                            absl::StrCat(R"({"epoch":)", kills_, "}"));
      }
      std::cout << "chaos: SIGKILLed the gateway after " << point << " jobs; restarting\n"
                << std::flush;
      absl::SleepFor(absl::Milliseconds(300));
      if (absl::Status s = env_->StartGateway(); !s.ok()) {
        error_ = s.ToString();
        return;
      }
    }
  }

  Environment* const env_;
  std::vector<int64_t> points_;
  absl::Mutex mu_;
  int64_t finished_ ABSL_GUARDED_BY(mu_) = 0;
  bool quit_ ABSL_GUARDED_BY(mu_) = false;
  int kills_ = 0;
  std::string error_;
  std::thread thread_;
};

int Run() {
  EnvironmentOptions options;
  options.dir = WorkDir();
  if (options.dir.empty()) {
    std::cerr << "chaos: cannot make a working directory\n";
    return 2;
  }
  options.gateway_binary = absl::GetFlag(FLAGS_gateway_binary);
  options.sandbox_binary = absl::GetFlag(FLAGS_sandbox_binary);
  options.provider_dedup = absl::GetFlag(FLAGS_provider_dedup);
  options.settle_after_ms = absl::GetFlag(FLAGS_settle_after_ms);
  options.webhook_duplicate_percent = absl::GetFlag(FLAGS_webhook_duplicate_percent);
  options.webhook_max_delay_ms = absl::GetFlag(FLAGS_webhook_max_delay_ms);
  options.lease = absl::GetFlag(FLAGS_lease);
  options.resolve_interval = absl::GetFlag(FLAGS_resolve_interval);
  options.pending_recheck = absl::GetFlag(FLAGS_pending_recheck);
  options.provider_timeout = absl::StrCat(absl::GetFlag(FLAGS_provider_timeout_ms), "ms");
  std::cout << "chaos: working directory " << options.dir << " (gateway.log, sandbox.log)\n";
  absl::StatusOr<std::unique_ptr<Environment>> env = Environment::Start(options);
  if (!env.ok()) {
    std::cerr << "chaos: " << env.status() << "\n";
    return 2;
  }
  const std::string address = (*env)->grpc_address();
  const std::map<std::string, std::string> accounts = SourceAccounts(address);
  if (accounts.size() < 2) {
    std::cerr << "chaos: the gateway lists no Monato or no Fintoc account\n";
    return 2;
  }

  WorkloadOptions work;
  work.payouts = absl::GetFlag(FLAGS_payouts);
  work.concurrency = absl::GetFlag(FLAGS_concurrency);
  work.resend_percent = absl::GetFlag(FLAGS_resend_percent);
  work.concurrent_resend_percent = absl::GetFlag(FLAGS_concurrent_resend_percent);
  work.rejected_percent = absl::GetFlag(FLAGS_rejected_percent);
  work.run_id = absl::StrCat(absl::ToUnixMillis(absl::Now()));
  work.give_up = absl::GetFlag(FLAGS_give_up);
  Workload workload(address, accounts, work);
  FaultInjector faults(env->get(), absl::GetFlag(FLAGS_fault_period),
                       absl::GetFlag(FLAGS_provider_timeout_ms), absl::GetFlag(FLAGS_seed),
                       absl::GetFlag(FLAGS_unseen_reply_drops), absl::GetFlag(FLAGS_slow_reads));
  Killer killer(env->get(), work.payouts, absl::GetFlag(FLAGS_kills));
  faults.Start();
  workload.Run([&killer, total = work.payouts](int64_t finished) {
    killer.Done(finished);
    if (finished % 1000 == 0 || finished == total) {
      std::cout << "chaos: " << finished << " / " << total << " jobs answered\n" << std::flush;
    }
  });
  killer.Join();
  faults.Stop();
  std::cout << "chaos: callers done in " << workload.elapsed() << "; waiting for the gateway "
            << "to settle (up to " << absl::GetFlag(FLAGS_settle_timeout) << ")\n"
            << std::flush;

  // The resolver, webhooks and re-checks now have their time: check until all is settled.
  const absl::Time settle_start = absl::Now();
  const absl::Time deadline = settle_start + absl::GetFlag(FLAGS_settle_timeout);
  CheckResult result;
  std::string collect_error;
  while (true) {
    CheckInput input;
    input.jobs = workload.jobs();
    // The gateway first: every transfer it names was then made before the sandbox is read (a
    // resolver re-send in between shows as a transfer with no payout yet: unsettled, re-read).
    absl::Status collected = CollectGateway(address, &input);
    if (collected.ok()) collected = CollectSandbox(**env, &input);
    collect_error = collected.ok() ? "" : collected.ToString();
    if (collected.ok()) {
      result = Check(input);
      if (result.unsettled.empty()) break;
    }
    if (absl::Now() >= deadline) break;
    absl::SleepFor(absl::Seconds(2));
  }
  const absl::Duration settled_in = absl::Now() - settle_start;

  std::cout << "\n== chaos run: " << work.payouts << " payouts, " << killer.kills()
            << " gateway kills (" << (*env)->gateway_starts() << " starts), provider dedup "
            << (options.provider_dedup ? "on" : "OFF") << "\n"
            << "callers: " << workload.elapsed() << "; settled after a further " << settled_in
            << "\n";
  std::cout << workload.report().Summary(workload.elapsed());
  Print("faults injected", faults.counts());
  Print("counts", result.counts);
  const bool stopped = (*env)->Stop();
  bool ok = result.ok() && collect_error.empty() && killer.error().empty();
  if (!killer.error().empty()) std::cout << "gateway restart failed: " << killer.error() << "\n";
  if (!collect_error.empty()) std::cout << "collecting failed: " << collect_error << "\n";
  if (!stopped) std::cout << "note: the gateway or sandbox did not exit 0 on SIGTERM\n";
  std::cout << "violations: " << result.violations.size()
            << (result.violations.empty() ? "" : " (first 50)") << "\n";
  for (const std::string& line : result.violations) std::cout << "  VIOLATION " << line << "\n";
  std::cout << "unsettled after " << settled_in << ": " << result.unsettled.size() << "\n";
  for (const std::string& line : result.unsettled) std::cout << "  UNSETTLED " << line << "\n";
  std::cout << (ok ? "chaos: PASS\n" : "chaos: FAIL\n");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace chaos

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return chaos::Run();
}
