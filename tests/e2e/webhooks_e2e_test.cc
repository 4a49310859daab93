// Webhooks end to end: the simulators deliver real webhooks to the gateway's listener, and a
// WatchPayouts client sees each payout reach its final status. Forged, stale, replayed,
// malformed and oversized webhooks change nothing.
#include <functional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "providers/fintoc/webhook_verifier.h"
#include "tests/e2e/gateway_under_test.h"

namespace e2e {
namespace {

using payments::v1::Payout;
using payments::v1::PayoutEvent;
using payments::v1::PayoutService;

// Reads a WatchPayouts stream on its own thread.
class Watcher {
 public:
  Watcher(GatewayUnderTest& gateway, const std::string& cursor = "") {
    payments::v1::WatchPayoutsRequest request;
    request.set_cursor(cursor);
    reader_ = gateway.payouts().WatchPayouts(&context_, request);
    // The gateway sends the stream's initial metadata once the subscription is in place.
    reader_->WaitForInitialMetadata();
    thread_ = std::thread([this] {
      PayoutEvent event;
      while (reader_->Read(&event)) {
        absl::MutexLock lock(&mu_);
        events_.push_back(event);
      }
    });
  }
  ~Watcher() {
    context_.TryCancel();
    thread_.join();
    reader_->Finish();
  }

  // Waits for an event about `payout_id` with `status`; returns its cursor ("" on timeout).
  std::string WaitFor(const std::string& payout_id, payments::v1::PayoutStatus status,
                      absl::Duration timeout = absl::Seconds(15)) {
    auto seen = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      for (const auto& event : events_) {
        if (event.payout().id() == payout_id && event.payout().status() == status) return true;
      }
      return false;
    };
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&seen), timeout);
    for (const auto& event : events_) {
      if (event.payout().id() == payout_id && event.payout().status() == status) {
        return event.cursor();
      }
    }
    return "";
  }

  std::vector<PayoutEvent> events() {
    absl::MutexLock lock(&mu_);
    return events_;
  }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<PayoutEvent>> reader_;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<PayoutEvent> events_ ABSL_GUARDED_BY(mu_);
};

// Counters move just after the event is published: poll briefly.
bool Eventually(const std::function<bool()>& condition) {
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (!condition()) {
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

// The stored status, without re-reading the provider.
payments::v1::PayoutStatus StoredStatus(GatewayUnderTest& gateway, const std::string& id) {
  payments::v1::ListPayoutsRequest list;
  list.set_page_size(100);
  payments::v1::ListPayoutsResponse response;
  EXPECT_TRUE(Call(gateway.payouts(), &PayoutService::Stub::ListPayouts, list, &response).ok());
  for (const auto& payout : response.payouts()) {
    if (payout.id() == id) return payout.status();
  }
  return payments::v1::PAYOUT_STATUS_UNSPECIFIED;
}

// POSTs to the gateway's webhook listener; returns the HTTP status.
int PostWebhook(GatewayUnderTest& gateway, const std::string& provider, const std::string& body,
                net::http::Headers headers) {
  net::http::BeastHttpClientOptions options;
  options.allow_plain_http = true;
  auto client = net::http::BeastHttpClient::Create(options);
  net::http::HttpRequest request;
  request.method = "POST";
  request.url = gateway.WebhookUrl(provider);
  request.body = body;
  request.headers = std::move(headers);
  request.headers.emplace_back("Content-Type", "application/json");
  request.deadline = absl::Now() + absl::Seconds(10);
  auto response = net::http::SendAndWait(**client, std::move(request));
  return response.ok() ? response->status : 0;
}

std::string TransferEvent(const std::string& event_id, const std::string& transfer_id,
                          const std::string& status) {
  return absl::StrCat(R"({"id":")", event_id, R"(","type":"transfer.outbound.)", status,
                      R"(","mode":"test","data":{"object":"transfer","id":")", transfer_id,
                      R"(","direction":"outbound","status":")", status, R"("},"object":"event"})");
}

net::http::Headers Signed(const std::string& body, absl::Time when,
                          const std::string& secret = sandbox::kFintocDemoWebhookSecret) {
  const int64_t t = absl::ToUnixSeconds(when);
  return {
      {"Fintoc-Signature",
       absl::StrCat("t=", t, ",v1=", providers::fintoc::FintocWebhookSignature(secret, t, body))}};
}

TEST(WebhooksE2eTest, AFintocPayoutReachesItsFinalStatusThroughWatchPayouts) {
  GatewayUnderTest gateway;
  Watcher watcher(gateway);
  Payout payout = MustCreate(gateway, gateway.FintocPayout("wh-fintoc", 1950));
  ASSERT_EQ(gateway.fintoc().SettlePending("", ""), 1);  // Fintoc sends the signed event
  EXPECT_FALSE(watcher.WaitFor(payout.id(), payments::v1::PAYOUT_STATUS_SUCCEEDED).empty());
  EXPECT_TRUE(Eventually([&] { return gateway.webhooks().counters().applied.load() >= 1; }));
}

