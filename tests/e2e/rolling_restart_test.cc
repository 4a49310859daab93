// A local rehearsal of a Kubernetes rollout: three gateway replicas on loopback share
// one PostgreSQL and the sandbox providers (both, slow to answer); a client spreads payouts
// across them while each replica in turn gets SIGTERM with calls in flight at the provider
// (drain, then exit 0) and is started again on its port. A client that retries UNAVAILABLE,
// ABORTED, CANCELLED and DEADLINE_EXCEEDED with the same key on another replica sees no failed
// call, the calls in flight complete through the stop, and the providers see one send per key.
#include <signal.h>

#include <array>
#include <atomic>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "tests/e2e/process_fixtures.h"

namespace e2e {
namespace {

using payments::v1::Payout;
using payments::v1::PayoutService;

constexpr int kReplicas = 3;
constexpr int kClientThreads = 4;

// What a well-behaved caller treats as "outcome unknown or not taken: ask again, same key".
bool Retryable(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::ABORTED ||
         code == grpc::StatusCode::CANCELLED || code == grpc::StatusCode::DEADLINE_EXCEEDED;
}

// One call as the client saw it.
struct CallRecord {
  int replica = -1;
  absl::Time start, end;
  grpc::StatusCode code = grpc::StatusCode::OK;
};

// The client side: one channel per replica address (stable across restarts, like a headless
// Service's endpoints), quick reconnects so a restarted replica gets traffic again. It keeps a
// record of every call (which replica, when, what it answered) and of the calls open now.
class SpreadingClient {
 public:
  explicit SpreadingClient(const std::array<int, kReplicas>& ports) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
    for (int i = 0; i < kReplicas; ++i) {
      stubs_[i] = PayoutService::NewStub(grpc::CreateCustomChannel(
          absl::StrCat("127.0.0.1:", ports[i]), grpc::InsecureChannelCredentials(), args));
    }
  }

  // Sends `request` starting at `replica`, moving to the next replica on a retryable answer.
  // Returns the final status; `served_by` is the replica that answered it.
  grpc::Status Create(const payments::v1::CreatePayoutRequest& request, int replica, Payout* payout,
                      int* served_by) {
    grpc::Status status;
    const absl::Time give_up = absl::Now() + absl::Seconds(60);
    while (absl::Now() < give_up) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      CallRecord record;
      record.replica = replica;
      record.start = absl::Now();
      ++open_[replica];
      status = stubs_[replica]->CreatePayout(&context, request, payout);
      --open_[replica];
      record.end = absl::Now();
      record.code = status.error_code();
      {
        absl::MutexLock lock(&mu_);
        calls_.push_back(record);
      }
      if (!Retryable(status.error_code())) {
        *served_by = replica;
        return status;
      }
      replica = (replica + 1) % kReplicas;
      absl::SleepFor(absl::Milliseconds(20));  // a client's retry backoff
    }
    return status;
  }

  int open(int replica) const { return open_[replica].load(); }
  std::vector<CallRecord> calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

 private:
  std::array<std::unique_ptr<PayoutService::Stub>, kReplicas> stubs_;
  std::array<std::atomic<int>, kReplicas> open_{};
  absl::Mutex mu_;
  std::vector<CallRecord> calls_ ABSL_GUARDED_BY(mu_);
};

