// The reconciliation controls of the Monato simulator (POST /_sandbox/transfers/...): each
// makes Monato's records disagree with the gateway's in one way, visible in
// GET /v1/clients/{clientId}/transactions/{id} and GET /_sandbox/transfers, and none sends a
// STATUS_UPDATE (that would put the gateway right).
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "sandbox/common/ids.h"
#include "sandbox/monato/monato_test_fixture.h"

namespace sandbox {
namespace {

constexpr char kDestinationClabe[] = "012180026050783858";

class MonatoControlsTest : public MonatoSandboxTest {
 protected:
  HttpResponse GetTransaction(const std::string& id) {
    return client().Get(ClientPath(absl::StrCat("/transactions/", id)), Auth());
  }
  std::string Made() {  // a money_out the gateway made, still INITIALIZED
    const std::string destination = CreateClabeInstrument(kDestinationClabe, "40012");
    const HttpResponse created = MoneyOut(MoneyOutBody(destination, "100.00"), NewUuid());
    EXPECT_EQ(created.status, 201) << created.body;
    return JsonStr(JsonBody(created), "id");
  }
  boost::json::value Row(const std::string& id) {
    const boost::json::value body = JsonBody(client().Get("/_sandbox/transfers"));
    for (const auto& row : body.at("transfers").as_array()) {
      if (JsonStr(row, "id") == id) return row;
    }
    return nullptr;
  }
  int64_t WebhooksQueued() { return JsonAt(State(), "/webhooks_queued").as_int64(); }
};

TEST_F(MonatoControlsTest, AnOrphanIsALiquidatedMoneyOutNoKeyMade) {
  const HttpResponse orphan =
      client().Post("/_sandbox/transfers/orphan",
                    R"({"amount":12345,"counterparty_clabe":"014180655091438298","reference":"77",)"
                    R"("description":"pago externo"})");
  ASSERT_EQ(orphan.status, 201) << orphan.body;
  const std::string id = JsonStr(JsonBody(orphan), "id");
  EXPECT_TRUE(IsUuid(id));
  const HttpResponse read = GetTransaction(id);
  ASSERT_EQ(read.status, 200) << read.body;
  const boost::json::value transaction = JsonBody(read);
  EXPECT_EQ(JsonStr(transaction, "transactionStatus"), "LIQUIDATED");
  EXPECT_EQ(JsonStr(transaction, "amount"), "123.45");
  EXPECT_EQ(JsonStr(transaction, "externalReference"), "77");
  EXPECT_EQ(JsonStr(transaction, "subCategory"), "SPEI_DEBIT");
  EXPECT_EQ(JsonStr(transaction, "trackingId").substr(8, 5), "FINCH");
  const boost::json::value row = Row(id);
  EXPECT_EQ(JsonStr(row, "counterparty_clabe"), "014180655091438298");
  EXPECT_EQ(JsonStr(row, "idempotency_key"), "");
  const HttpResponse rejected = client().Post(
      "/_sandbox/transfers/orphan",
      R"({"amount":1,"counterparty_clabe":"014180655091438298","reference":"1","status":"REJECTED"})");
  ASSERT_EQ(rejected.status, 201) << rejected.body;
  EXPECT_EQ(JsonStr(JsonBody(rejected), "status"), "REJECTED");
  EXPECT_EQ(client()
                .Post("/_sandbox/transfers/orphan",
                      R"({"amount":1,"counterparty_clabe":"014180655091438298","reference":"1",)"
                      R"("status":"succeeded"})")
                .status,
            400);  // Fintoc's name, not Monato's
  EXPECT_EQ(client()
                .Post("/_sandbox/transfers/orphan",
                      R"({"amount":1,"counterparty_clabe":"014180655091438298","reference":"1",)"
                      R"("account_id":"00000000-0000-0000-0000-000000000000"})")
                .status,
            404);
  EXPECT_EQ(WebhooksQueued(), 0);
}

TEST_F(MonatoControlsTest, ADroppedMoneyOutIsNotFound) {
  const std::string id = Made();
  const HttpResponse dropped =
      client().Post("/_sandbox/transfers/drop", absl::StrCat(R"({"id":")", id, R"("})"));
  ASSERT_EQ(dropped.status, 200) << dropped.body;
  EXPECT_EQ(GetTransaction(id).status, 404);
  EXPECT_TRUE(Row(id).is_null());
  EXPECT_EQ(simulator_->SettlePending("", ""), 0);  // nothing left to settle
  EXPECT_EQ(
      client().Post("/_sandbox/transfers/drop", absl::StrCat(R"({"id":")", id, R"("})")).status,
      404);
}

TEST_F(MonatoControlsTest, AnAlteredMoneyOutShowsTheChangeWithoutAStatusUpdate) {
  const std::string id = Made();
  const HttpResponse altered = client().Post(
      "/_sandbox/transfers/alter",
      absl::StrCat(R"({"id":")", id,
                   R"(","amount":10001,"counterparty_clabe":"014180655091438298","reference":"99",)"
                   R"("status":"LIQUIDATED"})"));
  ASSERT_EQ(altered.status, 200) << altered.body;
  const boost::json::value transaction = JsonBody(GetTransaction(id));
  EXPECT_EQ(JsonStr(transaction, "amount"), "100.01");
  EXPECT_EQ(JsonStr(transaction, "externalReference"), "99");
  EXPECT_EQ(JsonStr(transaction, "transactionStatus"), "LIQUIDATED");
  EXPECT_EQ(JsonStr(Row(id), "counterparty_clabe"), "014180655091438298");
  EXPECT_EQ(simulator_->SettlePending(id, ""), 0);  // no later settlement, no event
  for (const char* status : {"REJECTED", "REFUNDED"}) {
    ASSERT_EQ(client()
                  .Post("/_sandbox/transfers/alter",
                        absl::StrCat(R"({"id":")", id, R"(","status":")", status, R"("})"))
                  .status,
              200);
    EXPECT_EQ(JsonStr(JsonBody(GetTransaction(id)), "transactionStatus"), status);
  }
  EXPECT_EQ(WebhooksQueued(), 0);
  EXPECT_EQ(client()
                .Post("/_sandbox/transfers/alter",
                      absl::StrCat(R"({"id":")", id, R"(","status":"returned"})"))
                .status,
            400);
}

TEST_F(MonatoControlsTest, ADuplicateCopiesEverythingButTheId) {
  const std::string id = Made();
  const HttpResponse copy =
      client().Post("/_sandbox/transfers/duplicate", absl::StrCat(R"({"id":")", id, R"("})"));
  ASSERT_EQ(copy.status, 201) << copy.body;
  const std::string copy_id = JsonStr(JsonBody(copy), "id");
  EXPECT_NE(copy_id, id);
  const boost::json::value original = JsonBody(GetTransaction(id));
  const boost::json::value second = JsonBody(GetTransaction(copy_id));
  for (const char* field : {"trackingId", "amount", "externalReference", "transactionStatus"}) {
    EXPECT_EQ(JsonStr(second, field), JsonStr(original, field)) << field;
  }
  EXPECT_EQ(client().Post("/_sandbox/transfers/duplicate", R"({"id":"nope"})").status, 404);
}

}  // namespace
}  // namespace sandbox