TEST(WebhooksE2eTest, AMonatoPayoutReachesItsFinalStatusThroughWatchPayouts) {
  GatewayUnderTest gateway;
  Watcher watcher(gateway);
  Payout payout = MustCreate(gateway, gateway.MonatoPayout("wh-monato", 1950));
  ASSERT_EQ(gateway.monato().SettlePending("", ""), 1);  // STATUS_UPDATE with our bearer token
  EXPECT_FALSE(watcher.WaitFor(payout.id(), payments::v1::PAYOUT_STATUS_SUCCEEDED).empty());
  EXPECT_TRUE(Eventually([&] { return gateway.webhooks().counters().applied.load() >= 1; }));
}

TEST(WebhooksE2eTest, ForgedStaleWrongTokenMalformedAndOversizedChangeNothing) {
  GatewayUnderTest gateway;
  Payout payout = MustCreate(gateway, gateway.FintocPayout("wh-bad", 100));
  const std::string transfer = payout.provider_payout_id();
  const std::string body = TransferEvent("evt_forged", transfer, "succeeded");
  EXPECT_EQ(PostWebhook(gateway, "fintoc", body, Signed(body, absl::Now(), "whsec_attacker")), 401);
  EXPECT_EQ(PostWebhook(gateway, "fintoc", body, Signed(body, absl::Now() - absl::Minutes(10))),
            401);
  EXPECT_EQ(PostWebhook(gateway, "fintoc", body, {}), 401);
  EXPECT_EQ(PostWebhook(gateway, "monato", R"({"id_msg":"m1","msg_name":"STATUS_UPDATE",
      "body":{"tracking_key":"x","status":"LIQUIDATED"}})",
                        {{"Authorization", "Bearer not-the-token"}}),
            401);
  const std::string truncated = body.substr(0, body.size() / 2);
  EXPECT_EQ(PostWebhook(gateway, "fintoc", truncated, Signed(truncated, absl::Now())), 400);
  const std::string huge(1 << 20, 'x');
  EXPECT_EQ(PostWebhook(gateway, "fintoc", huge, Signed(huge, absl::Now())), 413);
  EXPECT_EQ(StoredStatus(gateway, payout.id()), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(gateway.webhooks().counters().rejected_auth.load(), 4);
  EXPECT_EQ(gateway.webhooks().counters().rejected_malformed.load(), 1);
  EXPECT_EQ(gateway.webhooks().counters().rejected_oversized.load(), 1);
  EXPECT_EQ(gateway.webhooks().counters().applied.load(), 0);
}

TEST(WebhooksE2eTest, AReplayedEventIsAcknowledgedAndIgnored) {
  GatewayUnderTest gateway;
  Payout payout = MustCreate(gateway, gateway.FintocPayout("wh-replay", 100));
  const std::string body = TransferEvent("evt_once", payout.provider_payout_id(), "succeeded");
  EXPECT_EQ(PostWebhook(gateway, "fintoc", body, Signed(body, absl::Now())), 200);
  EXPECT_EQ(PostWebhook(gateway, "fintoc", body, Signed(body, absl::Now())), 200);
  EXPECT_EQ(gateway.webhooks().counters().applied.load(), 1);
  EXPECT_EQ(gateway.webhooks().counters().duplicates.load(), 1);
  EXPECT_EQ(StoredStatus(gateway, payout.id()), payments::v1::PAYOUT_STATUS_SUCCEEDED);
}

TEST(WebhooksE2eTest, OutOfOrderEventsKeepTheFinalStatus) {
  GatewayUnderTest gateway;
  Payout payout = MustCreate(gateway, gateway.FintocPayout("wh-order", 100));
  const std::string done = TransferEvent("evt_2", payout.provider_payout_id(), "succeeded");
  const std::string late = TransferEvent("evt_1", payout.provider_payout_id(), "pending");
  EXPECT_EQ(PostWebhook(gateway, "fintoc", done, Signed(done, absl::Now())), 200);
  EXPECT_EQ(PostWebhook(gateway, "fintoc", late, Signed(late, absl::Now())), 200);
  EXPECT_EQ(StoredStatus(gateway, payout.id()), payments::v1::PAYOUT_STATUS_SUCCEEDED);
}

