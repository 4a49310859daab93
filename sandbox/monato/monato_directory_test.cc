// Monato's catalogue endpoints over HTTPS: banks (stable UUIDs), accounts and private
// accounts (CLABE 734...), instruments (debit card and CLABE bodies, validation), webhooks.
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "sandbox/common/clabe.h"
#include "sandbox/common/ids.h"
#include "sandbox/monato/monato_test_fixture.h"

namespace sandbox {
namespace {

using MonatoDirectoryTest = MonatoSandboxTest;

TEST_F(MonatoDirectoryTest, BanksArePagedWithStableUuids) {
  HttpResponse response = client().Get("/v1/banks?page=1&page_size=400", Auth());
  ASSERT_EQ(response.status, 200) << response.body;
  const boost::json::value all = JsonBody(response);
  const int64_t total = JsonAt(all, "/total_banks").as_int64();
  EXPECT_EQ(JsonAt(all, "/page").as_int64(), 1);
  EXPECT_EQ(JsonAt(all, "/page_size").as_int64(), 400);
  std::set<std::string> codes;
  std::string bbva_id;
  const boost::json::value banks = JsonAt(all, "/banks");  // keep it alive for the loop
  for (const auto& bank : banks.as_array()) {
    codes.insert(JsonStr(bank, "code"));
    EXPECT_TRUE(IsUuid(JsonStr(bank, "id"))) << JsonStr(bank, "id");
    if (JsonStr(bank, "code") == "40012") bbva_id = JsonStr(bank, "id");
  }
  EXPECT_EQ(static_cast<int64_t>(codes.size()), total);
  // Every Banxico code of docs/providers/spei.md#participants.
  for (const char* code :
       {"40002", "40012", "40014", "40021", "40030", "40036", "40044", "40072", "40127", "40137",
        "90646", "90638", "90722", "90723", "90734", "90738", "37006", "37019"}) {
    EXPECT_EQ(codes.count(code), 1u) << code;
  }
  EXPECT_EQ(bbva_id, MonatoBankId("40012"));  // the same in every run

  response = client().Get("/v1/banks?page=2&page_size=5", Auth());
  ASSERT_EQ(response.status, 200);
  const boost::json::value page2 = JsonBody(response);
  EXPECT_EQ(JsonAt(page2, "/banks").as_array().size(), 5u);
  EXPECT_EQ(JsonStrAt(page2, "/banks/0/code"), JsonStrAt(all, "/banks/5/code"));
  EXPECT_EQ(client().Get("/v1/banks?page=0", Auth()).status, 400);
  EXPECT_EQ(client().Get("/v1/banks?page_size=abc", Auth()).status, 400);
}

TEST_F(MonatoDirectoryTest, SeededAccountListsAndReads) {
  HttpResponse response = client().Get(ClientPath("/accounts"), Auth());
  ASSERT_EQ(response.status, 200) << response.body;
  const boost::json::value list = JsonBody(response);
  EXPECT_EQ(JsonAt(list, "/currentPage").as_int64(), 1);
  EXPECT_EQ(JsonAt(list, "/perPage").as_int64(), 50);
  EXPECT_EQ(JsonAt(list, "/totalItem").as_int64(), 1);
  const boost::json::value account = JsonAt(list, "/data/0");
  EXPECT_EQ(JsonStr(account, "id"), seed().main_account_id);
  EXPECT_EQ(JsonStr(account, "instrumentId"), seed().main_instrument_id);
  EXPECT_EQ(JsonStr(account, "availableBalance"), "10000000.00");
  EXPECT_EQ(JsonStr(account, "clabeNumber"), seed().main_clabe);
  EXPECT_EQ(JsonStr(account, "clabeNumber").substr(0, 3), "734");
  EXPECT_TRUE(IsValidClabe(JsonStr(account, "clabeNumber")));
  EXPECT_EQ(JsonStr(account, "accountNumber"), seed().main_clabe.substr(6));
  EXPECT_EQ(JsonStrAt(account, "/audit/deletedAt"), "None");

  response = client().Get(ClientPath(absl::StrCat("/accounts/", seed().main_account_id)), Auth());
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(JsonStr(JsonBody(response), "availableBalance"), "10000000.00");
  response = client().Get(ClientPath(absl::StrCat("/accounts/", NewUuid())), Auth());
  EXPECT_EQ(response.status, 404);
}

TEST_F(MonatoDirectoryTest, PrivateAccountGetsAValidClabe) {
  const std::string body =
      absl::StrCat(R"({"bank_id":")", MonatoBankId("90734"), R"(","owner_id":")", NewUuid(),
                   R"(","client_bank_adapter_id":")", NewUuid(), R"(","client_id":")",
                   config_.client_id, R"(","account_id":")", seed().main_account_id, R"("})");
  HttpResponse response = client().Post(ClientPath("/private_accounts"), body, Auth());
  ASSERT_EQ(response.status, 201) << response.body;
  const boost::json::value account = JsonBody(response);
  const std::string clabe = JsonStr(account, "clabeNumber");
  EXPECT_EQ(clabe.substr(0, 6), "734180");
  EXPECT_TRUE(IsValidClabe(clabe)) << clabe;
  EXPECT_NE(clabe, seed().main_clabe);
  EXPECT_EQ(JsonStr(account, "accountNumber"), clabe.substr(6));
  EXPECT_EQ(JsonStr(account, "availableBalance"), "0.00");
  EXPECT_EQ(JsonStr(account, "accountType"), "PRIVATE_ACCOUNT");
  EXPECT_EQ(JsonStr(account, "ownerType"), "CLIENT");
  EXPECT_EQ(JsonStr(account, "bankAdapter"), "SIES");
  EXPECT_EQ(
      JsonAt(JsonBody(client().Get(ClientPath("/accounts"), Auth())), "/totalItem").as_int64(), 2);