// Client threads that stop and are joined however the test leaves (an ASSERT included), so no
// thread outlives the objects it uses and std::thread never terminates the test.
class Load {
 public:
  ~Load() { Stop(); }
  void Start(int threads, const std::function<void(const std::atomic<bool>& stop)>& body) {
    for (int t = 0; t < threads; ++t) threads_.emplace_back([this, body] { body(stop_); });
  }
  void Stop() {
    stop_ = true;
    for (auto& thread : threads_) thread.join();
    threads_.clear();
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

TEST(RollingRestartTest, EachReplicaStoppedWithCallsAtTheProviderNoFailedCallOneSendPerKey) {
  const std::string store_url = FreshPostgresUrl("rolling");
  ASSERT_FALSE(store_url.empty()) << "needs a PostgreSQL server: run scripts/test.sh";
  // The providers ignore keys: a re-send on another replica would be a second transfer.
  SandboxProcessOptions no_dedup;
  no_dedup.no_dedup = true;
  Sandbox sandbox(no_dedup);
  const std::string sources[] = {sandbox.SourceAccount(PROVIDER_MONATO),
                                 sandbox.SourceAccount(PROVIDER_FINTOC)};
  ASSERT_FALSE(sources[0].empty());
  ASSERT_FALSE(sources[1].empty());

  // Kubernetes-like shutdown: readiness drops, service continues for drain_delay, then calls
  // in flight get shutdown_grace.
  GatewayProcessOptions options;
  options.drain_delay = "1s";
  options.shutdown_grace = "5s";
  std::array<std::unique_ptr<Gateway>, kReplicas> replicas;
  std::array<int, kReplicas> ports{};
  for (int i = 0; i < kReplicas; ++i) {
    replicas[i] =
        std::make_unique<Gateway>(absl::StrCat("rolling-", i), store_url, sandbox, options);
    ports[i] = replicas[i]->port();
  }
  // Every money-moving call spends 400 ms at the provider after the transfer is made, so a
  // replica always stops with calls in flight there.
  sandbox.Faults(PROVIDER_MONATO,
                 R"({"path_prefix":"/v1/transactions/money_out","latency_ms":400})");
  sandbox.Faults(PROVIDER_FINTOC, R"({"path_prefix":"/v2/transfers","latency_ms":400})");
  SpreadingClient client(ports);

  std::atomic<int> next_key{0};
  std::array<std::atomic<int>, kReplicas> served{};
  absl::Mutex mu;
  std::map<std::string, std::string> transfer_of_key;  // guarded by mu
  std::vector<std::string> failures;                   // guarded by mu
  Load load;
  load.Start(kClientThreads, [&](const std::atomic<bool>& stop) {
    while (!stop.load()) {
      const int n = next_key++;
      const std::string key = absl::StrCat("rolling-", n);
      Payout payout;
      int served_by = -1;
      grpc::Status status =
          client.Create(PayoutFrom(sources[n % 2], key), n % kReplicas, &payout, &served_by);
      absl::MutexLock lock(&mu);
      if (!status.ok()) {
        failures.push_back(
            absl::StrCat(key, ": ", status.error_code(), " ", status.error_message()));
        continue;
      }
      ++served[served_by];
      transfer_of_key[key] = payout.provider_payout_id();
    }
  });

  std::array<absl::Time, kReplicas> signalled{};
  ASSERT_TRUE(WaitUntil([&] { return next_key.load() >= 2 * kClientThreads; }));
  for (int i = 0; i < kReplicas; ++i) {
    // Stop it while calls it serves are at the provider.
    ASSERT_TRUE(WaitUntil([&] { return client.open(i) > 0; })) << "replica " << i << " idle";
    signalled[i] = absl::Now();
    replicas[i]->process().Signal(SIGTERM);
    EXPECT_EQ(replicas[i]->process().WaitForExit(absl::Seconds(15)), 0)
        << replicas[i]->process().Log();
    // It kept serving through the drain delay before it stopped.
    EXPECT_GE(absl::Now() - signalled[i], absl::Seconds(1));
    options.port = ports[i];
    const int served_before = served[i].load();
    replicas[i] = std::make_unique<Gateway>(absl::StrCat("rolling-", i, "-restarted"), store_url,
                                            sandbox, options);
    ASSERT_EQ(replicas[i]->port(), ports[i]);
    // Traffic is back on it before the next one stops.
    EXPECT_TRUE(WaitUntil([&] { return served[i].load() > served_before; }))
        << "restarted replica " << i << " got no calls";
  }
  load.Stop();

  absl::MutexLock lock(&mu);
  for (const std::string& failure : failures) ADD_FAILURE() << "failed call: " << failure;
  EXPECT_TRUE(failures.empty());
  const int keys = static_cast<int>(transfer_of_key.size());
  EXPECT_EQ(keys, next_key.load());  // every key started was answered
  EXPECT_GE(keys, 30) << "too little load to mean anything";
  std::set<std::string> transfers;
  for (const auto& [key, transfer] : transfer_of_key) transfers.insert(transfer);
  EXPECT_EQ(static_cast<int>(transfers.size()), keys) << "one provider transfer per key";
  // One send per key reached the providers: retries on other replicas replayed the stored
  // answer, never re-sent.
  const int64_t sends = sandbox.Sends(PROVIDER_MONATO) + sandbox.Sends(PROVIDER_FINTOC);
  EXPECT_EQ(sends, keys);
  EXPECT_EQ(sandbox.TransfersCreated(PROVIDER_MONATO) + sandbox.TransfersCreated(PROVIDER_FINTOC),
            keys);
  const SendTally monato = sandbox.Tally(PROVIDER_MONATO);
  const SendTally fintoc = sandbox.Tally(PROVIDER_FINTOC);
  EXPECT_EQ(monato.keys_by_sends, (std::map<int64_t, int>{{1, (keys + 1) / 2}}));
  EXPECT_EQ(fintoc.keys_by_sends, (std::map<int64_t, int>{{1, keys / 2}}));

  // Retries: a call that a stopping replica had accepted completed there (the grace outlasts
  // the provider's latency), so no call was cut (CANCELLED, DEADLINE_EXCEEDED) or found its key
  // still in flight elsewhere (ABORTED); only calls that met a closed port (UNAVAILABLE) moved.
  std::map<grpc::StatusCode, int> retries;
  std::array<int, kReplicas> completed_through_stop{};
  for (const CallRecord& call : client.calls()) {
    if (Retryable(call.code)) ++retries[call.code];
    const absl::Time stop = signalled[call.replica];
    if (call.code == grpc::StatusCode::OK && call.start < stop && call.end > stop) {
      ++completed_through_stop[call.replica];
    }
  }
  EXPECT_EQ(retries[grpc::StatusCode::CANCELLED], 0);
  EXPECT_EQ(retries[grpc::StatusCode::DEADLINE_EXCEEDED], 0);
  EXPECT_EQ(retries[grpc::StatusCode::ABORTED], 0);
  EXPECT_LE(retries[grpc::StatusCode::UNAVAILABLE], keys / 2);
  for (int i = 0; i < kReplicas; ++i) {
    EXPECT_GT(completed_through_stop[i], 0)
        << "replica " << i << " had no call in flight when it was stopped";
  }
  std::cout << keys << " payouts across " << kReplicas
            << " replicas restarted in turn; retries: " << retries[grpc::StatusCode::UNAVAILABLE]
            << " UNAVAILABLE, " << retries[grpc::StatusCode::ABORTED] << " ABORTED, "
            << retries[grpc::StatusCode::CANCELLED] << " CANCELLED, "
            << retries[grpc::StatusCode::DEADLINE_EXCEEDED]
            << " DEADLINE_EXCEEDED; calls completed "
            << "through each stop: " << completed_through_stop[0] << " "
            << completed_through_stop[1] << " " << completed_through_stop[2] << "; " << sends
            << " sends at the providers\n";
}

}  // namespace
}  // namespace e2e
