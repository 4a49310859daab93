// A local rehearsal of a Kubernetes rollout (issue 8): three gateway replicas on loopback share
// one PostgreSQL and the sandbox providers; a client spreads payouts across them while each
// replica in turn gets SIGTERM (drain, then exit 0) and is started again on its port. A client
// that retries UNAVAILABLE, ABORTED, CANCELLED and DEADLINE_EXCEEDED with the same key on
// another replica sees no failed call, and Monato sees exactly one money-out per key.
#include <signal.h>

#include <array>
#include <atomic>
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

// The client side: one channel per replica address (stable across restarts, like a headless
// Service's endpoints), quick reconnects so a restarted replica gets traffic again.
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
                      int* served_by, int* retries) {
    grpc::Status status;
    const absl::Time give_up = absl::Now() + absl::Seconds(60);
    while (absl::Now() < give_up) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
      status = stubs_[replica]->CreatePayout(&context, request, payout);
      if (!Retryable(status.error_code())) {
        *served_by = replica;
        return status;
      }
      ++*retries;
      replica = (replica + 1) % kReplicas;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return status;
  }

 private:
  std::array<std::unique_ptr<PayoutService::Stub>, kReplicas> stubs_;
};

TEST(RollingRestartTest, EachReplicaRestartedUnderLoadNoFailedCallOneMoneyOutPerKey) {
  const std::string store_url = FreshPostgresUrl("rolling");
  ASSERT_FALSE(store_url.empty()) << "needs a PostgreSQL server: run scripts/test.sh";
  Sandbox sandbox;
  const std::string account = sandbox.MainAccount();
  ASSERT_FALSE(account.empty());

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
  SpreadingClient client(ports);

  std::atomic<bool> stop{false};
  std::atomic<bool> after_rollout{false};
  std::atomic<int> next_key{0};
  std::atomic<int> retries{0};
  std::array<std::atomic<int>, kReplicas> served_after_rollout{};
  absl::Mutex mu;
  std::map<std::string, std::string> payout_of_key;  // guarded by mu
  std::vector<std::string> failures;                 // guarded by mu
  std::vector<std::thread> threads;
  for (int t = 0; t < kClientThreads; ++t) {
    threads.emplace_back([&] {
      while (!stop.load()) {
        const int n = next_key++;
        const std::string key = absl::StrCat("rolling-", n);
        Payout payout;
        int served_by = -1;
        int retried = 0;
        grpc::Status status = client.Create(PayoutRequest(account, key), n % kReplicas, &payout,
                                            &served_by, &retried);
        retries += retried;
        absl::MutexLock lock(&mu);
        if (!status.ok()) {
          failures.push_back(
              absl::StrCat(key, ": ", status.error_code(), " ", status.error_message()));
          continue;
        }
        if (after_rollout.load()) ++served_after_rollout[served_by];
        payout_of_key[key] = payout.id();
      }
    });
  }

  absl::SleepFor(absl::Seconds(1));
  for (int i = 0; i < kReplicas; ++i) {
    const absl::Time signalled = absl::Now();
    replicas[i]->process().Signal(SIGTERM);
    EXPECT_EQ(replicas[i]->process().WaitForExit(absl::Seconds(15)), 0)
        << replicas[i]->process().Log();
    // It kept serving through the drain delay before it stopped.
    EXPECT_GE(absl::Now() - signalled, absl::Seconds(1));
    options.port = ports[i];
    replicas[i] = std::make_unique<Gateway>(absl::StrCat("rolling-", i, "-restarted"), store_url,
                                            sandbox, options);
    ASSERT_EQ(replicas[i]->port(), ports[i]);
    absl::SleepFor(absl::Milliseconds(1500));
  }
  after_rollout = true;
  absl::SleepFor(absl::Seconds(2));
  stop = true;
  for (auto& thread : threads) thread.join();

  absl::MutexLock lock(&mu);
  for (const std::string& failure : failures) ADD_FAILURE() << "failed call: " << failure;
  EXPECT_TRUE(failures.empty());
  const int keys = static_cast<int>(payout_of_key.size());
  EXPECT_EQ(keys, next_key.load());  // every key started was answered
  EXPECT_GE(keys, 30) << "too little load to mean anything";
  std::set<std::string> distinct_payouts;
  for (const auto& [key, id] : payout_of_key) distinct_payouts.insert(id);
  EXPECT_EQ(static_cast<int>(distinct_payouts.size()), keys);
  // One money movement per key: retries on other replicas replayed, never re-sent.
  EXPECT_EQ(sandbox.MoneyOutsCreated(), keys);
  for (int i = 0; i < kReplicas; ++i) {
    EXPECT_GT(served_after_rollout[i].load(), 0) << "restarted replica " << i << " got no calls";
  }
  std::cout << keys << " payouts across " << kReplicas << " replicas restarted in turn, "
            << retries.load() << " retries with the same key, " << failures.size()
            << " failed calls, " << sandbox.MoneyOutsCreated() << " Monato money-outs\n";
}

}  // namespace
}  // namespace e2e
