// The webhook listener's answers, with a fake provider and an in-memory store that can fail:
// Monato's money in is read back before it is recorded (201), refused on purpose with 422, and
// anything not applied is 5xx with the event id released so the redelivery is applied.
#include "gateway/webhooks/webhook_service.h"

#include <boost/json.hpp>

#include <atomic>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gateway/webhooks/webhook_routes.h"
#include "gtest/gtest.h"
#include "idempotency/memory_store.h"
#include "idempotency/store_executor.h"
#include "net/http/beast_http_client.h"
#include "net/http/http_client.h"
#include "providers/testing/fake_provider.h"

namespace gateway {
namespace {

using idempotency::GatewayStore;

constexpr char kToken[] = "hook-token-0123456789";

// A MemoryStore whose payout and received-money writes can be made to fail.
class FaultyStore final : public GatewayStore {
 public:
  std::atomic<int> fail_save_received{0};
  std::atomic<int> fail_save_payout{0};

  absl::StatusOr<idempotency::ClaimResult> Claim(const idempotency::ClaimRequest& request,
                                                 absl::Time now) override {
    return inner_.Claim(request, now);
  }
  absl::Status Complete(const idempotency::RecordKey& id, const std::string& owner,
                        const idempotency::IdempotencyRecord& answer) override {
    return inner_.Complete(id, owner, answer);
  }
  absl::Status Release(const idempotency::RecordKey& id, const std::string& owner) override {
    return inner_.Release(id, owner);
  }
  absl::StatusOr<std::vector<idempotency::IdempotencyRecord>> Abandoned(absl::Time now,
                                                                        int limit) override {
    return inner_.Abandoned(now, limit);
  }
  absl::StatusOr<int64_t> SweepExpired(absl::Time now) override { return inner_.SweepExpired(now); }
  absl::StatusOr<idempotency::LimitUsage> SpendUsage(const idempotency::SpendQuery& query,
                                                     absl::Time now) override {
    return inner_.SpendUsage(query, now);
  }
  absl::Status SavePayout(const idempotency::StoredPayout& payout) override {
    if (fail_save_payout > 0) {
      --fail_save_payout;
      return absl::UnavailableError("disk full");
    }
    return inner_.SavePayout(payout);
  }
  absl::StatusOr<absl::optional<payments::v1::Payout>> GetPayout(
      const std::string& caller, const std::string& payout_id) override {
    return inner_.GetPayout(caller, payout_id);
  }
  absl::StatusOr<std::vector<payments::v1::Payout>> ListPayouts(
      const idempotency::PayoutQuery& query) override {
    return inner_.ListPayouts(query);
  }
  absl::StatusOr<absl::optional<idempotency::StoredPayout>> FindPayoutByProviderRef(
      payments::v1::Provider provider, const std::string& provider_payout_id,
      const std::string& tracking_key) override {
    return inner_.FindPayoutByProviderRef(provider, provider_payout_id, tracking_key);
  }
  absl::StatusOr<int64_t> AppendPayoutEvent(const payments::v1::PayoutEvent& event) override {
    return inner_.AppendPayoutEvent(event);
  }
  absl::StatusOr<std::vector<std::pair<int64_t, payments::v1::PayoutEvent>>> EventsAfter(
      int64_t after_sequence, int limit) override {
    return inner_.EventsAfter(after_sequence, limit);
  }
  absl::StatusOr<int64_t> SweepEvents(absl::Time before) override {
    return inner_.SweepEvents(before);
  }
  absl::Status SaveReceived(const payments::v1::ReceivedTransaction& received) override {
    if (fail_save_received > 0) {
      --fail_save_received;
      return absl::UnavailableError("disk full");
    }
    return inner_.SaveReceived(received);
  }
  absl::StatusOr<std::vector<payments::v1::ReceivedTransaction>> ListReceived(
      payments::v1::Provider provider, const std::string& after_id, int limit) override {
    return inner_.ListReceived(provider, after_id, limit);
  }
  absl::StatusOr<absl::optional<payments::v1::ReceivedTransaction>> GetReceived(
      const std::string& id) override {
    return inner_.GetReceived(id);
  }
  absl::StatusOr<std::vector<idempotency::StoredPayout>> PayoutsDueForResolve(
      absl::Time now, absl::Time pending_updated_before, int limit) override {
    return inner_.PayoutsDueForResolve(now, pending_updated_before, limit);
  }
  absl::Status ScheduleResolve(const std::string& caller, const std::string& payout_id,
                               int attempts, absl::Time next_attempt) override {
    return inner_.ScheduleResolve(caller, payout_id, attempts, next_attempt);
  }
  absl::StatusOr<idempotency::PayoutWindowPage> PayoutsCreatedWithin(
      const idempotency::PayoutWindowQuery& query) override {
    return inner_.PayoutsCreatedWithin(query);
  }
  absl::StatusOr<bool> TryTakeLease(const std::string& name, const std::string& holder,
                                    absl::Time now, absl::Duration ttl) override {
    return inner_.TryTakeLease(name, holder, now, ttl);
  }

