// Load generator for the gateway (issue 9): CreatePayout over async gRPC (the callback API),
// closed loop (--concurrency calls always in flight) or paced (--rate calls per second, at most
// --concurrency in flight), for --duration, spread over providers by --mix. Prints throughput,
// latency percentiles, errors by code and, when given the admin port and the gateway's pid,
// the gateway's own counters and its peak RSS and CPU seconds per payout.
//
//   bazel-bin/bench/loadgen --addr=127.0.0.1:50051 --admin=127.0.0.1:9464
//       --gateway_pid=$(pgrep -f bazel-bin/gateway/gateway) --concurrency=32 --duration=10s
// (one command line; scripts/run.sh --bench starts everything and passes these itself)
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "bench/load_report.h"
#include "bench/signing_ceiling.h"
#include "proto/payments/v1/account_service.grpc.pb.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:50051", "The gateway's gRPC address.");
ABSL_FLAG(std::string, token, "",
          "Caller token (authorization: Bearer), if the gateway needs one.");
ABSL_FLAG(int, concurrency, 16, "Calls in flight at most (closed loop: always).");
ABSL_FLAG(double, rate, 0, "Calls started per second; 0: as fast as --concurrency allows.");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "How long to send.");
ABSL_FLAG(int64_t, payouts, 0, "Stop after starting this many calls (0: --duration decides).");
ABSL_FLAG(std::string, mix, "monato:1,fintoc:1", "Providers and weights, e.g. monato:3,fintoc:1.");
ABSL_FLAG(int, channels, 4, "gRPC channels (connections) to spread calls over.");
ABSL_FLAG(std::string, admin, "", "The gateway's admin address (host:port) for its counters.");
ABSL_FLAG(int, gateway_pid, 0, "The gateway's pid, for its peak RSS and CPU seconds.");
ABSL_FLAG(std::string, sign_ceiling_key, "",
          "Scenario 2: the Fintoc JWS key (PEM); after the load, sign for as long with "
          "--sign_threads threads and report Fintoc payouts/s over signatures/s.");
ABSL_FLAG(int, sign_threads, 2, "Threads of the sign-only loop (the machine's cores).");

namespace bench {
namespace {

using payments::v1::CreatePayoutRequest;
using payments::v1::Payout;

struct Target {
  std::string provider;
  std::string source_account_id;
  int weight = 1;
};

class LoadGenerator {
 public:
  LoadGenerator(std::vector<Target> targets, int channels) : targets_(std::move(targets)) {
    for (const Target& target : targets_) {
      for (int i = 0; i < target.weight; ++i) wheel_.push_back(&target);
    }
    for (int i = 0; i < channels; ++i) {
      grpc::ChannelArguments args;
      args.SetInt("bench.channel", i);  // distinct args: distinct connections
      stubs_.push_back(payments::v1::PayoutService::NewStub(grpc::CreateCustomChannel(
          absl::GetFlag(FLAGS_addr), grpc::InsecureChannelCredentials(), args)));
    }
  }

  // Sends until `until`; returns when every call has answered.
  void Run(absl::Time until, int64_t max_calls, int concurrency, double rate) {
    until_ = until;
    max_calls_ = max_calls;
    const absl::Time start = absl::Now();
    if (rate <= 0) {
      for (int i = 0; i < concurrency && MoreCalls(); ++i) StartOne(/*chain=*/true);
    } else {
      // Paced: a call per 1/rate seconds while fewer than `concurrency` are in flight (a missed
      // slot is counted, not made up later).
      for (int64_t slot = 0;; ++slot) {
        const absl::Time at = start + absl::Seconds(static_cast<double>(slot) / rate);
        if (at >= until || !MoreCalls()) break;
        absl::SleepFor(at - absl::Now());
        if (in_flight_.load() >= concurrency) {
          ++missed_slots_;
          continue;
        }
        StartOne(/*chain=*/false);
      }
    }
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](std::atomic<int>* in_flight) { return in_flight->load() == 0; }, &in_flight_));
  }

  LoadReport& report() { return report_; }
  int64_t missed_slots() const { return missed_slots_.load(); }

 private:
  struct Call {
    grpc::ClientContext context;
    CreatePayoutRequest request;
    Payout reply;
    absl::Time started;
  };

  bool MoreCalls() const { return max_calls_ == 0 || next_.load() < max_calls_; }

  void StartOne(bool chain) {
    const int64_t n = next_++;
    const Target& target = *wheel_[n % wheel_.size()];
    auto call = std::make_shared<Call>();
    call->request.set_idempotency_key(absl::StrCat("load-", run_id_, "-", n));
    call->request.set_source_account_id(target.source_account_id);
    call->request.mutable_amount()->set_amount_minor(100 + n % 900);
    call->request.mutable_amount()->set_currency("MXN");
    call->request.mutable_counterparty()->set_clabe("014180655091438298");
    call->request.mutable_counterparty()->set_holder_name("Jon Snow");
    call->request.set_description("Carga");
    call->request.set_numeric_reference(1 + n % 9'999'999);
    call->context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    const std::string token = absl::GetFlag(FLAGS_token);
    if (!token.empty()) call->context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    call->started = absl::Now();
    ++in_flight_;
    stubs_[n % stubs_.size()]->async()->CreatePayout(
        &call->context, &call->request, &call->reply,
        [this, call, chain, provider = target.provider](grpc::Status status) {
          report_.Record(provider, status.error_code(), absl::Now() - call->started);
          if (chain && absl::Now() < until_ && MoreCalls()) StartOne(/*chain=*/true);
          absl::MutexLock lock(&mu_);
          --in_flight_;
        });
  }

  const std::vector<Target> targets_;
  std::vector<const Target*> wheel_;
  std::vector<std::unique_ptr<payments::v1::PayoutService::Stub>> stubs_;
  const int64_t run_id_ = absl::ToUnixMicros(absl::Now());
  absl::Time until_;
  int64_t max_calls_ = 0;
  std::atomic<int64_t> next_{0};
  std::atomic<int> in_flight_{0};
  std::atomic<int64_t> missed_slots_{0};
  absl::Mutex mu_;
  LoadReport report_;
};

