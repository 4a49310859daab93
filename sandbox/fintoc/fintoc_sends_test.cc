// The money-safety controls of the Fintoc simulator: every transfer and return is counted per
// Idempotency-Key and per body, deduplication can be switched off at start or at run time,
// and GET /_sandbox/transfers lists every transfer with its key, amount, counterparty and
// reference.
#include <string>

#include "gtest/gtest.h"
#include "sandbox/fintoc/fintoc_test_fixture.h"

namespace sandbox {
namespace {

class FintocSendsTest : public FintocSandboxTest {
 protected:
  boost::json::array Transfers() {
    return JsonBody(client().Get("/_sandbox/transfers")).at("transfers").as_array();
  }
  std::string Body(int64_t amount) const {
    return TransferBody(amount, "012969123456789127", R"(,"reference_id":"4321")");
  }
};

TEST_F(FintocSendsTest, WithDedupASecondSendIsCountedAsAReplay) {
  ASSERT_EQ(PostSigned("/v2/transfers", Body(700), "payout-1").status, 201);
  ASSERT_EQ(PostSigned("/v2/transfers", Body(700), "payout-1").status, 201);
  EXPECT_EQ(StateCount("/outbound_created"), 1);
  const SendCount count = simulator_->sends().ForKey("transfer", "payout-1");
  EXPECT_EQ(count.sends, 2);
  EXPECT_EQ(count.created, 1);
  EXPECT_EQ(count.replays, 1);

  const boost::json::array transfers = Transfers();
  ASSERT_EQ(transfers.size(), 1u);
  EXPECT_EQ(JsonStr(transfers[0], "direction"), "outbound");
  EXPECT_EQ(JsonStr(transfers[0], "idempotency_key"), "payout-1");
  EXPECT_EQ(JsonAt(transfers[0], "/amount").as_int64(), 700);
  EXPECT_EQ(JsonStr(transfers[0], "counterparty_clabe"), "012969123456789127");
  EXPECT_EQ(JsonStr(transfers[0], "reference"), "4321");
  EXPECT_EQ(JsonStr(transfers[0], "status"), "pending");
}

TEST_F(FintocSendsTest, WithoutDedupEverySendWithTheSameKeyMovesMoney) {
  FintocConfig config = DefaultConfig();
  config.dedup = false;
  StartSandbox(config);
  ASSERT_EQ(PostSigned("/v2/transfers", Body(700), "payout-1").status, 201);
  ASSERT_EQ(PostSigned("/v2/transfers", Body(700), "payout-1").status, 201);
  ASSERT_EQ(PostSigned("/v2/transfers", Body(701), "payout-1").status, 201);  // no 409
  EXPECT_EQ(StateCount("/outbound_created"), 3);
  const SendSnapshot sends = simulator_->sends();
  EXPECT_EQ(sends.ForKey("transfer", "payout-1").created, 3);
  EXPECT_EQ(sends.MaxCreatedPerBody(), 2);
  const boost::json::value json = JsonBody(client().Get("/_sandbox/sends"));
  EXPECT_FALSE(JsonAt(json, "/dedup").as_bool());
  EXPECT_EQ(JsonAt(json, "/max_created_per_key").as_int64(), 3);
  EXPECT_EQ(JsonStrAt(json, "/keys/0/operation"), "transfer");
}

TEST_F(FintocSendsTest, ALostReplyIsProcessedButNeverAnsweredAndAResendIsJustified) {
  ASSERT_EQ(client().Post("/_sandbox/dedup", R"({"dedup":false})").status, 200);
  ASSERT_EQ(client().Post("/_sandbox/send_faults", R"({"lose_reply_next":1})").status, 200);
  EXPECT_EQ(PostSigned("/v2/transfers", Body(800), "payout-3").status, 0);  // no reply
  ASSERT_EQ(PostSigned("/v2/transfers", Body(800), "payout-3").status, 201);
  ASSERT_EQ(PostSigned("/v2/transfers", Body(800), "payout-3").status, 201);
  EXPECT_EQ(StateCount("/outbound_created"), 3);  // without dedup every send moved money
  const SendCount count = simulator_->sends().ForKey("transfer", "payout-3");
  EXPECT_EQ(count.created, 3);
  EXPECT_EQ(count.replies_lost, 1);
  // The second send followed a lost reply; the third followed a delivered one.
  EXPECT_EQ(count.unjustified, 1);
}

TEST_F(FintocSendsTest, DedupIsSwitchedAtRunTimeAndReturnsAreCounted) {
  ASSERT_EQ(client().Post("/_sandbox/dedup", R"({"dedup":false})").status, 200);
  EXPECT_FALSE(simulator_->dedup());
  const HttpResponse inbound = client().Post("/_sandbox/fintoc/receive", R"({"amount":900})");
  ASSERT_EQ(inbound.status, 201) << inbound.body;
  const std::string inbound_id = JsonStr(JsonBody(inbound), "id");
  ASSERT_EQ(simulator_->SettlePending(inbound_id, "succeeded"), 1);
  const std::string body = absl::StrCat(R"({"transfer_id":")", inbound_id, R"("})");
  ASSERT_EQ(PostSigned("/v2/transfers/return", body, "return-1").status, 200);
  // Without dedup the retry is processed again: the transfer is no longer returnable.
  EXPECT_EQ(PostSigned("/v2/transfers/return", body, "return-1").status, 409);
  const SendCount count = simulator_->sends().ForKey("return", "return-1");
  EXPECT_EQ(count.sends, 2);
  EXPECT_EQ(count.created, 1);
  EXPECT_EQ(count.refused, 1);

  ASSERT_EQ(client().Post("/_sandbox/dedup", R"({"dedup":true})").status, 200);
  ASSERT_EQ(PostSigned("/v2/transfers", Body(5), "payout-2").status, 201);
  ASSERT_EQ(PostSigned("/v2/transfers", Body(5), "payout-2").status, 201);
  EXPECT_EQ(simulator_->sends().ForKey("transfer", "payout-2").created, 1);
  const boost::json::array transfers = Transfers();
  ASSERT_EQ(transfers.size(), 2u);  // oldest first
  EXPECT_EQ(JsonStr(transfers[0], "direction"), "inbound");
  EXPECT_EQ(JsonStr(transfers[0], "return_idempotency_key"), "return-1");
  EXPECT_EQ(JsonStr(transfers[0], "status"), "return_pending");
  EXPECT_EQ(JsonStr(transfers[1], "idempotency_key"), "payout-2");
}

}  // namespace
}  // namespace sandbox
