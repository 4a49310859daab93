#include "sandbox/common/send_ledger.h"

#include "gtest/gtest.h"

namespace sandbox {
namespace {

TEST(SendLedgerTest, CountsSendsPerKeyAndPerBody) {
  SendLedger ledger;
  ledger.Record("money_out", "k1", "body-a", ServerReply::Json(201, R"({"id":"t1"})"), false,
                ledger.Arrive());
  ledger.Record("money_out", "k1", "body-a", ServerReply::Json(201, R"({"id":"t1"})"), true,
                ledger.Arrive());
  ledger.Record("money_out", "k2", "body-a", ServerReply::Json(201, R"({"id":"t2"})"), false,
                ledger.Arrive());
  ledger.Record("money_out", "k3", "body-b", ServerReply::Json(409, "{}"), false, ledger.Arrive());
  ledger.Record("refund", "", "body-c", ServerReply::Json(201, "{}"), false, ledger.Arrive());

  const SendSnapshot snapshot = ledger.snapshot();
  EXPECT_EQ(snapshot.total.sends, 5);
  EXPECT_EQ(snapshot.total.created, 3);
  EXPECT_EQ(snapshot.total.replays, 1);
  EXPECT_EQ(snapshot.total.refused, 1);
  EXPECT_EQ(snapshot.without_key, 1);
  const SendCount k1 = snapshot.ForKey("money_out", "k1");
  EXPECT_EQ(k1.sends, 2);
  EXPECT_EQ(k1.created, 1);
  EXPECT_EQ(k1.replays, 1);
  EXPECT_EQ(snapshot.ForKey("refund", "k1").sends, 0);  // keys are per operation
  EXPECT_EQ(snapshot.MaxCreatedPerKey(), 1);
  // The same body under two keys moved money twice: only the per-body count shows it.
  EXPECT_EQ(snapshot.MaxCreatedPerBody(), 2);
  EXPECT_EQ(snapshot.by_body.at({"money_out", "body-a"}).sends, 3);

  const boost::json::object json = ledger.ToJson();
  EXPECT_EQ(json.at("total").at("sends").as_int64(), 5);
  EXPECT_EQ(json.at("max_created_per_body").as_int64(), 2);
  ASSERT_EQ(json.at("keys").as_array().size(), 3u);
  EXPECT_EQ(json.at("keys").as_array()[0].at("key").as_string(), "k1");
  EXPECT_EQ(json.at("keys").as_array()[0].at("created").as_int64(), 1);
}

ServerReply Created(const std::string& id) {
  return ServerReply::Json(201, "{\"id\":\"" + id + "\"}");
}

TEST(SendLedgerTest, ASecondTransferIsUnjustifiedOnlyIfTheFirstReplyWasDelivered) {
  SendLedger ledger;
  // k-lost: the first reply is lost (a fault), so sending again was right.
  ledger.SetFaults({1, 0});
  const SendTicket lost = ledger.Arrive();
  EXPECT_TRUE(lost.lose_reply);
  ledger.Record("transfer", "k-lost", "b1", Created("t1"), false, lost);
  EXPECT_FALSE(ledger.Arrive().lose_reply);  // only the next one
  ledger.Record("transfer", "k-lost", "b1", Created("t2"), false, ledger.Arrive());

  // k-dup: the first reply was delivered, yet the key was sent again and moved money again.
  ledger.Record("transfer", "k-dup", "b2", Created("t3"), false, ledger.Arrive());
  ledger.Record("transfer", "k-dup", "b2", Created("t4"), false, ledger.Arrive());

  // k-overlap: both arrived before either answered; the later-arrived one is unjustified even
  // though it finished first.
  const SendTicket first = ledger.Arrive();
  const SendTicket second = ledger.Arrive();
  ledger.Record("transfer", "k-overlap", "b3", Created("t6"), false, second);
  ledger.Record("transfer", "k-overlap", "b3", Created("t5"), false, first);

  // k-crash: the caller was killed (a new epoch) after the first reply was delivered.
  ledger.Record("transfer", "k-crash", "b4", Created("t7"), false, ledger.Arrive());
  ledger.set_epoch(1);
  EXPECT_EQ(ledger.epoch(), 1);
  ledger.Record("transfer", "k-crash", "b4", Created("t8"), false, ledger.Arrive());

  const SendSnapshot snapshot = ledger.snapshot();
  EXPECT_EQ(snapshot.ForKey("transfer", "k-lost").created, 2);
  EXPECT_EQ(snapshot.ForKey("transfer", "k-lost").replies_lost, 1);
  EXPECT_EQ(snapshot.ForKey("transfer", "k-lost").unjustified, 0);
  EXPECT_EQ(snapshot.ForKey("transfer", "k-dup").unjustified, 1);
  EXPECT_EQ(snapshot.ForKey("transfer", "k-overlap").unjustified, 1);
  EXPECT_EQ(snapshot.ForKey("transfer", "k-crash").unjustified, 0);
  EXPECT_EQ(snapshot.total.unjustified, 2);
  EXPECT_EQ(snapshot.total.replies_lost, 1);
  const boost::json::object json = ledger.ToJson();
  EXPECT_EQ(json.at("total").at("unjustified").as_int64(), 2);
  EXPECT_EQ(json.at("epoch").as_int64(), 1);
}

}  // namespace
}  // namespace sandbox
