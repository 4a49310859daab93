// A caller's limit under a race (docs/policies.md#atomicity): 200 payouts with distinct keys
// at once against a limit of 50, on PostgreSQL through two gateway processes on one database,
// and on SQLite through one gateway. The store checks and reserves in the claim's transaction,
// so exactly 50 are approved, 150 are RESOURCE_EXHAUSTED, and the provider made exactly 50
// transfers. The figures are printed in the test log.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/client_context.h>
#include <grpcpp/completion_queue.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "tests/e2e/process_fixtures.h"

namespace e2e {
namespace {

constexpr char kToken[] = "racer-token-for-the-policy-race-001";
constexpr int kPayouts = 200;
constexpr int kLimit = 50;

struct Tally {
  int approved = 0;
  int refused = 0;  // RESOURCE_EXHAUSTED
  int other = 0;
  std::string first_other;
};

// Sends every request at once (the async API, round-robin over `gateways`) and counts answers.
Tally RaceAll(const std::vector<Gateway*>& gateways,
              const std::vector<payments::v1::CreatePayoutRequest>& requests) {
  struct Call {
    grpc::ClientContext context;
    payments::v1::Payout payout;
    grpc::Status status;
    std::unique_ptr<grpc::ClientAsyncResponseReader<payments::v1::Payout>> reader;
  };
  grpc::CompletionQueue queue;
  std::vector<std::unique_ptr<Call>> calls;
  for (size_t i = 0; i < requests.size(); ++i) {
    auto call = std::make_unique<Call>();
    call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    call->context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
    call->reader = gateways[i % gateways.size()]->stub().AsyncCreatePayout(&call->context,
                                                                           requests[i], &queue);
    call->reader->Finish(&call->payout, &call->status, call.get());
    calls.push_back(std::move(call));
  }
  Tally tally;
  for (size_t answered = 0; answered < calls.size(); ++answered) {
    void* tag = nullptr;
    bool ok = false;
    if (!queue.Next(&tag, &ok)) break;
    const grpc::Status& status = static_cast<Call*>(tag)->status;
    if (status.ok()) {
      ++tally.approved;
    } else if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      ++tally.refused;
    } else if (++tally.other == 1) {
      tally.first_other = absl::StrCat(status.error_code(), " ", status.error_message());
    }
  }
  queue.Shutdown();
  void* tag;
  bool ok;
  while (queue.Next(&tag, &ok)) {
  }
  return tally;
}

void RaceOnALimit(const std::string& label, const std::string& store_url, int gateway_count) {
  Sandbox sandbox;
  const std::string source = sandbox.SourceAccount(PROVIDER_FINTOC);
  const std::string callers = TempPath(label + "-callers");
  const std::string policies = TempPath(label + "-policies.yaml");
  ASSERT_TRUE(WriteFile(callers, absl::StrCat("racer: ", kToken, "\n")));
  ASSERT_TRUE(WriteFile(policies, absl::StrCat(R"yaml(policies:
  - caller: racer
    operations: [payouts]
    source_accounts: ["fintoc.acct.*"]
    limits:
      - name: race-count
        per: caller
        window: 24h
        max_count: )yaml",
                                               kLimit, "\n")));
  GatewayProcessOptions options;
  options.callers_file = callers;
  options.extra_server_yaml = absl::StrCat("  policies_file: ", policies);
  std::vector<std::unique_ptr<Gateway>> gateways;
  std::vector<Gateway*> targets;
  for (int i = 0; i < gateway_count; ++i) {
    gateways.push_back(
        std::make_unique<Gateway>(absl::StrCat(label, "-", i), store_url, sandbox, options));
    targets.push_back(gateways.back().get());
  }
  const int64_t transfers_before = sandbox.TransfersCreated(PROVIDER_FINTOC);
  // Sends, not only transfers: the provider's idempotency would fold a second send of one key
  // into the same transfer and hide it.
  const int64_t sends_before = sandbox.Sends(PROVIDER_FINTOC);
  std::vector<payments::v1::CreatePayoutRequest> requests;
  for (int i = 0; i < kPayouts; ++i) {
    requests.push_back(PayoutFrom(source, absl::StrCat(label, "-", i), 100));  // MXN 1.00
  }
  const absl::Time started = absl::Now();
  const Tally tally = RaceAll(targets, requests);
  const absl::Duration wall = absl::Now() - started;
  const int64_t transfers = sandbox.TransfersCreated(PROVIDER_FINTOC) - transfers_before;
  const int64_t sends = sandbox.Sends(PROVIDER_FINTOC) - sends_before;
  std::printf(
      "policy race %s: %d gateway(s), %d payouts against a limit of %d: approved=%d "
      "refused=%d other=%d provider_transfers=%lld provider_sends=%lld wall=%s\n",
      label.c_str(), gateway_count, kPayouts, kLimit, tally.approved, tally.refused, tally.other,
      static_cast<long long>(transfers), static_cast<long long>(sends),
      absl::FormatDuration(wall).c_str());
  EXPECT_EQ(tally.approved, kLimit);
  EXPECT_EQ(tally.refused, kPayouts - kLimit);
  EXPECT_EQ(tally.other, 0) << tally.first_other;
  EXPECT_EQ(transfers, kLimit);
  EXPECT_EQ(sends, kLimit);  // each approved payout sent once, no refused one sent at all
}

TEST(PolicyRaceTest, TwoGatewaysOnOnePostgresApproveExactlyTheLimit) {
  const std::string url = FreshPostgresUrl("policy_race");
  ASSERT_FALSE(url.empty()) << "GATEWAY_TEST_POSTGRES_URL is not set (scripts/test.sh sets it)";
  RaceOnALimit("postgres", url, 2);
}

TEST(PolicyRaceTest, ConcurrentCallsToOneGatewayOnSqliteApproveExactlyTheLimit) {
  RaceOnALimit("sqlite", absl::StrCat("sqlite://", TempPath("policy-race/gateway.db")), 1);
}

}  // namespace
}  // namespace e2e