 private:
  idempotency::MemoryStore inner_;
};

// Monato with two accounts on two pages of its list, the second a private account whose CLABE a
// MONEY_IN names.
class MonatoWithAccounts final : public providers::FakeProvider {
 public:
  MonatoWithAccounts() : FakeProvider(payments::v1::PROVIDER_MONATO) {}
  std::atomic<int> fail_list{0};
  std::atomic<int> list_reads{0};

  void ListAccounts(const providers::PageQuery& page, const providers::CallContext&,
                    providers::Callback<payments::v1::ListAccountsResponse> done) override {
    ++list_reads;
    if (fail_list > 0) {
      --fail_list;
      return done(absl::UnavailableError("Monato is down"));
    }
    payments::v1::ListAccountsResponse out;
    auto* account = out.add_accounts();
    if (page.page_token.empty()) {
      account->set_id("monato.acct.m-main");
      account->set_clabe("734180000001233635");
      out.set_next_page_token("2");
    } else {
      account->set_id("monato.acct.m-private");
      account->set_clabe("734180000007654321");
    }
    done(std::move(out));
  }
};

struct Answer {
  int status = 0;
  std::string body;
};

payments::v1::Payout Transaction(const std::string& id, int64_t minor, const std::string& status,
                                 payments::v1::PayoutStatus mapped) {
  payments::v1::Payout read;
  read.set_provider(payments::v1::PROVIDER_MONATO);
  read.set_provider_payout_id(id);
  read.mutable_amount()->set_amount_minor(minor);
  read.mutable_amount()->set_currency("MXN");
  read.set_provider_status(status);
  read.set_status(mapped);
  return read;
}

std::string MoneyIn(const std::string& id_msg, const std::string& id, const std::string& amount,
                    const std::string& beneficiary_account = "") {
  return absl::StrCat(R"({"id_msg":")", id_msg, R"(","msg_name":"MONEY_IN","body":{"id":")", id,
                      R"(","amount":")", amount, R"(","beneficiary_account":")",
                      beneficiary_account,
                      R"(","tracking_key":"50118609TBRNZ00I07219647","payer_name":"Ana"}})");
}

std::string StatusUpdate(const std::string& id_msg, const std::string& id) {
  return absl::StrCat(R"({"id_msg":")", id_msg, R"(","msg_name":"STATUS_UPDATE","body":{"id":")",
                      id, R"(","status":"LIQUIDATED"}})");
}

class WebhookServiceTest : public testing::Test {
 protected:
  WebhookServiceTest() {
    auto monato = std::make_unique<MonatoWithAccounts>();
    monato_ = monato.get();
    registry_.Add(std::move(monato));
    WebhookOptions options;
    options.port = 0;
    options.routes = LinkedWebhookRoutes({{"monato", {kToken}}});
    auto started = WebhookService::Start(options, &engine_, &executor_);
    EXPECT_TRUE(started.ok()) << started.status();
    service_ = *std::move(started);
    net::http::BeastHttpClientOptions client;
    client.allow_plain_http = true;
    client_ = *net::http::BeastHttpClient::Create(client);
  }

