#include "sandbox/common/send_ledger.h"

#include "gtest/gtest.h"

namespace sandbox {
namespace {

TEST(SendLedgerTest, CountsSendsPerKeyAndPerBody) {
  SendLedger ledger;
  ledger.Record("money_out", "k1", "body-a", Reply::Json(201, R"({"id":"t1"})"), false);
  ledger.Record("money_out", "k1", "body-a", Reply::Json(201, R"({"id":"t1"})"), true);
  ledger.Record("money_out", "k2", "body-a", Reply::Json(201, R"({"id":"t2"})"), false);
  ledger.Record("money_out", "k3", "body-b", Reply::Json(409, "{}"), false);
  ledger.Record("refund", "", "body-c", Reply::Json(201, "{}"), false);

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

}  // namespace
}  // namespace sandbox
