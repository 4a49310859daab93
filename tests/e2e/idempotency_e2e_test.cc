// Idempotency end to end, in one process: concurrent duplicates, restarts of the store, and the
// resolver, over real HTTPS to the Monato simulator and a real SQLite file.
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/gateway_under_test.h"

namespace e2e {
namespace {

using payments::v1::Payout;
using payments::v1::PayoutService;

// Creates `request`, retrying ABORTED ("still in progress") as a well-behaved client does.
grpc::Status CreateRetryingAborted(GatewayUnderTest& gateway,
                                   const payments::v1::CreatePayoutRequest& request,
                                   Payout* payout) {
  grpc::Status status;
  for (int attempt = 0; attempt < 200; ++attempt) {
    status = Call(gateway.payouts(), &PayoutService::Stub::CreatePayout, request, payout);
    if (status.error_code() != grpc::StatusCode::ABORTED) return status;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return status;
}

TEST(IdempotencyE2eTest, TwoHundredConcurrentCallsOnTwentyKeysSendTwentyTimes) {
  SandboxOptions slow;
  slow.monato_money_out_processing = absl::Milliseconds(50);  // keep calls overlapping
  slow.dedup = false;  // only the gateway's claim can keep a key to one send
  GatewayUnderTest gateway(slow);
  constexpr int kKeys = 20;
  constexpr int kCallsPerKey = 10;
  std::vector<std::thread> callers;
  absl::Mutex mu;
  std::map<std::string, std::set<std::string>> ids_by_key;
  std::atomic<int> failures{0};
  absl::Notification go;
  for (int key = 0; key < kKeys; ++key) {
    for (int call = 0; call < kCallsPerKey; ++call) {
      callers.emplace_back([&, key] {
        const auto request = gateway.MonatoPayout(absl::StrCat("conc-", key), 1000 + key);
        go.WaitForNotification();
        Payout payout;
        grpc::Status status = CreateRetryingAborted(gateway, request, &payout);
        if (!status.ok()) {
          ++failures;
          return;
        }
        absl::MutexLock lock(&mu);
        ids_by_key[request.idempotency_key()].insert(payout.provider_payout_id());
      });
    }
  }
  go.Notify();
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(ids_by_key.size(), static_cast<size_t>(kKeys));
  // Every caller of a key saw the one Monato transfer made for it.
  for (const auto& [key, ids] : ids_by_key) {
    EXPECT_EQ(ids.size(), 1u) << key;
    EXPECT_FALSE(ids.begin()->empty()) << key;
  }
  EXPECT_EQ(gateway.monato().counters().money_outs_created, kKeys);
  // At Monato: twenty keys, each sent once; no call was refused there as "in progress".
  EXPECT_EQ(KeysBySends(gateway.monato().sends(), "money_out"),
            (std::map<int64_t, int>{{1, kKeys}}));
  EXPECT_EQ(gateway.monato().sends().total.refused, 0);
}

TEST(IdempotencyE2eTest, AnInFlightKeyIsAbortedByTheGatewayNotSentAgain) {
  SandboxOptions no_dedup;
  no_dedup.dedup = false;  // Monato would process a second send, not refuse it as in progress
  GatewayUnderTest gateway(no_dedup);
  // Monato makes the transfer at once and holds its reply for 2 s.
  sandbox::FaultPlan slow_reply;
  slow_reply.path_prefix = "/v1/transactions/money_out";
  slow_reply.latency_ms = 2000;
  gateway.monato_server().SetFaults(slow_reply);
  const auto request = gateway.MonatoPayout("in-flight", 700);
  Payout first;
  grpc::Status first_status;
  std::thread caller([&] {
    first_status = Call(gateway.payouts(), &PayoutService::Stub::CreatePayout, request, &first);
  });
  // The first call is at Monato (its reply not yet back): now the same key again.
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (gateway.monato().sends().total.sends < 1 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_EQ(gateway.monato().sends().total.sends, 1);
  Payout second;
  grpc::Status second_status =
      Call(gateway.payouts(), &PayoutService::Stub::CreatePayout, request, &second);
  const int64_t sends_when_answered = gateway.monato().sends().total.sends;
  caller.join();
  EXPECT_TRUE(first_status.ok()) << first_status.error_message();
  EXPECT_EQ(second_status.error_code(), grpc::StatusCode::ABORTED) << second_status.error_message();
  // The gateway refused it itself: nothing more reached Monato.
  EXPECT_EQ(sends_when_answered, 1);
  EXPECT_EQ(gateway.monato().sends().total.sends, 1);
  EXPECT_EQ(gateway.monato().counters().money_outs_created, 1);
}

TEST(IdempotencyE2eTest, AStoredErrorIsReplayedWithoutAskingMonatoAgain) {
  SandboxOptions poor;
  poor.monato_balance_cents = 1000;  // MXN 10.00
  poor.dedup = false;                // Monato would act on a second send
  GatewayUnderTest gateway(poor);
  const auto request = gateway.MonatoPayout("refused-once", 5000);
  Payout ignored;
  grpc::Status first =
      Call(gateway.payouts(), &PayoutService::Stub::CreatePayout, request, &ignored);
  ASSERT_EQ(first.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << first.error_message();
  // Now the payout could go through: a re-send would move money. The key keeps its answer.
  ASSERT_FALSE(
      gateway.SandboxControl(true, "/_sandbox/monato/receive", R"({"amount":"100.00"})").empty());
  Payout again_payout;
  grpc::Status again =
      Call(gateway.payouts(), &PayoutService::Stub::CreatePayout, request, &again_payout);
  EXPECT_EQ(again.error_code(), first.error_code());
  EXPECT_EQ(again.error_message(), first.error_message());
  EXPECT_EQ(KeysBySends(gateway.monato().sends(), "money_out"), (std::map<int64_t, int>{{1, 1}}));
  EXPECT_EQ(gateway.monato().counters().money_outs_created, 0);
}

TEST(IdempotencyE2eTest, AStoredFintocErrorIsReplayedWithoutAskingFintocAgain) {
  SandboxOptions no_dedup;
  no_dedup.dedup = false;  // Fintoc would act on a second send
  GatewayUnderTest gateway(no_dedup);
  // More than the seeded MXN 10,000,000.00: Fintoc refuses it (insufficient_balance).
  const auto request = gateway.FintocPayout("fintoc-refused", 2'000'000'000);
  Payout first_payout;
  grpc::Status first =
      Call(gateway.payouts(), &PayoutService::Stub::CreatePayout, request, &first_payout);
  ASSERT_EQ(first.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << first.error_message();
  Payout again_payout;
  grpc::Status again =
      Call(gateway.payouts(), &PayoutService::Stub::CreatePayout, request, &again_payout);
  EXPECT_EQ(again.error_code(), first.error_code()) << again.error_message();
  EXPECT_EQ(again.error_message(), first.error_message());
  EXPECT_EQ(KeysBySends(gateway.fintoc().sends(), "transfer"), (std::map<int64_t, int>{{1, 1}}));
  EXPECT_EQ(gateway.fintoc().counters().outbound_created, 0);
}

TEST(IdempotencyE2eTest, ListPayoutsPagesThroughTheCallersPayouts) {
  GatewayUnderTest gateway;
  std::set<std::string> created;
  for (int i = 0; i < 7; ++i) {
    Payout payout;
    ASSERT_TRUE(Call(gateway.payouts(), &PayoutService::Stub::CreatePayout,
                     gateway.MonatoPayout(absl::StrCat("list-", i), 100 + i), &payout)
                    .ok());
    created.insert(payout.id());
  }
  payments::v1::ListPayoutsRequest list;
  list.set_page_size(3);
  std::set<std::string> listed;
  for (int page = 0; page < 5; ++page) {
    payments::v1::ListPayoutsResponse response;
    ASSERT_TRUE(Call(gateway.payouts(), &PayoutService::Stub::ListPayouts, list, &response).ok());
    for (const auto& payout : response.payouts()) listed.insert(payout.id());
    if (response.next_page_token().empty()) break;
    list.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(listed, created);
}

TEST(IdempotencyE2eTest, TheResolverSettlesUnknownPayoutsWithoutASecondTransfer) {
  GatewayUnderTest gateway;
  Payout warm;
  ASSERT_TRUE(Call(gateway.payouts(), &PayoutService::Stub::CreatePayout,
                   gateway.MonatoPayout("warm", 100), &warm)
                  .ok());
  sandbox::FaultPlan drop;
  drop.path_prefix = "/v1/transactions/money_out";
  drop.drop_after_next = 10;
  gateway.monato_server().SetFaults(drop);
  Payout unknown;
  ASSERT_TRUE(Call(gateway.payouts(), &PayoutService::Stub::CreatePayout,
                   gateway.MonatoPayout("resolve-me", 4321), &unknown)
                  .ok());
  ASSERT_EQ(unknown.status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  gateway.monato_server().SetFaults({});
  absl::Notification done;
  int looked_at = 0;
  gateway.engine().ResolveOnce(absl::ZeroDuration(), [&](int n) {
    looked_at = n;
    done.Notify();
  });
  done.WaitForNotification();
  EXPECT_GE(looked_at, 1);
  payments::v1::ListPayoutsRequest list;
  list.set_status(payments::v1::PAYOUT_STATUS_UNKNOWN);
  payments::v1::ListPayoutsResponse still_unknown;
  ASSERT_TRUE(
      Call(gateway.payouts(), &PayoutService::Stub::ListPayouts, list, &still_unknown).ok());
  EXPECT_EQ(still_unknown.payouts_size(), 0);
  EXPECT_EQ(gateway.monato().counters().money_outs_created, 2);  // warm-up + one
}

}  // namespace
}  // namespace e2e