TEST(WebhooksE2eTest, AWatcherThatReconnectsWithItsCursorMissesNothing) {
  GatewayUnderTest gateway;
  std::string cursor;
  {
    Watcher first(gateway);
    Payout a = MustCreate(gateway, gateway.FintocPayout("wh-a", 100));
    cursor = first.WaitFor(a.id(), payments::v1::PAYOUT_STATUS_PENDING);
    ASSERT_FALSE(cursor.empty());
  }  // disconnected
  Payout b = MustCreate(gateway, gateway.FintocPayout("wh-b", 200));
  Payout c = MustCreate(gateway, gateway.MonatoPayout("wh-c", 300));
  Watcher again(gateway, cursor);
  EXPECT_FALSE(again.WaitFor(b.id(), payments::v1::PAYOUT_STATUS_PENDING).empty());
  EXPECT_FALSE(again.WaitFor(c.id(), payments::v1::PAYOUT_STATUS_PENDING).empty());
}

// Received money as the gateway lists it, waiting for the webhook to have arrived.
std::vector<payments::v1::ReceivedTransaction> Received(GatewayUnderTest& gateway,
                                                        payments::v1::Provider provider,
                                                        const std::string& status) {
  std::vector<payments::v1::ReceivedTransaction> out;
  Eventually([&] {
    payments::v1::ListReceivedTransactionsRequest list;
    list.set_provider(provider);
    payments::v1::ListReceivedTransactionsResponse response;
    out.clear();
    if (!Call(gateway.accounts(), &payments::v1::AccountService::Stub::ListReceivedTransactions,
              list, &response)
             .ok()) {
      return false;
    }
    for (const auto& received : response.transactions()) {
      if (received.provider_status() == status) out.push_back(received);
    }
    return !out.empty();
  });
  return out;
}

TEST(WebhooksE2eTest, MoneyReceivedAtMonatoIsListedAndCanBeRefundedByItsId) {
  GatewayUnderTest gateway;
  gateway.SandboxControl(true, "/_sandbox/monato/receive",
                         R"({"amount":"5.00","payer_name":"Ana Lopez",)"
                         R"("payer_account":"012180026050783858","payment_concept":"Factura 42"})");
  auto received = Received(gateway, payments::v1::PROVIDER_MONATO, "LIQUIDATED");
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].amount().amount_minor(), 500);
  EXPECT_EQ(received[0].payer_account(), "**************3858");  // masked
  EXPECT_EQ(received[0].description(), "Factura 42");
  // MONEY_IN named the receiving account by its CLABE; the gateway lists it by its account id.
  EXPECT_EQ(received[0].account_id(), gateway.MonatoSourceAccount());
  EXPECT_EQ(gateway.webhooks().counters().money_in.load(), 1);

  // Monato's money-in validation answers (docs/webhooks.md), read back from the sandbox: 201
  // accepts (and a redelivery of the same id_msg is 201 again), 422 refuses money Monato reads
  // differently, 400 is a malformed body.
  const std::string native(absl::StripPrefix(received[0].id(), "monato.txn."));
  const net::http::Headers bearer = {
      {"Authorization", absl::StrCat("Bearer ", GatewayUnderTest::kMonatoWebhookToken)}};
  auto money_in = [&](const std::string& id_msg, const std::string& amount) {
    return absl::StrCat(R"({"id_msg":")", id_msg, R"(","msg_name":"MONEY_IN","body":{"id":")",
                        native, R"(","amount":")", amount, R"("}})");
  };
  EXPECT_EQ(PostWebhook(gateway, "monato", money_in("e2e-in-1", "5.00"), bearer), 201);
  EXPECT_EQ(PostWebhook(gateway, "monato", money_in("e2e-in-1", "5.00"), bearer), 201);
  EXPECT_EQ(PostWebhook(gateway, "monato", money_in("e2e-in-2", "500.00"), bearer), 422);
  EXPECT_EQ(
      PostWebhook(gateway, "monato", R"({"id_msg":"e2e-in-3","msg_name":"MONEY_IN"})", bearer),
      400);
  EXPECT_EQ(Received(gateway, payments::v1::PROVIDER_MONATO, "LIQUIDATED").size(), 1u);

  payments::v1::RefundTransactionRequest refund;
  refund.set_idempotency_key("refund-received");
  refund.set_transaction_id(received[0].id());
  *refund.mutable_amount() = received[0].amount();
  refund.set_description("Devolucion");
  payments::v1::Refund answer;
  grpc::Status status =
      Call(gateway.payouts(), &PayoutService::Stub::RefundTransaction, refund, &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(gateway.monato().counters().refunds_created, 1);
}

TEST(WebhooksE2eTest, AnInboundFintocTransferIsListedWhenItSucceeds) {
  GatewayUnderTest gateway;
  gateway.SandboxControl(false, "/_sandbox/fintoc/receive", R"({"amount":12345})");
  gateway.fintoc().SettlePending("", "succeeded");
  auto received = Received(gateway, payments::v1::PROVIDER_FINTOC, "succeeded");
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].amount().amount_minor(), 12345);
  EXPECT_THAT(received[0].id(), testing::StartsWith("fintoc.txn.tr_"));
  EXPECT_EQ(received[0].account_id(), gateway.FintocSourceAccount());
}

}  // namespace
}  // namespace e2e
