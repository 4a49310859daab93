// After creation: INITIALIZED -> LIQUIDATED / REJECTED, the STATUS_UPDATE and MONEY_IN
// webhooks (received by a plain-HTTP recorder, with the registered bearer token), received
// money and full refunds, and book-to-book (INT_DEBIT) transfers.
#include <string>

#include "gtest/gtest.h"
#include "sandbox/common/ids.h"
#include "sandbox/monato/monato_test_fixture.h"
#include "sandbox/testing/webhook_recorder.h"

namespace sandbox {
namespace {

class MonatoLifecycleTest : public MonatoSandboxTest {
 protected:
  void Register(const std::string& type, const std::string& token) {
    const std::string body = absl::StrCat(
        R"({"client_id":")", config_.client_id, R"(","url":")", receiver_.url("/monato"),
        R"(","token":")", token, R"(","webhook_type":")", type, R"(","auth_type":"AUTH"})");
    const HttpResponse response = client().Post("/v1/webhooks", body, Auth());
    ASSERT_EQ(response.status, 200) << response.body;
  }
  std::string Status(const std::string& transaction_id) {
    return JsonStr(
        JsonBody(client().Get(ClientPath(absl::StrCat("/transactions/", transaction_id)), Auth())),
        "transactionStatus");
  }
  std::string Balance(const std::string& account_id) {
    return JsonStr(
        JsonBody(client().Get(ClientPath(absl::StrCat("/accounts/", account_id)), Auth())),
        "availableBalance");
  }
  int64_t Settle(const std::string& body) {
    const HttpResponse response = client().Post("/_sandbox/settle", body);
    EXPECT_EQ(response.status, 200) << response.body;
    return JsonAt(JsonBody(response), "/settled").as_int64();
  }

  WebhookRecorder receiver_;
};

TEST_F(MonatoLifecycleTest, LiquidatesAfterTheDelayAndPostsAStatusUpdateWithTheBearerToken) {
  MonatoConfig config;
  config.settle_after = absl::Milliseconds(300);
  StartSandbox(config);
  Register("STATUS_UPDATE", "secretToken0123");
  const std::string destination = CreateClabeInstrument("012180026050783858", "40012");
  const HttpResponse created = MoneyOut(MoneyOutBody(destination, "1.95"), NewUuid());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = JsonStr(JsonBody(created), "id");
  EXPECT_EQ(Status(id), "INITIALIZED");

  const auto requests = receiver_.WaitFor(1);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/monato");
  EXPECT_EQ(requests[0].Header("authorization"), "Bearer secretToken0123");
  const boost::json::value event = JsonBody(HttpResponse{200, {}, requests[0].body});
  EXPECT_TRUE(IsUuid(JsonStr(event, "id_msg")));
  EXPECT_EQ(JsonStr(event, "msg_name"), "STATUS_UPDATE");
  EXPECT_FALSE(JsonStr(event, "msg_date").empty());
  EXPECT_EQ(JsonStrAt(event, "/body/id"), id);
  EXPECT_EQ(JsonStrAt(event, "/body/tracking_key"), JsonStr(JsonBody(created), "trackingId"));
  EXPECT_EQ(JsonStrAt(event, "/body/message_type"), "SPEI");
  EXPECT_EQ(JsonStrAt(event, "/body/status"), "LIQUIDATED");
  EXPECT_EQ(JsonStrAt(event, "/body/reason"), "None");
  EXPECT_FALSE(JsonStrAt(event, "/body/update_at").empty());  // spelled update_at
  EXPECT_TRUE(JsonAt(event, "/body/updated_at").is_null());
  EXPECT_EQ(Status(id), "LIQUIDATED");
  EXPECT_EQ(JsonAt(State(), "/webhooks_delivered").as_int64(), 1);
  EXPECT_EQ(JsonAt(State(), "/transactions_initialized").as_int64(), 0);
}