  response = client().Post(ClientPath("/private_accounts"), R"({"bank_id":"nope"})", Auth());
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(ErrorReason(response), "DATA_ERROR");
}

TEST_F(MonatoDirectoryTest, DebitCardAndClabeInstruments) {
  const std::string card_body = absl::StrCat(
      R"({"source_bank_id":")", MonatoBankId("90734"), R"(","client_id":")", config_.client_id,
      R"(","type":"RECEIVER","rfc":"XAXX010101000","alias":"Tarjeta ABC123",)",
      R"("debit_card":{"destination_bank_id":")", MonatoBankId("40012"),
      R"(","card_number":"5579072268574100","holder_name":"Pedro Navajas Dos"}})");
  HttpResponse response = client().Post(ClientPath("/instruments"), card_body, Auth());
  ASSERT_EQ(response.status, 201) << response.body;
  const boost::json::value card = JsonBody(response);
  EXPECT_EQ(JsonStrAt(card, "/instrumentDetail/cardNumber"), "5579072268574100");
  EXPECT_EQ(JsonStrAt(card, "/instrumentDetail/expirationDate"), "None");
  EXPECT_EQ(JsonStrAt(card, "/instrumentDetail/holderName"), "Pedro Navajas Dos");
  EXPECT_EQ(JsonStr(card, "bankId"), MonatoBankId("40012"));
  EXPECT_EQ(JsonStr(card, "customerId"), "None");

  const std::string clabe_id = CreateClabeInstrument("012180026050783858", "40012");
  response = client().Get(ClientPath(absl::StrCat("/instruments/", clabe_id)), Auth());
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(JsonStrAt(JsonBody(response), "/instrumentDetail/clabeNumber"), "012180026050783858");

  response = client().Get(ClientPath("/instruments?page=1&per_page=2"), Auth());
  ASSERT_EQ(response.status, 200);
  const boost::json::value list = JsonBody(response);
  EXPECT_EQ(JsonAt(list, "/totalItems").as_int64(), 3);  // with the main account's own
  EXPECT_EQ(JsonAt(list, "/perPage").as_int64(), 2);
  EXPECT_EQ(JsonAt(list, "/data").as_array().size(), 2u);
  EXPECT_TRUE(JsonAt(list, "/totalItem").is_null());  // "totalItems" here, unlike accounts

  EXPECT_EQ(client().Get(ClientPath(absl::StrCat("/instruments/", NewUuid())), Auth()).status, 404);
}

