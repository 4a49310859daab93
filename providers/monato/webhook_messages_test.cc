#include "providers/monato/webhook_messages.h"

#include <string>

#include "absl/strings/str_cat.h"

#include "gtest/gtest.h"

namespace providers::monato {
namespace {

TEST(MonatoWebhookTest, BearerMustMatchExactly) {
  EXPECT_TRUE(VerifyMonatoBearer({"secretToken0123"}, "Bearer secretToken0123").ok());
  EXPECT_TRUE(VerifyMonatoBearer({"old", "secretToken0123"}, "Bearer secretToken0123").ok());
  EXPECT_FALSE(VerifyMonatoBearer({"secretToken0123"}, "Bearer secretToken012").ok());
  EXPECT_FALSE(VerifyMonatoBearer({"secretToken0123"}, "secretToken0123").ok());
  EXPECT_FALSE(VerifyMonatoBearer({"secretToken0123"}, "").ok());
  EXPECT_FALSE(VerifyMonatoBearer({"secretToken0123"}, "Bearer ").ok());
}

TEST(MonatoWebhookTest, StatusUpdateIsCorrelatedAndConfirmedByReading) {
  auto event = ParseMonatoWebhook(R"({"id_msg":"m-1","msg_name":"STATUS_UPDATE",
    "msg_date":"2025-03-05T10:26:01Z","body":{"tracking_key":"20250306FINCHVLIKQ5SKUM",
    "message_type":"SPEI","reason":"CANCELLED_ACCOUNT","reason_description":"Cuenta cancelada",
    "status":"REJECTED","update_at":"2025-03-05T10:26:01.161000"}})");
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->event_id, "m-1");
  EXPECT_EQ(event->kind, WebhookEvent::Kind::kPayoutStatus);
  EXPECT_EQ(event->tracking_key, "20250306FINCHVLIKQ5SKUM");
  EXPECT_TRUE(event->provider_payout_id.empty());
  EXPECT_EQ(event->status, payments::v1::PAYOUT_STATUS_REJECTED);
  EXPECT_EQ(event->reason, "CANCELLED_ACCOUNT");
  EXPECT_TRUE(event->confirm_by_reading);
}

TEST(MonatoWebhookTest, MoneyInAmountsAreExact) {
  auto event = ParseMonatoWebhook(R"({"id_msg":"m-2","msg_name":"MONEY_IN","body":{
    "id":"tx-9","amount":"123.00","tracking_key":"50118609TBRNZ00I07219647"}})");
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->kind, WebhookEvent::Kind::kMoneyIn);
  EXPECT_EQ(event->amount_minor, 12300);
  EXPECT_EQ(event->currency, "MXN");
  // Monato signs nothing: the money is read back from Monato before it is recorded.
  EXPECT_TRUE(event->confirm_by_reading);
  // Without the transaction id the money can be neither confirmed nor refunded.
  EXPECT_FALSE(ParseMonatoWebhook(R"({"id_msg":"m-4","msg_name":"MONEY_IN","body":{
    "amount":"123.00","tracking_key":"50118609TBRNZ00I07219647"}})")
                   .ok());
  EXPECT_FALSE(
      ParseMonatoWebhook(R"({"id_msg":"m-3","msg_name":"MONEY_IN","body":{"amount":1.5}})").ok());
}

// MONEY_IN names the receiving account by its CLABE only (beneficiary_account): no account or
// instrument id, so the gateway finds the account by number (docs/providers/monato.md).
TEST(MonatoWebhookTest, MoneyInNamesTheReceivingAccountByItsClabe) {
  auto event = ParseMonatoWebhook(R"({"id_msg":"m-5","msg_name":"MONEY_IN","body":{
    "id":"tx-5","beneficiary_account":"734180000001233635","beneficiary_name":"Acme",
    "payer_account":"002010077777777771","amount":"5.00","sub_category":"SPEI_CREDIT"}})");
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->receiving_account_number, "734180000001233635");
  EXPECT_EQ(event->receiving_account_native_id, "");
  EXPECT_EQ(event->payer_account, "002010077777777771");
  auto silent = ParseMonatoWebhook(
      R"({"id_msg":"m-6","msg_name":"MONEY_IN","body":{"id":"tx-6","amount":"5.00"}})");
  ASSERT_TRUE(silent.ok()) << silent.status();
  EXPECT_EQ(silent->receiving_account_number, "");
}

TEST(MonatoWebhookTest, MalformedEnvelopesAreRefused) {
  for (const char* bad : {"", "{", "[]", R"({"msg_name":"STATUS_UPDATE","body":{}})",
                          R"({"id_msg":"x","msg_name":"STATUS_UPDATE","body":{}})",
                          R"({"id_msg":"x","msg_name":"STATUS_UPDATE"})"}) {
    EXPECT_FALSE(ParseMonatoWebhook(bad).ok()) << bad;
  }
}

// Found by fuzz/monato_webhook_fuzzer: a MONEY_IN for "-1.00" parsed as received money of
// -100 minor units.
TEST(MonatoWebhookTest, MoneyInMustBePositive) {
  for (const char* amount : {"-1.00", "-0.01", "0.00", "-1.0000000000"}) {
    const std::string body =
        absl::StrCat(R"({"id_msg":"m-4","msg_name":"MONEY_IN","body":{"id":"tx-1","amount":")",
                     amount, R"(","tracking_key":"5a"}})");
    EXPECT_EQ(ParseMonatoWebhook(body).status().code(), absl::StatusCode::kInvalidArgument)
        << amount;
  }
}

}  // namespace
}  // namespace providers::monato