  Answer Post(const std::string& body) {
    net::http::HttpRequest request;
    request.method = "POST";
    request.url = absl::StrCat("http://127.0.0.1:", service_->port(), "/webhooks/monato");
    request.body = body;
    request.headers = {{"Authorization", absl::StrCat("Bearer ", kToken)},
                       {"Content-Type", "application/json"}};
    request.deadline = absl::Now() + absl::Seconds(20);
    auto response = net::http::SendAndWait(*client_, std::move(request));
    if (!response.ok()) return {};
    return {response->status, response->body};
  }

  std::vector<payments::v1::ReceivedTransaction> Received() {
    auto rows = store_.ListReceived(payments::v1::PROVIDER_MONATO, "", 100);
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<payments::v1::ReceivedTransaction>{};
  }

  // A pending payout of this gateway, whose Monato transaction is `native`.
  void StorePendingPayout(const std::string& native) {
    payments::v1::Payout payout =
        Transaction(native, 1950, "INITIALIZED", payments::v1::PAYOUT_STATUS_PENDING);
    payout.set_id("monato.payout.p-" + native);
    ASSERT_TRUE(store_.SavePayout({"billing", payout}).ok());
  }

  // Queued store work holds responders (and through them the server's sessions): it must
  // finish while the service and its io_context exist (StoreExecutor::Shutdown's contract).
  // Destroying the members in reverse order left that work to the executor's destructor, after
  // the service: ThreadSanitizer caught a session's timer cancelled on a freed io_context.
  ~WebhookServiceTest() override { executor_.Shutdown(); }

  payments::v1::PayoutStatus StoredStatus(const std::string& native) {
    auto found = store_.GetPayout("billing", "monato.payout.p-" + native);
    return found.ok() && found->has_value() ? (*found)->status()
                                            : payments::v1::PAYOUT_STATUS_UNSPECIFIED;
  }

  providers::ProviderRegistry registry_;
  MonatoWithAccounts* monato_;
  const BankCatalog banks_ = BankCatalog::Builtin();
  PayoutEventHub events_;
  FaultyStore store_;
  idempotency::StoreExecutor executor_{&store_, 1};
  PayoutEngine engine_{&executor_, &registry_, &banks_, &events_, EngineOptions{"test-instance"}};
  std::unique_ptr<net::http::BeastHttpClient> client_;
  std::unique_ptr<WebhookService> service_;
};

// Routes come from the options: an unknown path is 404, and a verifier may vouch only for its
// own provider's events (a route named "fintoc" handing back a Monato event changes nothing).
TEST_F(WebhookServiceTest, ARouteServesOnlyItsPathAndItsOwnProvidersEvents) {
  WebhookOptions options;
  options.port = 0;
  options.routes.push_back(
      {"fintoc", "/webhooks/fintoc",
       [](const net::http::ServerRequest&, absl::Time) -> absl::StatusOr<providers::WebhookEvent> {
         providers::WebhookEvent event;
         event.provider = payments::v1::PROVIDER_MONATO;
         event.kind = providers::WebhookEvent::Kind::kPayoutStatus;
         event.event_id = "e-1";
         return event;
       }});
  auto started = WebhookService::Start(options, &engine_, &executor_);
  ASSERT_TRUE(started.ok()) << started.status();
  auto post = [&](const std::string& path) {
    net::http::HttpRequest request;
    request.method = "POST";
    request.url = absl::StrCat("http://127.0.0.1:", (*started)->port(), path);
    request.body = "{}";
    request.deadline = absl::Now() + absl::Seconds(20);
    auto response = net::http::SendAndWait(*client_, std::move(request));
    return response.ok() ? response->status : 0;
  };
  EXPECT_EQ(post("/webhooks/monato"), 404);
  EXPECT_EQ(post("/webhooks/fintoc"), 400);
  EXPECT_EQ((*started)->counters().rejected_malformed, 1);
  EXPECT_EQ((*started)->counters().applied, 0);
  (*started)->Stop();
}

TEST_F(WebhookServiceTest, MoneyInConfirmedByReadingIsRecordedWith201AndSoIsItsRedelivery) {
  monato_->SetPayout(
      "tx-in", Transaction("tx-in", 500, "LIQUIDATED", payments::v1::PAYOUT_STATUS_SUCCEEDED));
  EXPECT_EQ(Post(MoneyIn("m-1", "tx-in", "5.00")).status, 201);
  EXPECT_EQ(monato_->CallCount("GetPayout"), 1) << "the money in was not read back from Monato";
  EXPECT_EQ(Post(MoneyIn("m-1", "tx-in", "5.00")).status, 201);  // redelivery: recorded already
  ASSERT_EQ(Received().size(), 1u);
  EXPECT_EQ(Received()[0].amount().amount_minor(), 500);
}