TEST_F(MonatoDirectoryTest, InstrumentValidation) {
  auto clabe_body = [this](const std::string& clabe, const std::string& holder,
                           const std::string& bank_id) {
    return absl::StrCat(R"({"type":"SENDER","rfc":"ND","client_id":")", config_.client_id,
                        R"(","virtual_clabe":{"destination_bank_id":")", bank_id,
                        R"(","clabe_number":")", clabe, R"(","holder_name":")", holder, R"("}})");
  };
  auto card_body = [this](const std::string& number, const std::string& type) {
    return absl::StrCat(R"({"type":")", type, R"(","rfc":"ND","client_id":")", config_.client_id,
                        R"(","debit_card":{"destination_bank_id":")", MonatoBankId("40012"),
                        R"(","card_number":")", number, R"(","holder_name":"Ana"}})");
  };
  const std::string bbva = MonatoBankId("40012");
  struct Case {
    std::string body;
    std::string error_code;
  };
  const Case cases[] = {
      {clabe_body("012180026050783858", std::string(41, 'A'), bbva), "INVALID_HOLDER_NAME"},
      {clabe_body("012180026050783857", "Ana", bbva), "INVALID_CLABE"},
      {clabe_body("01218002605078385", "Ana", bbva), "INVALID_CLABE"},
      {clabe_body("012180026050783858", "Ana", NewUuid()), "BANK_NOT_FOUND"},
      {card_body("55790722685741", "RECEIVER"), "INVALID_CARD_NUMBER"},
      {card_body("5579072268574100", "SENDER"), "INVALID_TYPE"},
      {absl::StrCat(R"({"type":"SENDER","rfc":"ND","client_id":")", config_.client_id, R"("})"),
       "INVALID_INSTRUMENT"},
      {"[]", "INVALID_BODY"},
  };
  for (const Case& c : cases) {
    const HttpResponse response = client().Post(ClientPath("/instruments"), c.body, Auth());
    EXPECT_EQ(response.status, 400) << c.body << " -> " << response.body;
    EXPECT_EQ(ErrorReason(response), "DATA_ERROR") << c.body;
    EXPECT_EQ(ErrorCode(response), c.error_code) << c.body;
  }
  // 40 characters and a 15-digit card are fine.
  EXPECT_EQ(client()
                .Post(ClientPath("/instruments"),
                      clabe_body("012180026050783858", std::string(40, 'A'), bbva), Auth())
                .status,
            201);
  EXPECT_EQ(client()
                .Post(ClientPath("/instruments"), card_body("557907226857410", "RECEIVER"), Auth())
                .status,
            201);
}

TEST_F(MonatoDirectoryTest, WebhookRegistrationRepliesInCamelCase) {
  const std::string body = absl::StrCat(
      R"({"client_id":")", config_.client_id,
      R"(","url":"https://example.test/hooks","token":"secretToken0123","webhook_type":"MONEY_IN","auth_type":"AUTH"})");
  HttpResponse response = client().Post("/v1/webhooks", body, Auth());
  ASSERT_EQ(response.status, 200) << response.body;
  const boost::json::value webhook = JsonBody(response);
  EXPECT_TRUE(IsUuid(JsonStr(webhook, "id")));
  EXPECT_EQ(JsonStr(webhook, "clientId"), config_.client_id);
  EXPECT_EQ(JsonStr(webhook, "webhookType"), "MONEY_IN");
  EXPECT_EQ(JsonStr(webhook, "webhookStatus"), "ACTIVE");
  EXPECT_EQ(JsonStr(webhook, "token"), "secretToken0123");
  EXPECT_TRUE(JsonAt(webhook, "/webhook_type").is_null());

  response =
      client().Post("/v1/webhooks",
                    absl::StrCat(R"({"client_id":")", config_.client_id,
                                 R"(","url":"ftp://x","token":"t","webhook_type":"MONEY_IN"})"),
                    Auth());
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(ErrorCode(response), "INVALID_URL");
}

TEST_F(MonatoDirectoryTest, MalformedBodiesGetMonatoErrorsNotCrashes) {
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  const std::string bodies[] = {
      "",
      "null",
      "[]",
      "{",
      "{\"a\":",
      "\xff\xfe\x00",
      deep,
      R"({"client_id":{},"transaction_request":[]})",
      R"({"amount":1e400})",
      R"({"client_id":"c2d1d1e3-3340-4170-980e-e9269bbbc551","transaction_request":{"amount":{"x":1}}})"};
  const std::string paths[] = {
      "/v1/transactions/money_out", ClientPath("/instruments"), ClientPath("/private_accounts"),
      ClientPath(absl::StrCat("/transactions/", NewUuid(), "/refund")), "/v1/webhooks"};
  for (const std::string& path : paths) {
    for (const std::string& body : bodies) {
      const HttpResponse response = client().Post(path, body, Auth());
      EXPECT_GE(response.status, 400) << path << " " << body.substr(0, 40);
      EXPECT_LT(response.status, 500)
          << path << " " << body.substr(0, 40) << " -> " << response.body;
      EXPECT_FALSE(ErrorReason(response).empty()) << path << " -> " << response.body;
    }
  }
  // The server is still there.
  EXPECT_EQ(client().Get(ClientPath("/accounts"), Auth()).status, 200);
}

}  // namespace
}  // namespace sandbox
