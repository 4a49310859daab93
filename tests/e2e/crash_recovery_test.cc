// Issue 6, as an operator would see it: the real sandbox and gateway binaries as processes.
// The gateway is killed with SIGKILL while payouts are in flight, restarted, and every request
// is replayed with its key: no duplicate transfer, every payout definite. Then two gateway
// processes share one store and get the same keys: one transfer per key.
#include <signal.h>

#include <cstdlib>

#include <atomic>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "providers/common/json_fields.h"
#include "providers/http/https_client.h"
#include "tests/e2e/child_process.h"

namespace e2e {
namespace {

using payments::v1::Payout;
using payments::v1::PayoutService;

// The sandbox binary with its CA and ports, and a client for its control endpoints.
class Sandbox {
 public:
  Sandbox() {
    static std::atomic<int> instances{0};
    const std::string name = absl::StrCat("sandbox-", ++instances);
    ca_path_ = TempPath(name + "-ca.pem");
    const std::string ports = TempPath(name + ".ports");
    process_ = std::make_unique<ChildProcess>(
        "sandbox/sandbox",
        std::vector<std::string>{"--ports_file=" + ports, "--ca_out=" + ca_path_,
                                 "--settle_after_ms=-1"},
        TempPath(name + ".log"));
    EXPECT_TRUE(process_->WaitForFile(ports)) << process_->Log();
    EXPECT_TRUE(process_->WaitForFile(ca_path_)) << process_->Log();
    for (absl::string_view line : absl::StrSplit(ReadFile(ports), '\n')) {
      if (absl::ConsumePrefix(&line, "monato=")) EXPECT_TRUE(absl::SimpleAtoi(line, &monato_port_));
    }
    providers::http::HttpsClientOptions options;
    options.ca_file = ca_path_;
    client_ = *providers::http::HttpsClient::Create(options);
  }

  const std::string& ca_path() const { return ca_path_; }

  std::string MonatoUrl() const { return absl::StrCat("https://127.0.0.1:", monato_port_); }

  // A control call; returns the reply body.
  std::string Control(const std::string& method, const std::string& path,
                      const std::string& body = "") {
    providers::http::HttpRequest request;
    request.method = method;
    request.url = MonatoUrl() + path;
    request.body = body;
    request.headers = {{"Content-Type", "application/json"}};
    request.deadline = absl::Now() + absl::Seconds(10);
    absl::Notification done;
    std::string reply;
    client_->Send(std::move(request), [&](absl::StatusOr<providers::http::HttpResponse> response) {
      if (response.ok()) reply = response->body;
      done.Notify();
    });
    done.WaitForNotification();
    return reply;
  }

  int64_t MoneyOutsCreated() {
    auto state = providers::ParseJsonObject(Control("GET", "/_sandbox/monato/state"));
    return state.ok() ? providers::OptionalInt(*state, "money_outs_created").value_or(-1) : -1;
  }

  std::string MainAccount() {
    auto state = providers::ParseJsonObject(Control("GET", "/_sandbox/monato/state"));
    return state.ok() ? providers::StringOr(*state, "main_account_id") : "";
  }

 private:
  std::string ca_path_;
  std::unique_ptr<ChildProcess> process_;
  int monato_port_ = 0;
  std::unique_ptr<providers::http::HttpsClient> client_;
};

// A gateway process configured for the sandbox's Monato, with the given store.
class Gateway {
 public:
  Gateway(const std::string& name, const std::string& store_url, const Sandbox& sandbox) {
    const std::string monato_url = sandbox.MonatoUrl();
    WriteFile(TempPath("monato_api_key"), "monato-sandbox-api-key\n");
    WriteFile(TempPath("monato_client_secret"), "monato-sandbox-client-secret\n");
    const std::string config = absl::StrCat(R"yaml(
server: {listen_address: "127.0.0.1:0", shutdown_grace: 2s}
store:
  url: )yaml",
                                            store_url, R"yaml(
  lease: 2s
  resolve_interval: 500ms
providers:
  monato:
    enabled: true
    base_url: )yaml",
                                            monato_url, R"yaml(
    ca_file: )yaml",
                                            sandbox.ca_path(), R"yaml(
    timeout: 10s
    client_id: c2d1d1e3-3340-4170-980e-e9269bbbc551
    credentials:
      api_key: {file: )yaml",
                                            TempPath("monato_api_key"), R"yaml(}
      client_secret: {file: )yaml",
                                            TempPath("monato_client_secret"), "}\n");
    WriteFile(TempPath(name + ".yaml"), config);
    std::remove(TempPath(name + ".port").c_str());
    process_ = std::make_unique<ChildProcess>(
        "gateway/gateway",
        std::vector<std::string>{"--config=" + TempPath(name + ".yaml"),
                                 "--port_file=" + TempPath(name + ".port")},
        TempPath(name + ".log"));
    EXPECT_TRUE(process_->WaitForFile(TempPath(name + ".port"))) << process_->Log();
    int port = 0;
    EXPECT_TRUE(
        absl::SimpleAtoi(absl::StripAsciiWhitespace(ReadFile(TempPath(name + ".port"))), &port));
    channel_ =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
    stub_ = PayoutService::NewStub(channel_);
  }

  PayoutService::Stub& stub() { return *stub_; }
  ChildProcess& process() { return *process_; }

 private:
  std::unique_ptr<ChildProcess> process_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<PayoutService::Stub> stub_;
};