// MONEY_IN names the receiving account by its CLABE: the record carries the gateway id of the
// account with that CLABE in Monato's account list, as ListAccounts shows it.
TEST_F(WebhookServiceTest, MoneyInRecordsTheGatewayIdOfTheAccountItCameInto) {
  monato_->SetPayout(
      "tx-in", Transaction("tx-in", 500, "LIQUIDATED", payments::v1::PAYOUT_STATUS_SUCCEEDED));
  EXPECT_EQ(Post(MoneyIn("m-1", "tx-in", "5.00", "734180000007654321")).status, 201);
  ASSERT_EQ(Received().size(), 1u);
  EXPECT_EQ(Received()[0].account_id(), "monato.acct.m-private");
  EXPECT_EQ(monato_->list_reads, 2);  // found on the second page

  // A CLABE no listed account has: recorded all the same, without an account.
  monato_->SetPayout("tx-2",
                     Transaction("tx-2", 700, "LIQUIDATED", payments::v1::PAYOUT_STATUS_SUCCEEDED));
  EXPECT_EQ(Post(MoneyIn("m-2", "tx-2", "7.00", "734180000000000000")).status, 201);
  ASSERT_EQ(Received().size(), 2u);
  EXPECT_EQ(Received()[1].account_id(), "");
  // No CLABE in the event: nothing to look up.
  monato_->SetPayout("tx-3",
                     Transaction("tx-3", 100, "LIQUIDATED", payments::v1::PAYOUT_STATUS_SUCCEEDED));
  const int reads = monato_->list_reads;
  EXPECT_EQ(Post(MoneyIn("m-3", "tx-3", "1.00")).status, 201);
  EXPECT_EQ(monato_->list_reads, reads);
}

TEST_F(WebhookServiceTest, MoneyInWhoseAccountListCannotBeReadIs503AndItsRedeliveryIsRecorded) {
  monato_->SetPayout(
      "tx-in", Transaction("tx-in", 500, "LIQUIDATED", payments::v1::PAYOUT_STATUS_SUCCEEDED));
  monato_->fail_list = 1;
  EXPECT_GE(Post(MoneyIn("m-1", "tx-in", "5.00", "734180000001233635")).status, 500);
  EXPECT_TRUE(Received().empty());
  EXPECT_EQ(Post(MoneyIn("m-1", "tx-in", "5.00", "734180000001233635")).status, 201);
  ASSERT_EQ(Received().size(), 1u);
  EXPECT_EQ(Received()[0].account_id(), "monato.acct.m-main");
}

TEST_F(WebhookServiceTest, MoneyInThatMonatoReadsDifferentlyIsRefusedWith422) {
  monato_->SetPayout(
      "tx-in", Transaction("tx-in", 900, "LIQUIDATED", payments::v1::PAYOUT_STATUS_SUCCEEDED));
  EXPECT_EQ(Post(MoneyIn("m-1", "tx-in", "5.00")).status, 422);
  EXPECT_EQ(Post(MoneyIn("m-1", "tx-in", "5.00")).status, 422);  // the redelivery too
  // An outbound payout of this gateway announced as money in.
  StorePendingPayout("tx-out");
  EXPECT_EQ(Post(MoneyIn("m-2", "tx-out", "19.50")).status, 422);
  EXPECT_TRUE(Received().empty());
}

TEST_F(WebhookServiceTest, MoneyInWhoseReadFailsIs503AndItsRedeliveryIsRecorded) {
  monato_->SetPayout(
      "tx-in", Transaction("tx-in", 500, "LIQUIDATED", payments::v1::PAYOUT_STATUS_SUCCEEDED));
  monato_->FailNextCall(absl::UnavailableError("Monato is down"));
  const Answer first = Post(MoneyIn("m-1", "tx-in", "5.00"));
  EXPECT_GE(first.status, 500);
  EXPECT_TRUE(Received().empty());
  EXPECT_EQ(Post(MoneyIn("m-1", "tx-in", "5.00")).status, 201);
  EXPECT_EQ(Received().size(), 1u);
}