// The first account of each provider in --mix, from the gateway itself.
std::vector<Target> ResolveTargets() {
  auto accounts = payments::v1::AccountService::NewStub(
      grpc::CreateChannel(absl::GetFlag(FLAGS_addr), grpc::InsecureChannelCredentials()));
  std::vector<Target> targets;
  for (absl::string_view entry : absl::StrSplit(absl::GetFlag(FLAGS_mix), ',')) {
    std::vector<std::string> parts = absl::StrSplit(entry, ':');
    Target target;
    target.provider = parts[0];
    if (parts.size() > 1 && !absl::SimpleAtoi(parts[1], &target.weight)) target.weight = 1;
    if (target.weight <= 0) continue;
    payments::v1::Provider provider =
        target.provider == "fintoc" ? payments::v1::PROVIDER_FINTOC : payments::v1::PROVIDER_MONATO;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    const std::string token = absl::GetFlag(FLAGS_token);
    if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    payments::v1::ListAccountsRequest request;
    request.set_provider(provider);
    payments::v1::ListAccountsResponse response;
    grpc::Status status = accounts->ListAccounts(&context, request, &response);
    if (!status.ok() || response.accounts().empty()) {
      std::cerr << "loadgen: no " << target.provider << " account: " << status.error_message()
                << "\n";
      continue;
    }
    target.source_account_id = response.accounts(0).id();
    targets.push_back(target);
  }
  return targets;
}

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::vector<bench::Target> targets = bench::ResolveTargets();
  if (targets.empty()) {
    std::cerr << "loadgen: nothing to send to (check --addr and --mix)\n";
    return 2;
  }
  const std::string admin = absl::GetFlag(FLAGS_admin);
  const int pid = absl::GetFlag(FLAGS_gateway_pid);
  const bench::GatewaySample before = bench::SampleGateway(admin, pid);
  bench::LoadGenerator generator(targets, std::max(1, absl::GetFlag(FLAGS_channels)));
  const absl::Time start = absl::Now();
  generator.Run(start + absl::GetFlag(FLAGS_duration), absl::GetFlag(FLAGS_payouts),
                std::max(1, absl::GetFlag(FLAGS_concurrency)), absl::GetFlag(FLAGS_rate));
  const absl::Duration elapsed = absl::Now() - start;
  const bench::GatewaySample after = bench::SampleGateway(admin, pid);
  std::cout << generator.report().Summary(elapsed);
  if (generator.missed_slots() > 0) {
    std::cout << "missed slots (concurrency limit reached): " << generator.missed_slots() << "\n";
  }
  std::cout << bench::GatewayDelta(before, after, generator.report().ok());
  if (const std::string key = absl::GetFlag(FLAGS_sign_ceiling_key); !key.empty()) {
    auto ceiling = bench::SignaturesPerSecond(key, std::max(1, absl::GetFlag(FLAGS_sign_threads)),
                                              absl::GetFlag(FLAGS_duration));
    if (!ceiling.ok()) {
      std::cerr << "loadgen: signing ceiling: " << ceiling.status() << "\n";
      return 2;
    }
    const double fintoc =
        static_cast<double>(generator.report().ok("fintoc")) / absl::ToDoubleSeconds(elapsed);
    std::cout << "scenario 2: Fintoc " << fintoc << " payouts/s, sign-only " << *ceiling
              << " signatures/s (" << absl::GetFlag(FLAGS_sign_threads) << " threads), ratio "
              << fintoc / *ceiling << "\n";
  }
  return generator.report().errors() == 0 ? 0 : 1;
}