payments::v1::CreatePayoutRequest PayoutRequest(const std::string& account,
                                                const std::string& key) {
  payments::v1::CreatePayoutRequest request;
  request.set_idempotency_key(key);
  request.set_source_account_id("monato.acct." + account);
  request.mutable_amount()->set_amount_minor(2500);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe("014180655091438298");
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.set_description("Pago tras caida");
  request.set_numeric_reference(99);
  return request;
}

// Sends until a definite answer: ABORTED (in flight elsewhere) and UNAVAILABLE are retried.
grpc::Status CreateUntilAnswered(PayoutService::Stub& stub,
                                 const payments::v1::CreatePayoutRequest& request, Payout* out) {
  grpc::Status status;
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (absl::Now() < give_up) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    status = stub.CreatePayout(&context, request, out);
    if (status.error_code() != grpc::StatusCode::ABORTED &&
        status.error_code() != grpc::StatusCode::UNAVAILABLE) {
      return status;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  return status;
}

TEST(CrashRecoveryTest, KillNineMidFlightThenReplayMovesMoneyOncePerKey) {
  Sandbox sandbox;
  const std::string account = sandbox.MainAccount();
  ASSERT_FALSE(account.empty());
  const std::string store = absl::StrCat("sqlite://", TempPath("crash/gateway.db"));
  auto gateway = std::make_unique<Gateway>("crash-a", store, sandbox);

  // Warm up (token, instruments), then make every money_out hang 3 s at Monato.
  Payout warm;
  ASSERT_TRUE(CreateUntilAnswered(gateway->stub(), PayoutRequest(account, "warm"), &warm).ok());
  sandbox.Control("POST", "/_sandbox/faults",
                  R"({"path_prefix":"/v1/transactions/money_out","latency_ms":3000})");

  constexpr int kPayouts = 8;
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<Payout> lost(kPayouts);
  std::atomic<int> answered{0};
  for (int i = 0; i < kPayouts; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    contexts.back()->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    auto request = std::make_shared<payments::v1::CreatePayoutRequest>(
        PayoutRequest(account, absl::StrCat("crash-", i)));
    gateway->stub().async()->CreatePayout(contexts.back().get(), request.get(), &lost[i],
                                          [request, &answered](grpc::Status) { ++answered; });
  }
  // Let the claims reach the disk and the money_outs reach Monato, then crash.
  const absl::Time wait_until = absl::Now() + absl::Seconds(5);
  while (sandbox.MoneyOutsCreated() < 1 + kPayouts && absl::Now() < wait_until) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  gateway->process().Signal(SIGKILL);
  gateway->process().WaitForExit(absl::Seconds(5));
  EXPECT_EQ(sandbox.MoneyOutsCreated(), 1 + kPayouts);
  for (auto& context : contexts) context->TryCancel();
  const absl::Time drain_until = absl::Now() + absl::Seconds(10);
  while (answered.load() < kPayouts && absl::Now() < drain_until) {
    absl::SleepFor(absl::Milliseconds(20));
  }

  sandbox.Control("POST", "/_sandbox/faults", "{}");
  gateway = std::make_unique<Gateway>("crash-b", store, sandbox);  // restarted
  for (int i = 0; i < kPayouts; ++i) {
    Payout payout;
    grpc::Status status = CreateUntilAnswered(
        gateway->stub(), PayoutRequest(account, absl::StrCat("crash-", i)), &payout);
    ASSERT_TRUE(status.ok()) << i << ": " << status.error_message();
    EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_PENDING) << i;
    EXPECT_FALSE(payout.provider_payout_id().empty()) << i;
  }
  EXPECT_EQ(sandbox.MoneyOutsCreated(), 1 + kPayouts);  // not one more
}

void SameKeysOnTwoGateways(const std::string& store_url) {
  Sandbox sandbox;
  const std::string account = sandbox.MainAccount();
  Gateway first("pair-a", store_url, sandbox);
  Gateway second("pair-b", store_url, sandbox);
  constexpr int kKeys = 10;
  std::map<int, std::vector<std::string>> ids;
  absl::Mutex mu;
  std::vector<std::thread> callers;
  for (int key = 0; key < kKeys; ++key) {
    for (Gateway* gateway : {&first, &second}) {
      callers.emplace_back([&, key, gateway] {
        Payout payout;
        grpc::Status status = CreateUntilAnswered(
            gateway->stub(), PayoutRequest(account, absl::StrCat("pair-", key)), &payout);
        EXPECT_TRUE(status.ok()) << status.error_message();
        absl::MutexLock lock(&mu);
        ids[key].push_back(payout.id());
      });
    }
  }
  for (auto& caller : callers) caller.join();
  for (const auto& [key, seen] : ids) {
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0], seen[1]) << "key " << key;
  }
  EXPECT_EQ(sandbox.MoneyOutsCreated(), kKeys);
}

TEST(CrashRecoveryTest, TwoGatewaysOnOneSqliteFileMoveMoneyOncePerKey) {
  SameKeysOnTwoGateways(absl::StrCat("sqlite://", TempPath("pair/gateway.db")));
}

TEST(CrashRecoveryTest, TwoGatewaysOnOnePostgresMoveMoneyOncePerKey) {
  const char* url = std::getenv("GATEWAY_TEST_POSTGRES_URL");
  ASSERT_NE(url, nullptr) << "needs a PostgreSQL server: run scripts/test.sh";
  // A schema of its own per run: keys of earlier runs must not be replayed.
  const std::string schema = absl::StrCat("crash_", absl::ToUnixMicros(absl::Now()));
  SameKeysOnTwoGateways(
      absl::StrCat(url, absl::StrContains(url, "?") ? "&" : "?", "pool_size=4&schema=", schema));
}

}  // namespace
}  // namespace e2e
