// The money-safety controls of the Monato simulator: every money_out and refund is counted per
// Idempotency-Key and per body (GET /_sandbox/sends and sends()), deduplication can be switched
// off at start (MonatoConfig::dedup) or at run time (POST /_sandbox/dedup), and
// GET /_sandbox/transfers lists every transfer made with its key, amount, CLABE and reference.
#include <string>

#include "absl/strings/ascii.h"
#include "gtest/gtest.h"
#include "sandbox/common/ids.h"
#include "sandbox/monato/monato_test_fixture.h"

namespace sandbox {
namespace {

constexpr char kDestinationClabe[] = "012180026050783858";

class MonatoSendsTest : public MonatoSandboxTest {
 protected:
  boost::json::value Sends() { return JsonBody(client().Get("/_sandbox/sends")); }
  boost::json::array Transfers() {
    return JsonBody(client().Get("/_sandbox/transfers")).at("transfers").as_array();
  }
  int64_t MoneyOutsCreated() { return JsonAt(State(), "/money_outs_created").as_int64(); }
};

TEST_F(MonatoSendsTest, WithDedupASecondSendIsCountedAsAReplay) {
  const std::string destination = CreateClabeInstrument(kDestinationClabe, "40012");
  const std::string key = NewUuid();
  const std::string body = MoneyOutBody(destination, "100.00");
  ASSERT_EQ(MoneyOut(body, key).status, 201);
  ASSERT_EQ(MoneyOut(body, absl::AsciiStrToUpper(key)).status, 201);  // same key, any case
  EXPECT_EQ(MoneyOutsCreated(), 1);

  const SendCount count = simulator_->sends().ForKey("money_out", key);
  EXPECT_EQ(count.sends, 2);
  EXPECT_EQ(count.created, 1);
  EXPECT_EQ(count.replays, 1);
  const boost::json::value sends = Sends();
  EXPECT_TRUE(JsonAt(sends, "/dedup").as_bool());
  EXPECT_EQ(JsonAt(sends, "/total/sends").as_int64(), 2);
  EXPECT_EQ(JsonAt(sends, "/max_created_per_key").as_int64(), 1);
  EXPECT_EQ(JsonAt(sends, "/max_created_per_body").as_int64(), 1);
  EXPECT_EQ(JsonStrAt(sends, "/keys/0/key"), key);
  EXPECT_EQ(JsonAt(sends, "/keys/0/sends").as_int64(), 2);

  const boost::json::array transfers = Transfers();
  ASSERT_EQ(transfers.size(), 1u);
  EXPECT_EQ(JsonStr(transfers[0], "operation"), "money_out");
  EXPECT_EQ(JsonStr(transfers[0], "idempotency_key"), key);
  EXPECT_EQ(JsonAt(transfers[0], "/amount").as_int64(), 10000);
  EXPECT_EQ(JsonStr(transfers[0], "counterparty_clabe"), kDestinationClabe);
  EXPECT_EQ(JsonStr(transfers[0], "reference"), "1234567");
  EXPECT_EQ(JsonStr(transfers[0], "status"), "INITIALIZED");
}

TEST_F(MonatoSendsTest, WithoutDedupEverySendWithTheSameKeyMovesMoney) {
  MonatoConfig config;
  config.settle_after = absl::Milliseconds(-1);
  config.dedup = false;
  StartSandbox(config);
  EXPECT_FALSE(JsonAt(JsonBody(client().Get("/_sandbox/dedup")), "/dedup").as_bool());
  const std::string destination = CreateClabeInstrument(kDestinationClabe, "40012");
  const std::string key = NewUuid();
  const HttpResponse first = MoneyOut(MoneyOutBody(destination, "1.95"), key);
  const HttpResponse second = MoneyOut(MoneyOutBody(destination, "1.95"), key);
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_NE(JsonStr(JsonBody(first), "id"), JsonStr(JsonBody(second), "id"));
  // Another body under the same key is no 409 either.
  ASSERT_EQ(MoneyOut(MoneyOutBody(destination, "1.96"), key).status, 201);
  EXPECT_EQ(MoneyOutsCreated(), 3);

  const SendSnapshot sends = simulator_->sends();
  EXPECT_EQ(sends.ForKey("money_out", key).created, 3);
  EXPECT_EQ(sends.MaxCreatedPerKey(), 3);
  EXPECT_EQ(sends.MaxCreatedPerBody(), 2);
  EXPECT_EQ(sends.total.replays, 0);
  EXPECT_EQ(Transfers().size(), 3u);
  // Long runs read both lists in pages.
  const boost::json::value page = JsonBody(client().Get("/_sandbox/transfers?offset=1&limit=1"));
  EXPECT_EQ(JsonAt(page, "/transfers_total").as_int64(), 3);
  ASSERT_EQ(page.at("transfers").as_array().size(), 1u);
  EXPECT_EQ(JsonStr(page.at("transfers").as_array()[0], "id"), JsonStr(Transfers()[1], "id"));
  const boost::json::value bodies = JsonBody(client().Get("/_sandbox/sends?offset=1&limit=5"));
  EXPECT_EQ(JsonAt(bodies, "/bodies_total").as_int64(), 2);
  EXPECT_EQ(bodies.at("bodies").as_array().size(), 1u);
  EXPECT_EQ(JsonAt(bodies, "/keys_total").as_int64(), 1);
  EXPECT_TRUE(bodies.at("keys").as_array().empty());
}

TEST_F(MonatoSendsTest, DedupIsSwitchedAtRunTime) {
  const std::string destination = CreateClabeInstrument(kDestinationClabe, "40012");
  const std::string key = NewUuid();
  const std::string body = MoneyOutBody(destination, "2.00");
  ASSERT_EQ(MoneyOut(body, key).status, 201);

  const HttpResponse off = client().Post("/_sandbox/dedup", R"({"dedup":false})");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_FALSE(JsonAt(JsonBody(off), "/dedup").as_bool());
  EXPECT_FALSE(simulator_->dedup());
  ASSERT_EQ(MoneyOut(body, key).status, 201);
  EXPECT_EQ(MoneyOutsCreated(), 2);

  ASSERT_EQ(client().Post("/_sandbox/dedup", R"({"dedup":true})").status, 200);
  ASSERT_EQ(MoneyOut(body, key).status, 201);  // the first reply, kept from before
  EXPECT_EQ(MoneyOutsCreated(), 2);
  const SendCount count = simulator_->sends().ForKey("money_out", key);
  EXPECT_EQ(count.sends, 3);
  EXPECT_EQ(count.created, 2);
  EXPECT_EQ(count.replays, 1);

  EXPECT_EQ(client().Post("/_sandbox/dedup", R"({"dedup":"no"})").status, 400);
  EXPECT_EQ(client().Post("/_sandbox/dedup", "not json").status, 400);
  EXPECT_TRUE(simulator_->dedup());
}

TEST_F(MonatoSendsTest, ALostReplyIsProcessedButNeverAnswered) {
  const std::string destination = CreateClabeInstrument(kDestinationClabe, "40012");
  const HttpResponse set =
      client().Post("/_sandbox/send_faults", R"({"lose_reply_next":1,"lose_reply_after_ms":0})");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(JsonAt(JsonBody(set), "/lose_reply_next").as_int64(), 1);
  const std::string key = NewUuid();
  const std::string body = MoneyOutBody(destination, "3.00");
  EXPECT_EQ(MoneyOut(body, key).status, 0);    // the connection closed without a reply
  EXPECT_EQ(MoneyOutsCreated(), 1);            // but the money moved
  ASSERT_EQ(MoneyOut(body, key).status, 201);  // the retry is a replay
  EXPECT_EQ(MoneyOutsCreated(), 1);
  const SendCount count = simulator_->sends().ForKey("money_out", key);
  EXPECT_EQ(count.replies_lost, 1);
  EXPECT_EQ(count.replays, 1);
  EXPECT_EQ(count.unjustified, 0);
  ASSERT_EQ(client().Post("/_sandbox/epoch", R"({"epoch":7})").status, 200);
  EXPECT_EQ(JsonAt(JsonBody(client().Get("/_sandbox/sends")), "/epoch").as_int64(), 7);
  EXPECT_EQ(client().Post("/_sandbox/send_faults", R"({"lose_reply_next":-1})").status, 400);
}

TEST_F(MonatoSendsTest, RefundsAreCountedAndListed) {
  const HttpResponse received = client().Post(
      "/_sandbox/monato/receive", R"({"amount":"5.00","payer_account":"002010077777777771"})");
  ASSERT_EQ(received.status, 201) << received.body;
  const std::string refund_path =
      ClientPath(absl::StrCat("/transactions/", JsonStr(JsonBody(received), "id"), "/refund"));
  HeaderList headers = Auth();
  headers.emplace_back("Idempotency-Key", "refund-key-1");
  const std::string body = R"({"amount":"5.00","description":"Devolucion"})";
  ASSERT_EQ(client().Post(refund_path, body, headers).status, 201);
  EXPECT_EQ(client().Post(refund_path, body, headers).status, 400);  // already refunded

  const SendCount count = simulator_->sends().ForKey("refund", "refund-key-1");
  EXPECT_EQ(count.sends, 2);
  EXPECT_EQ(count.created, 1);
  EXPECT_EQ(count.refused, 1);
  const boost::json::array transfers = Transfers();  // the received money is not listed
  ASSERT_EQ(transfers.size(), 1u);
  EXPECT_EQ(JsonStr(transfers[0], "operation"), "refund");
  EXPECT_EQ(JsonStr(transfers[0], "idempotency_key"), "refund-key-1");
  EXPECT_EQ(JsonStr(transfers[0], "counterparty_clabe"), "002010077777777771");
  EXPECT_EQ(JsonAt(transfers[0], "/amount").as_int64(), 500);
}

}  // namespace
}  // namespace sandbox