TEST_F(MonatoLifecycleTest, RejectionTriggerClabeEndsRejectedAndRefundsTheBalance) {
  Register("STATUS_UPDATE", "tok");
  const std::string destination = CreateClabeInstrument(kMonatoRejectedClabe, "40012");
  const HttpResponse created = MoneyOut(MoneyOutBody(destination, "250.00"));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Balance(seed().main_account_id), "9999750.00");
  EXPECT_EQ(Settle(""), 1);
  const auto requests = receiver_.WaitFor(1);
  ASSERT_EQ(requests.size(), 1u);
  const boost::json::value event = JsonBody(HttpResponse{200, {}, requests[0].body});
  EXPECT_EQ(JsonStrAt(event, "/body/status"), "REJECTED");
  EXPECT_EQ(JsonStrAt(event, "/body/reason"), "CANCELLED_ACCOUNT");
  EXPECT_EQ(JsonStrAt(event, "/body/reason_description"), "Cuenta cancelada");
  EXPECT_EQ(Status(JsonStr(JsonBody(created), "id")), "REJECTED");
  EXPECT_EQ(Balance(seed().main_account_id), "10000000.00");
  EXPECT_EQ(Settle(""), 0);  // nothing left
}

TEST_F(MonatoLifecycleTest, SettleControlCanForceTheOutcomeOfOneTransaction) {
  const std::string destination = CreateClabeInstrument("012180026050783858", "40012");
  const std::string first = JsonStr(JsonBody(MoneyOut(MoneyOutBody(destination, "1.00"))), "id");
  const std::string second = JsonStr(JsonBody(MoneyOut(MoneyOutBody(destination, "2.00"))), "id");
  EXPECT_EQ(Settle(absl::StrCat(R"({"transaction_id":")", second, R"(","outcome":"REJECTED"})")),
            1);
  EXPECT_EQ(Status(first), "INITIALIZED");
  EXPECT_EQ(Status(second), "REJECTED");
  EXPECT_EQ(Settle(R"({"outcome":"LIQUIDATED"})"), 1);
  EXPECT_EQ(Status(first), "LIQUIDATED");
  EXPECT_EQ(client().Post("/_sandbox/settle", R"({"outcome":"MAYBE"})").status, 400);
}

TEST_F(MonatoLifecycleTest, ReceivedMoneyNotifiesAndCanBeRefundedOnlyInFull) {
  Register("MONEY_IN", "money-in-token");
  Register("STATUS_UPDATE", "status-token");
  const HttpResponse received = client().Post(
      "/_sandbox/monato/receive",
      R"({"amount":"5.00","payer_name":"Juan Perez","payer_account":"002010077777777771","payment_concept":"Pago factura 12"})");
  ASSERT_EQ(received.status, 201) << received.body;
  const std::string received_id = JsonStr(JsonBody(received), "id");
  EXPECT_EQ(JsonStr(JsonBody(received), "category"), "CREDIT_TRANS");
  EXPECT_EQ(Balance(seed().main_account_id), "10000005.00");

  auto requests = receiver_.WaitFor(1);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].Header("authorization"), "Bearer money-in-token");
  const boost::json::value money_in = JsonBody(HttpResponse{200, {}, requests[0].body});
  EXPECT_EQ(JsonStr(money_in, "msg_name"), "MONEY_IN");
  EXPECT_EQ(JsonStrAt(money_in, "/body/id"), received_id);
  EXPECT_EQ(JsonStrAt(money_in, "/body/amount"), "5.00");
  EXPECT_EQ(JsonStrAt(money_in, "/body/beneficiary_account"), seed().main_clabe);
  EXPECT_EQ(JsonStrAt(money_in, "/body/payer_account"), "002010077777777771");
  EXPECT_EQ(JsonStrAt(money_in, "/body/payer_institution"), "40002");
  EXPECT_EQ(JsonStrAt(money_in, "/body/payer_name"), "Juan Perez");
  EXPECT_EQ(JsonStrAt(money_in, "/body/sub_category"), "SPEI_CREDIT");

  const std::string refund_path =
      ClientPath(absl::StrCat("/transactions/", received_id, "/refund"));
  HttpResponse refund =
      client().Post(refund_path, R"({"amount":"4.00","description":"x"})", Auth());
  EXPECT_EQ(refund.status, 400);
  EXPECT_EQ(ErrorReason(refund), "DATA_ERROR");
  EXPECT_EQ(ErrorCode(refund), "INVALID_REFUND_AMOUNT");
  EXPECT_EQ(client().Post(refund_path, R"({"amount":"5.0"})", Auth()).status, 400);

  refund =
      client().Post(refund_path, R"({"amount":"5.00","description":"Invalid Amount"})", Auth());
  ASSERT_EQ(refund.status, 201) << refund.body;
  const boost::json::value refund_body = JsonBody(refund);
  EXPECT_NE(JsonStr(refund_body, "id"), received_id);
  EXPECT_EQ(JsonStr(refund_body, "transactionStatus"), "INITIALIZED");
  EXPECT_EQ(JsonStr(refund_body, "category"), "DEBIT_TRANS");
  EXPECT_EQ(JsonStr(refund_body, "subCategory"), "SPEI_DEBIT");
  EXPECT_EQ(JsonStr(refund_body, "amount"), "5.00");
  EXPECT_NE(JsonStr(refund_body, "trackingId"), JsonStr(JsonBody(received), "trackingId"));
  EXPECT_EQ(Balance(seed().main_account_id), "10000000.00");

  refund = client().Post(refund_path, R"({"amount":"5.00"})", Auth());
  EXPECT_EQ(refund.status, 400);
  EXPECT_EQ(ErrorCode(refund), "ALREADY_REFUNDED");
  // Only received transactions can be refunded.
  refund = client().Post(
      ClientPath(absl::StrCat("/transactions/", JsonStr(refund_body, "id"), "/refund")),
      R"({"amount":"5.00"})", Auth());
  EXPECT_EQ(refund.status, 400);
  EXPECT_EQ(ErrorReason(refund), "FAILED_PRECONDITION");
  EXPECT_EQ(client()
                .Post(ClientPath(absl::StrCat("/transactions/", NewUuid(), "/refund")),
                      R"({"amount":"5.00"})", Auth())
                .status,
            404);

  EXPECT_EQ(Settle(""), 1);
  requests = receiver_.WaitFor(2);
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].Header("authorization"), "Bearer status-token");
  EXPECT_EQ(Status(JsonStr(refund_body, "id")), "LIQUIDATED");
  EXPECT_EQ(Status(received_id), "REFUNDED");
  EXPECT_EQ(JsonAt(State(), "/refunds_created").as_int64(), 1);
  EXPECT_EQ(JsonAt(State(), "/received_created").as_int64(), 1);
}