TEST_F(WebhookServiceTest, MoneyInWhoseStoreWriteFailsIs503AndItsRedeliveryIsRecorded) {
  monato_->SetPayout(
      "tx-in", Transaction("tx-in", 500, "LIQUIDATED", payments::v1::PAYOUT_STATUS_SUCCEEDED));
  store_.fail_save_received = 1;
  EXPECT_GE(Post(MoneyIn("m-1", "tx-in", "5.00")).status, 500);
  EXPECT_EQ(Post(MoneyIn("m-1", "tx-in", "5.00")).status, 201);
  EXPECT_EQ(Received().size(), 1u);
}

TEST_F(WebhookServiceTest, StatusUpdateWhoseReadFailsIs503AndItsRedeliveryIsApplied) {
  StorePendingPayout("tx-out");
  monato_->SetPayout(
      "tx-out", Transaction("tx-out", 1950, "LIQUIDATED", payments::v1::PAYOUT_STATUS_SUCCEEDED));
  monato_->FailNextCall(absl::UnavailableError("Monato is down"));
  EXPECT_GE(Post(StatusUpdate("s-1", "tx-out")).status, 500);
  EXPECT_EQ(StoredStatus("tx-out"), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(Post(StatusUpdate("s-1", "tx-out")).status, 200);
  EXPECT_EQ(StoredStatus("tx-out"), payments::v1::PAYOUT_STATUS_SUCCEEDED);
}

TEST_F(WebhookServiceTest, StatusUpdateWhoseStoreWriteFailsIs503AndItsRedeliveryIsApplied) {
  StorePendingPayout("tx-out");
  monato_->SetPayout(
      "tx-out", Transaction("tx-out", 1950, "LIQUIDATED", payments::v1::PAYOUT_STATUS_SUCCEEDED));
  store_.fail_save_payout = 1;
  EXPECT_GE(Post(StatusUpdate("s-1", "tx-out")).status, 500);
  EXPECT_EQ(Post(StatusUpdate("s-1", "tx-out")).status, 200);
  EXPECT_EQ(StoredStatus("tx-out"), payments::v1::PAYOUT_STATUS_SUCCEEDED);
}

TEST_F(WebhookServiceTest, ARedeliveryWhileTheFirstIsStillBeingAppliedIsNotADuplicate) {
  StorePendingPayout("tx-out");
  monato_->SetPayout(
      "tx-out", Transaction("tx-out", 1950, "LIQUIDATED", payments::v1::PAYOUT_STATUS_SUCCEEDED));
  monato_->SetReplyDelay(absl::Seconds(2));  // the confirming read is slow
  Answer first;
  std::thread delivery([&] { first = Post(StatusUpdate("s-1", "tx-out")); });
  // Wait until the first delivery is at the provider.
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (monato_->CallCount("GetPayout") == 0 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_EQ(monato_->CallCount("GetPayout"), 1);
  const Answer second = Post(StatusUpdate("s-1", "tx-out"));
  EXPECT_TRUE(second.status == 409 || second.status >= 500)
      << second.status << " " << second.body << ": the outcome of the first is not known yet";
  delivery.join();
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(StoredStatus("tx-out"), payments::v1::PAYOUT_STATUS_SUCCEEDED);
}

TEST_F(WebhookServiceTest, AMalformedBodyIs400WithAJsonErrorBody) {
  // The parser's message quotes the field name: the body must still be valid JSON.
  const Answer answer =
      Post(R"({"id_msg":"m-1","msg_name":"MONEY_IN","body":{"id":"tx-in","amount":5}})");
  EXPECT_EQ(answer.status, 400);
  boost::system::error_code error;
  boost::json::value parsed = boost::json::parse(answer.body, error);
  ASSERT_FALSE(error) << answer.body;
  ASSERT_TRUE(parsed.is_object());
  EXPECT_NE(parsed.as_object().find("message"), parsed.as_object().end());
  EXPECT_TRUE(Received().empty());
}

}  // namespace
}  // namespace gateway
