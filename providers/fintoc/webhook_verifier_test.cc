#include "providers/fintoc/webhook_verifier.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace providers::fintoc {
namespace {

// docs/providers/fintoc.md#test-vectors, from fintoc-python's tests.
constexpr char kSecret[] = "whsec_test_secret";
constexpr int64_t kTimestamp = 1743890251;
constexpr char kSignature[] = "11b98dd8f5500109246aa4d9875fad2e97d462560b012a5f50ff924411de0b0f";
constexpr char kBody[] =
    R"({"id":"evt_2AaZeLCz0GjOW5zj","type":"payment_intent.succeeded","mode":"test","created_at":"2025-04-05T21:57:31.834Z","data":{"id":"pi_2vKOKniSGXRhXTKrJ67VXZxGCVt","mode":"test","amount":1,"object":"payment_intent","status":"succeeded","currency":"MXN","metadata":{},"created_at":"2025-04-05T21:57:17Z","expires_at":null,"error_reason":null,"payment_type":"bank_transfer","reference_id":null,"widget_token":null,"customer_email":null,"sender_account":{"type":"checking_account","number":"501514890244223279","holder_id":"mfiu593501oe4","institution_id":"mx_stp"},"business_profile":null,"transaction_date":null,"recipient_account":{"type":"checking_account","number":"646180357600000000","holder_id":"fsm211008hz9","institution_id":"mx_stp"},"payment_type_options":{}},"object":"event"})";

const absl::Time kAtSigning = absl::FromUnixSeconds(kTimestamp) + absl::Seconds(5);

FintocWebhookOptions Options(std::vector<std::string> secrets = {kSecret}) {
  FintocWebhookOptions options;
  options.secrets = std::move(secrets);
  return options;
}

TEST(FintocWebhookTest, ReproducesTheSdkVector) {
  EXPECT_EQ(FintocWebhookSignature(kSecret, kTimestamp, kBody), kSignature);
  const std::string header = absl::StrCat("t=", kTimestamp, ",v1=", kSignature);
  auto event = VerifyFintocWebhook(Options(), header, kBody, kAtSigning);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->event_id, "evt_2AaZeLCz0GjOW5zj");
  EXPECT_EQ(event->kind, WebhookEvent::Kind::kIgnored);  // a payment intent, not a transfer
}

TEST(FintocWebhookTest, RefusesEverythingElse) {
  const std::string header = absl::StrCat("t=", kTimestamp, ",v1=", kSignature);
  EXPECT_EQ(VerifyFintocWebhook(Options({"whsec_wrong_secret"}), header, kBody, kAtSigning)
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
  std::string respaced = kBody;
  respaced.insert(1, " ");
  EXPECT_FALSE(VerifyFintocWebhook(Options(), header, respaced, kAtSigning).ok());
  EXPECT_FALSE(VerifyFintocWebhook(Options(), header, kBody,
                                   absl::FromUnixSeconds(kTimestamp) + absl::Seconds(301))
                   .ok());
  EXPECT_FALSE(VerifyFintocWebhook(Options(), "", kBody, kAtSigning).ok());
  EXPECT_FALSE(VerifyFintocWebhook(Options(), "v1=abc", kBody, kAtSigning).ok());
  EXPECT_FALSE(VerifyFintocWebhook(Options(), "t=abc,v1=x", kBody, kAtSigning).ok());
}

TEST(FintocWebhookTest, AnOldSecretStillWorksDuringRotation) {
  const std::string header = absl::StrCat("t=", kTimestamp, ",v1=", kSignature);
  EXPECT_TRUE(VerifyFintocWebhook(Options({"whsec_new", kSecret}), header, kBody, kAtSigning).ok());
}

TEST(FintocWebhookTest, TransferEventsCarryTheTransferStatus) {
  const std::string body =
      R"({"id":"evt_1","type":"transfer.outbound.rejected","data":{"object":"transfer","id":"tr_1",)"
      R"("direction":"outbound","status":"succeeded","tracking_key":"202509029073500000000000000006"}})";
  const int64_t t = 1'800'000'000;
  const std::string header = absl::StrCat("t=", t, ",v1=", FintocWebhookSignature("s", t, body));
  FintocWebhookOptions options;
  options.secrets = {"s"};
  auto event = VerifyFintocWebhook(options, header, body, absl::FromUnixSeconds(t));
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->kind, WebhookEvent::Kind::kPayoutStatus);
  EXPECT_EQ(event->provider_payout_id, "tr_1");
  // The event's name says rejected; the payload says succeeded: the payload wins.
  EXPECT_EQ(event->status, payments::v1::PAYOUT_STATUS_SUCCEEDED);
}