TEST_F(MonatoLifecycleTest, MoneyOutToAFincoPayAccountSettlesBookToBook) {
  MonatoConfig config;
  config.settle_after = absl::Seconds(60);  // SPEI would wait; internal transfers do not
  StartSandbox(config);
  Register("MONEY_IN", "money-in-token");
  const std::string body =
      absl::StrCat(R"({"bank_id":")", MonatoBankId("90734"), R"(","owner_id":")", NewUuid(),
                   R"(","client_bank_adapter_id":")", NewUuid(), R"(","client_id":")",
                   config_.client_id, R"(","account_id":")", seed().main_account_id, R"("})");
  const HttpResponse account = client().Post(ClientPath("/private_accounts"), body, Auth());
  ASSERT_EQ(account.status, 201) << account.body;
  const std::string account_id = JsonStr(JsonBody(account), "id");
  const std::string destination =
      CreateClabeInstrument(JsonStr(JsonBody(account), "clabeNumber"), "90734");
  const HttpResponse created = MoneyOut(MoneyOutBody(destination, "10.00"));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(JsonStr(JsonBody(created), "subCategory"), "INT_DEBIT");
  // The owner differs from the initiator's, so the credit is announced as MONEY_IN.
  const auto requests = receiver_.WaitFor(1);
  ASSERT_EQ(requests.size(), 1u);
  const boost::json::value money_in = JsonBody(HttpResponse{200, {}, requests[0].body});
  EXPECT_EQ(JsonStrAt(money_in, "/body/sub_category"), "INT_CREDIT");
  EXPECT_EQ(JsonStrAt(money_in, "/body/amount"), "10.00");
  EXPECT_EQ(Status(JsonStr(JsonBody(created), "id")), "LIQUIDATED");
  EXPECT_EQ(Balance(account_id), "10.00");
  EXPECT_EQ(Balance(seed().main_account_id), "9999990.00");
}

}  // namespace
}  // namespace sandbox
