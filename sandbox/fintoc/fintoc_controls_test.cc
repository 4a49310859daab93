// The reconciliation controls of the Fintoc simulator (POST /_sandbox/transfers/...): each
// makes Fintoc's records disagree with the gateway's in one way, visible in GET /v2/transfers
// and GET /v2/transfers/{id}, and none sends a webhook (that would put the gateway right).
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "sandbox/fintoc/fintoc_test_fixture.h"

namespace sandbox {
namespace {

class FintocControlsTest : public FintocSandboxTest {
 protected:
  boost::json::value Get(const std::string& id) {
    const HttpResponse response = client().Get(absl::StrCat("/v2/transfers/", id), Auth());
    EXPECT_EQ(response.status, 200) << response.body;
    return JsonBody(response);
  }
  std::string Made() {  // a transfer the gateway made, still pending
    const HttpResponse created = PostSigned(
        "/v2/transfers", TransferBody(700, "012969123456789127", R"(,"reference_id":"4321")"),
        "payout-1");
    EXPECT_EQ(created.status, 201) << created.body;
    return JsonStr(JsonBody(created), "id");
  }
  std::vector<std::string> OutboundIds() {
    const HttpResponse list = client().Get("/v2/transfers?direction=outbound&limit=300", Auth());
    EXPECT_EQ(list.status, 200) << list.body;
    std::vector<std::string> ids;
    const boost::json::value body = JsonBody(list);
    for (const auto& item : body.as_array()) ids.push_back(JsonStr(item, "id"));
    return ids;
  }
};

TEST_F(FintocControlsTest, AnOrphanIsAnOutboundTransferNoKeyMade) {
  const HttpResponse orphan = client().Post(
      "/_sandbox/transfers/orphan",
      R"({"amount":12345,"counterparty_clabe":"014180655091438298","reference":"77"})");
  ASSERT_EQ(orphan.status, 201) << orphan.body;
  const std::string id = JsonStr(JsonBody(orphan), "id");
  EXPECT_EQ(JsonStr(JsonBody(orphan), "idempotency_key"), "");
  const boost::json::value transfer = Get(id);
  EXPECT_EQ(JsonStr(transfer, "direction"), "outbound");
  EXPECT_EQ(JsonStr(transfer, "status"), "succeeded");
  EXPECT_EQ(JsonAt(transfer, "/amount").as_int64(), 12345);
  EXPECT_EQ(JsonStrAt(transfer, "/counterparty/account_number"), "014180655091438298");
  EXPECT_EQ(JsonStrAt(transfer, "/counterparty/institution/id"), "40014");
  EXPECT_EQ(JsonStr(transfer, "reference_id"), "77");
  EXPECT_EQ(JsonStrAt(transfer, "/account_number/account_id"), config_.account_id);
  EXPECT_EQ(JsonStr(transfer, "tracking_key").size(), 30u);
  EXPECT_EQ(OutboundIds(), std::vector<std::string>{id});
  // Another status, another account (unknown: 404), bad bodies (400).
  const HttpResponse failed = client().Post(
      "/_sandbox/transfers/orphan",
      R"({"amount":1,"counterparty_clabe":"014180655091438298","reference":"1","status":"failed"})");
  ASSERT_EQ(failed.status, 201) << failed.body;
  EXPECT_EQ(JsonStr(JsonBody(failed), "status"), "failed");
  EXPECT_EQ(client()
                .Post("/_sandbox/transfers/orphan",
                      R"({"amount":1,"counterparty_clabe":"014180655091438298","reference":"1",)"
                      R"("account_id":"acc_nobody"})")
                .status,
            404);
  for (
      const char* bad :
      {R"({"amount":"1","counterparty_clabe":"014180655091438298","reference":"1"})",
       R"({"amount":0,"counterparty_clabe":"014180655091438298","reference":"1"})",
       R"({"amount":1,"counterparty_clabe":"014180655091438299","reference":"1"})",
       R"({"amount":1,"counterparty_clabe":"014180655091438298","reference":"12345678"})",
       R"({"amount":1,"counterparty_clabe":"014180655091438298","reference":"012"})",
       R"({"amount":1,"counterparty_clabe":"014180655091438298"})",
       R"({"amount":1,"counterparty_clabe":"014180655091438298","reference":"1","status":"LIQUIDATED"})",
       "not json"}) {
    EXPECT_EQ(client().Post("/_sandbox/transfers/orphan", bad).status, 400) << bad;
  }
  EXPECT_EQ(StateCount("/webhooks_queued"), 0);
}

TEST_F(FintocControlsTest, ADroppedTransferIsGoneFromReadsAndLists) {
  const std::string id = Made();
  const HttpResponse dropped =
      client().Post("/_sandbox/transfers/drop", absl::StrCat(R"({"id":")", id, R"("})"));
  ASSERT_EQ(dropped.status, 200) << dropped.body;
  EXPECT_EQ(JsonStr(JsonBody(dropped), "id"), id);
  EXPECT_EQ(client().Get(absl::StrCat("/v2/transfers/", id), Auth()).status, 404);
  EXPECT_TRUE(OutboundIds().empty());
  EXPECT_EQ(simulator_->SettlePending("", ""), 0);  // its settlement finds nothing
  EXPECT_EQ(
      client().Post("/_sandbox/transfers/drop", absl::StrCat(R"({"id":")", id, R"("})")).status,
      404);
  EXPECT_EQ(client().Post("/_sandbox/transfers/drop", "{}").status, 400);
}

TEST_F(FintocControlsTest, AnAlteredTransferShowsTheChangeWithoutAWebhook) {
  const std::string id = Made();
  const HttpResponse altered = client().Post(
      "/_sandbox/transfers/alter",
      absl::StrCat(R"({"id":")", id,
                   R"(","amount":701,"counterparty_clabe":"002180700000000011","reference":"99",)"
                   R"("status":"succeeded"})"));
  ASSERT_EQ(altered.status, 200) << altered.body;
  const boost::json::value transfer = Get(id);
  EXPECT_EQ(JsonAt(transfer, "/amount").as_int64(), 701);
  EXPECT_EQ(JsonStrAt(transfer, "/counterparty/account_number"), "002180700000000011");
  EXPECT_EQ(JsonStrAt(transfer, "/counterparty/institution/id"), "40002");
  EXPECT_EQ(JsonStr(transfer, "reference_id"), "99");
  EXPECT_EQ(JsonStr(transfer, "status"), "succeeded");
  // Settled by the control, so no later settlement (and no event) happens for it.
  EXPECT_EQ(simulator_->SettlePending(id, ""), 0);
  // Each field alone, then to each final status Fintoc names.
  for (const char* status : {"failed", "returned", "rejected"}) {
    ASSERT_EQ(client()
                  .Post("/_sandbox/transfers/alter",
                        absl::StrCat(R"({"id":")", id, R"(","status":")", status, R"("})"))
                  .status,
              200);
    EXPECT_EQ(JsonStr(Get(id), "status"), status);
  }
  EXPECT_EQ(JsonAt(Get(id), "/amount").as_int64(), 701);
  EXPECT_EQ(StateCount("/webhooks_queued"), 0);
  EXPECT_EQ(client()
                .Post("/_sandbox/transfers/alter",
                      absl::StrCat(R"({"id":")", id, R"(","status":"teleported"})"))
                .status,
            400);
  EXPECT_EQ(
      client().Post("/_sandbox/transfers/alter", absl::StrCat(R"({"id":")", id, R"("})")).status,
      400);  // nothing to change
  EXPECT_EQ(client().Post("/_sandbox/transfers/alter", R"({"id":"tr_none","amount":5})").status,
            404);
}

TEST_F(FintocControlsTest, ADuplicateCopiesEverythingButTheId) {
  const std::string id = Made();
  const HttpResponse copy =
      client().Post("/_sandbox/transfers/duplicate", absl::StrCat(R"({"id":")", id, R"("})"));
  ASSERT_EQ(copy.status, 201) << copy.body;
  const std::string copy_id = JsonStr(JsonBody(copy), "id");
  EXPECT_NE(copy_id, id);
  const boost::json::value original = Get(id), second = Get(copy_id);
  for (const char* field : {"tracking_key", "reference_id", "status"}) {
    EXPECT_EQ(JsonStr(second, field), JsonStr(original, field)) << field;
  }
  EXPECT_EQ(JsonAt(second, "/amount").as_int64(), 700);
  EXPECT_EQ(JsonStr(JsonBody(copy), "idempotency_key"), "payout-1");
  EXPECT_EQ(OutboundIds(), (std::vector<std::string>{copy_id, id}));  // newest first
  EXPECT_EQ(client().Post("/_sandbox/transfers/duplicate", R"({"id":"tr_none"})").status, 404);
  EXPECT_EQ(client().Get("/_sandbox/transfers/duplicate").status, 405);
}

}  // namespace
}  // namespace sandbox
