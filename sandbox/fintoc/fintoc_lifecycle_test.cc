// Fintoc transfer lifecycles over HTTPS, with webhooks received by a plain-HTTP recorder and
// their Fintoc-Signature verified: pending -> succeeded after a delay, the documented
// rejection counterparty, simulated inbound transfers and their return.
#include <string>

#include "gtest/gtest.h"
#include "sandbox/fintoc/fintoc_test_fixture.h"
#include "sandbox/fintoc/webhook_signature.h"

namespace sandbox {
namespace {

class FintocLifecycleTest : public FintocSandboxTest {
 protected:
  // The event of webhook `index`, after checking its signature against the raw body.
  boost::json::value Event(size_t index) {
    const auto requests = receiver_.WaitFor(index + 1);
    if (requests.size() <= index) {
      ADD_FAILURE() << "webhook " << index << " never arrived";
      return nullptr;
    }
    const ServerRequest& request = requests[index];
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.path, "/fintoc");
    EXPECT_TRUE(VerifyFintocSignatureHeader(request.Header("fintoc-signature"),
                                            config_.webhook_secret, request.body,
                                            absl::ToUnixSeconds(clock_.Now())))
        << request.Header("fintoc-signature");
    EXPECT_FALSE(VerifyFintocSignatureHeader(request.Header("fintoc-signature"), "whsec_wrong",
                                             request.body, absl::ToUnixSeconds(clock_.Now())));
    return JsonBody(HttpResponse{200, {}, request.body});
  }
  std::string TransferStatus(const std::string& id) {
    return JsonStr(JsonBody(client().Get(absl::StrCat("/v2/transfers/", id), Auth())), "status");
  }
  int64_t Settle(const std::string& body = "") {
    const HttpResponse response = client().Post("/_sandbox/settle", body);
    EXPECT_EQ(response.status, 200) << response.body;
    return JsonAt(JsonBody(response), "/settled").as_int64();
  }
};

TEST_F(FintocLifecycleTest, OutboundSucceedsAfterTheDelayWithASignedEvent) {
  FintocConfig config = DefaultConfig();
  config.settle_after = absl::Milliseconds(200);
  StartSandbox(config);
  const HttpResponse created = CreateTransfer(12345);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = JsonStr(JsonBody(created), "id");
  const boost::json::value event = Event(0);
  EXPECT_EQ(JsonStr(event, "id").substr(0, 4), "evt_");
  EXPECT_EQ(JsonStr(event, "type"), "transfer.outbound.succeeded");
  EXPECT_EQ(JsonStr(event, "object"), "event");
  EXPECT_EQ(JsonStr(event, "mode"), "test");
  EXPECT_FALSE(JsonStr(event, "created_at").empty());
  EXPECT_EQ(JsonStrAt(event, "/data/id"), id);
  EXPECT_EQ(JsonStrAt(event, "/data/status"), "succeeded");
  EXPECT_EQ(JsonAt(event, "/data/amount").as_int64(), 12345);

  const boost::json::value transfer =
      JsonBody(client().Get(absl::StrCat("/v2/transfers/", id), Auth()));
  EXPECT_EQ(JsonStr(transfer, "status"), "succeeded");
  EXPECT_FALSE(JsonStr(transfer, "post_date").empty());
  EXPECT_FALSE(JsonStr(transfer, "receipt_url").empty());
  EXPECT_EQ(StateCount("/webhooks_delivered"), 1);
  EXPECT_EQ(StateCount("/transfers_pending"), 0);
  EXPECT_EQ(StateCount("/account_balance"), 1'000'000'000 - 12345);
}

TEST_F(FintocLifecycleTest, DocumentedTestCounterpartyIsRejectedAndRefunded) {
  const HttpResponse created = CreateTransfer(5000, kFintocRejectedCounterparty);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(StateCount("/account_balance"), 1'000'000'000 - 5000);
  EXPECT_EQ(Settle(), 1);
  const boost::json::value event = Event(0);
  EXPECT_EQ(JsonStr(event, "type"), "transfer.outbound.rejected");
  EXPECT_EQ(JsonStrAt(event, "/data/status"), "rejected");
  EXPECT_EQ(TransferStatus(JsonStr(JsonBody(created), "id")), "rejected");
  EXPECT_EQ(StateCount("/account_balance"), 1'000'000'000);
  EXPECT_EQ(Settle(), 0);
}

TEST_F(FintocLifecycleTest, SettleControlCanForceAFailure) {
  const std::string first = JsonStr(JsonBody(CreateTransfer(100)), "id");
  const std::string second = JsonStr(JsonBody(CreateTransfer(200)), "id");
  EXPECT_EQ(Settle(absl::StrCat(R"({"transfer_id":")", second, R"(","outcome":"failed"})")), 1);
  EXPECT_EQ(TransferStatus(second), "failed");
  EXPECT_EQ(TransferStatus(first), "pending");
  EXPECT_EQ(JsonStr(Event(0), "type"), "transfer.outbound.failed");
  EXPECT_EQ(client().Post("/_sandbox/settle", R"({"outcome":"maybe"})").status, 400);
}

TEST_F(FintocLifecycleTest, InboundTransferSucceedsAndCanBeReturned) {
  const HttpResponse received =
      client().Post("/v2/simulate/receive_transfer",
                    absl::StrCat(R"({"account_number_id":")", config_.root_account_number_id,
                                 R"(","amount":25000,"currency":"mxn"})"),
                    Auth());
  ASSERT_EQ(received.status, 201) << received.body;
  const std::string id = JsonStr(JsonBody(received), "id");
  EXPECT_EQ(JsonStr(JsonBody(received), "direction"), "inbound");
  EXPECT_EQ(JsonStr(JsonBody(received), "status"), "pending");
  EXPECT_EQ(JsonStrAt(JsonBody(received), "/account_number/id"), config_.root_account_number_id);

  const std::string return_body = absl::StrCat(R"({"transfer_id":")", id, R"("})");
  HttpResponse returned = PostSigned("/v2/transfers/return", return_body);
  EXPECT_EQ(returned.status, 409);  // not succeeded yet
  EXPECT_EQ(ErrorCode(returned), "invalid_transfer_status");

  EXPECT_EQ(Settle(), 1);
  EXPECT_EQ(JsonStr(Event(0), "type"), "transfer.inbound.succeeded");
  EXPECT_EQ(StateCount("/account_balance"), 1'000'000'000 + 25000);

  EXPECT_EQ(client().Post("/v2/transfers/return", return_body, Auth()).status, 401);  // no JWS
  returned = PostSigned("/v2/transfers/return", return_body);
  ASSERT_EQ(returned.status, 200) << returned.body;
  EXPECT_EQ(JsonStr(JsonBody(returned), "status"), "return_pending");
  EXPECT_EQ(StateCount("/account_balance"), 1'000'000'000);
  EXPECT_EQ(Settle(), 1);
  const boost::json::value event = Event(1);
  EXPECT_EQ(JsonStr(event, "type"), "transfer.inbound.returned");
  EXPECT_EQ(JsonStrAt(event, "/data/status"), "returned");
  EXPECT_EQ(TransferStatus(id), "returned");
  EXPECT_EQ(StateCount("/returns_requested"), 1);

  // Outbound transfers cannot be returned by the sender.
  const std::string outbound = JsonStr(JsonBody(CreateTransfer(100)), "id");
  returned =
      PostSigned("/v2/transfers/return", absl::StrCat(R"({"transfer_id":")", outbound, R"("})"));
  EXPECT_EQ(returned.status, 409);
  EXPECT_EQ(ErrorCode(returned), "invalid_transfer_direction");
  EXPECT_EQ(PostSigned("/v2/transfers/return", R"({"transfer_id":"tr_none"})").status, 404);
}

TEST_F(FintocLifecycleTest, ControlReceiveDefaultsToTheSeededAccountNumber) {
  const HttpResponse received = client().Post("/_sandbox/fintoc/receive", R"({"amount":990})");
  ASSERT_EQ(received.status, 201) << received.body;
  EXPECT_EQ(JsonStrAt(JsonBody(received), "/account_number/id"), config_.root_account_number_id);
  EXPECT_EQ(StateCount("/inbound_created"), 1);
  EXPECT_EQ(client().Post("/_sandbox/fintoc/receive", R"({"amount":0})").status, 400);
}

TEST_F(FintocLifecycleTest, EventsWithoutAUrlAreCountedNotSent) {
  FintocConfig config = DefaultConfig();
  config.webhook_url = "";
  StartSandbox(config);
  ASSERT_EQ(CreateTransfer(100).status, 201);
  EXPECT_EQ(Settle(), 1);
  EXPECT_EQ(StateCount("/events_skipped"), 1);
  EXPECT_EQ(StateCount("/webhooks_queued"), 0);
}

}  // namespace
}  // namespace sandbox