// The Monato parser took a negative MONEY_IN (fuzz/monato_webhook_fuzzer); Fintoc's inbound
// transfers are held to the same rule.
TEST(FintocWebhookTest, InboundMoneyMustBePositive) {
  for (const char* amount : {"-5000", "0"}) {
    const std::string body = absl::StrCat(
        R"({"id":"evt_9","type":"transfer.inbound.succeeded","data":{"object":"transfer",)",
        R"("id":"tr_9","direction":"inbound","status":"succeeded","currency":"MXN","amount":)",
        amount, "}}");
    const int64_t t = 1'800'000'000;
    FintocWebhookOptions options;
    options.secrets = {"s"};
    auto event = VerifyFintocWebhook(
        options, absl::StrCat("t=", t, ",v1=", FintocWebhookSignature("s", t, body)), body,
        absl::FromUnixSeconds(t));
    EXPECT_EQ(event.status().code(), absl::StatusCode::kInvalidArgument) << amount;
  }
}

// Received money names the account it came into: the account number it arrived at belongs to
// account_id (the transfer object's account_number, as the sandbox and Fintoc's replies send it).
TEST(FintocWebhookTest, InboundMoneyNamesTheReceivingAccount) {
  const std::string body =
      R"({"id":"evt_7","type":"transfer.inbound.succeeded","data":{"object":"transfer",)"
      R"("id":"tr_7","direction":"inbound","status":"succeeded","currency":"MXN","amount":5000,)"
      R"("counterparty":{"holder_name":"Juan Perez","account_number":"631969456789123456"},)"
      R"("account_number":{"id":"acno_1","object":"account_number",)"
      R"("account_id":"acc_31yYL7h9LVPg121AgFtCyJPDsgM","number":"735969000000203297"}}})";
  const int64_t t = 1'800'000'000;
  FintocWebhookOptions options;
  options.secrets = {"s"};
  auto event = VerifyFintocWebhook(
      options, absl::StrCat("t=", t, ",v1=", FintocWebhookSignature("s", t, body)), body,
      absl::FromUnixSeconds(t));
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->kind, WebhookEvent::Kind::kMoneyIn);
  EXPECT_EQ(event->receiving_account_native_id, "acc_31yYL7h9LVPg121AgFtCyJPDsgM");
  EXPECT_EQ(event->payer_account, "631969456789123456");

  // Without the account number object: a top-level account_id, else nothing.
  for (const auto& [data, expected] : std::vector<std::pair<std::string, std::string>>{
           {R"("account_id":"acc_2",)", "acc_2"}, {"", ""}}) {
    const std::string other = absl::StrCat(
        R"({"id":"evt_8","type":"transfer.inbound.succeeded","data":{"object":"transfer",)", data,
        R"("id":"tr_8","direction":"inbound","status":"succeeded","currency":"MXN","amount":1}})");
    auto parsed = VerifyFintocWebhook(
        options, absl::StrCat("t=", t, ",v1=", FintocWebhookSignature("s", t, other)), other,
        absl::FromUnixSeconds(t));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->receiving_account_native_id, expected);
  }
}

}  // namespace
}  // namespace providers::fintoc
