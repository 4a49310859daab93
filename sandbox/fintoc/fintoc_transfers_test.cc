// Fintoc transfers over HTTPS: API-key auth, JWS enforcement (the JWS test vectors end to end),
// body validation with Fintoc's error codes, Idempotency-Key replays and mismatches.
#include <string>

#include "gtest/gtest.h"
#include "sandbox/common/clabe.h"
#include "sandbox/fintoc/fintoc_test_fixture.h"
#include "sandbox/fintoc/fintoc_test_vectors.h"

namespace sandbox {
namespace {

using FintocTransfersTest = FintocSandboxTest;

TEST_F(FintocTransfersTest, SecretKeyRawOrBearer) {
  EXPECT_EQ(client().Get("/v2/accounts", {{"Authorization", config_.secret_key}}).status, 200);
  EXPECT_EQ(
      client().Get("/v2/accounts", {{"Authorization", "Bearer " + config_.secret_key}}).status,
      200);
  for (const HeaderList& headers : {HeaderList{}, HeaderList{{"Authorization", "sk_test_wrong"}},
                                    HeaderList{{"Authorization", "Bearer "}}}) {
    const HttpResponse response = client().Get("/v2/accounts", headers);
    EXPECT_EQ(response.status, 401);
    const boost::json::value body = JsonBody(response);
    EXPECT_EQ(JsonStrAt(body, "/error/type"), "authentication_error");
    EXPECT_EQ(JsonStrAt(body, "/error/code"), "invalid_api_key");
    EXPECT_FALSE(JsonStrAt(body, "/error/message").empty());
    EXPECT_TRUE(JsonAt(body, "/error/param").is_null());
    EXPECT_FALSE(JsonStrAt(body, "/error/doc_url").empty());
  }
  const HttpResponse unknown = client().Get("/v2/nothing", Auth());
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(ErrorCode(unknown), "invalid_url");
}

TEST_F(FintocTransfersTest, VectorAIsAcceptedEndToEndAndItsNonceOnlyOnce) {
  FintocConfig config = DefaultConfig();
  config.account_id = "acc_M8sKf230BgHjD4";  // the vector's account
  StartSandbox(config);
  clock_.Set(absl::FromUnixSeconds(kJwsVectorTs));
  HeaderList headers = Auth();
  headers.emplace_back("Fintoc-JWS-Signature", kJwsVectorB);
  // One extra space: the signature no longer covers the body (and the nonce is not spent).
  HttpResponse response =
      client().Post("/v2/transfers", absl::StrCat(kJwsVectorBody, " "), headers);
  EXPECT_EQ(response.status, 401) << response.body;
  EXPECT_EQ(ErrorCode(response), "invalid_jws_signature");
  EXPECT_EQ(JsonStrAt(JsonBody(response), "/error/type"), "authentication_error");

  headers.back().second = kJwsVectorA;
  response = client().Post("/v2/transfers", kJwsVectorBody, headers);
  ASSERT_EQ(response.status, 201) << response.body;
  const boost::json::value transfer = JsonBody(response);
  EXPECT_EQ(JsonAt(transfer, "/amount").as_int64(), 59013);
  EXPECT_EQ(JsonStr(transfer, "reference_id"), "150195");
  EXPECT_EQ(JsonStr(transfer, "comment"), "Pago de credito 10451");
  EXPECT_EQ(JsonStrAt(transfer, "/counterparty/institution/id"), "40014");

  // Vector B has the same nonce.
  headers.back().second = kJwsVectorB;
  response = client().Post("/v2/transfers", kJwsVectorBody, headers);
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(ErrorCode(response), "jws_nonce_already_used");
  EXPECT_EQ(StateCount("/outbound_created"), 1);
  EXPECT_EQ(StateCount("/jws_rejected"), 2);
}

TEST_F(FintocTransfersTest, JwsIsRequiredFreshAndWellFormed) {
  const std::string body = TransferBody(100);
  HttpResponse response = client().Post("/v2/transfers", body, Auth());
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(ErrorCode(response), "missing_jws_signature_header");

  HeaderList headers = Auth();
  headers.emplace_back("Fintoc-JWS-Signature", Sign(body));
  clock_.Advance(absl::Seconds(121));  // the signature is now stale
  response = client().Post("/v2/transfers", body, headers);
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(ErrorCode(response), "invalid_jws_signature_timestamp");

  headers.back().second = "abc";
  response = client().Post("/v2/transfers", body, headers);
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(ErrorCode(response), "invalid_jws_signature_header");

  // A header signed for another body.
  headers.back().second = Sign(TransferBody(101));
  response = client().Post("/v2/transfers", body, headers);
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(ErrorCode(response), "invalid_jws_signature");

  EXPECT_EQ(StateCount("/transfers_created"), 0);
  EXPECT_EQ(StateCount("/jws_rejected"), 4);
}

TEST_F(FintocTransfersTest, CreateReturns201PendingAndReplaysIdempotently) {
  const std::string body = TransferBody(
      50000, "012969123456789127",
      R"(,"comment":"Test payment","reference_id":"123456","metadata":{"payout_id":"p-1"})");
  const HttpResponse first = PostSigned("/v2/transfers", body, "payout-p-1");
  ASSERT_EQ(first.status, 201) << first.body;
  const boost::json::value transfer = JsonBody(first);
  EXPECT_EQ(JsonStr(transfer, "object"), "transfer");
  EXPECT_EQ(JsonStr(transfer, "id").substr(0, 3), "tr_");
  EXPECT_EQ(JsonStr(transfer, "status"), "pending");
  EXPECT_EQ(JsonStr(transfer, "direction"), "outbound");
  EXPECT_EQ(JsonStr(transfer, "mode"), "test");
  EXPECT_EQ(JsonStr(transfer, "currency"), "MXN");
  EXPECT_EQ(JsonAt(transfer, "/amount").as_int64(), 50000);
  const std::string tracking_key = JsonStr(transfer, "tracking_key");
  EXPECT_EQ(tracking_key.size(), 30u);
  EXPECT_EQ(tracking_key.substr(8, 5), "90735");
  EXPECT_TRUE(JsonAt(transfer, "/post_date").is_null());
  EXPECT_TRUE(JsonAt(transfer, "/receipt_url").is_null());
  EXPECT_TRUE(JsonAt(transfer, "/return_reason").is_null());
  EXPECT_EQ(JsonStrAt(transfer, "/metadata/payout_id"), "p-1");
  EXPECT_EQ(JsonStrAt(transfer, "/counterparty/account_number"), "012969123456789127");
  EXPECT_EQ(JsonStrAt(transfer, "/counterparty/institution/id"), "40012");
  EXPECT_EQ(JsonStrAt(transfer, "/counterparty/institution/country"), "mx");
  EXPECT_EQ(JsonStrAt(transfer, "/account_number/number"), config_.root_account_number);
  EXPECT_EQ(StateCount("/account_balance"), 1'000'000'000 - 50000);

  // Retry: same key, same body, a fresh signature (a reused one would be refused).
  const HttpResponse replay = PostSigned("/v2/transfers", body, "payout-p-1");
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body, first.body);
  EXPECT_EQ(StateCount("/outbound_created"), 1);
  EXPECT_EQ(StateCount("/idempotent_replays"), 1);
  EXPECT_EQ(StateCount("/account_balance"), 1'000'000'000 - 50000);

  // Same key, other parameters.
  const HttpResponse mismatch = PostSigned("/v2/transfers", TransferBody(50001), "payout-p-1");
  EXPECT_EQ(mismatch.status, 409) << mismatch.body;
  EXPECT_EQ(ErrorCode(mismatch), "invalid_idempotency_key");
  // A replay still needs a valid JWS: authentication comes first and is never saved.
  HeaderList unsigned_headers = Auth();
  unsigned_headers.emplace_back("Idempotency-Key", "payout-p-1");
  EXPECT_EQ(client().Post("/v2/transfers", body, unsigned_headers).status, 401);
  EXPECT_EQ(PostSigned("/v2/transfers", body, std::string(256, 'k')).status, 400);

  const HttpResponse read =
      client().Get(absl::StrCat("/v2/transfers/", JsonStr(transfer, "id")), Auth());
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.body, first.body);
  EXPECT_EQ(client().Get("/v2/transfers/tr_missing", Auth()).status, 404);
}

TEST_F(FintocTransfersTest, ValidationErrorsUseFintocCodesAndAreSaved) {
  struct Case {
    std::string body;
    int status;
    std::string code;
    std::string param;
  };
  const std::string account = config_.account_id;
  const Case cases[] = {
      {TransferBody(0), 400, "invalid_amount", "amount"},
      {absl::StrCat(R"({"amount":"500","currency":"MXN","account_id":")", account,
                    R"(","counterparty":{"account_number":"014180655091438298"}})"),
       400, "invalid_amount", "amount"},
      {absl::StrCat(R"({"amount":5.5,"currency":"MXN","account_id":")", account,
                    R"(","counterparty":{"account_number":"014180655091438298"}})"),
       400, "invalid_amount", "amount"},
      {absl::StrCat(R"({"currency":"MXN","account_id":")", account,
                    R"(","counterparty":{"account_number":"014180655091438298"}})"),
       400, "missing_parameter", "amount"},
      {absl::StrCat(R"({"amount":100,"currency":"usd","account_id":")", account,
                    R"(","counterparty":{"account_number":"014180655091438298"}})"),
       400, "invalid_currency", "currency"},
      {absl::StrCat(R"({"amount":100,"currency":"CLP","account_id":")", account,
                    R"(","counterparty":{"account_number":"014180655091438298"}})"),
       400, "currency_mismatch", "currency"},
      {TransferBody(100, "738969123456789120"), 400, "invalid_account_number",
       "counterparty.account_number"},
      {absl::StrCat(R"({"amount":100,"currency":"MXN","account_id":")", account, R"("})"), 400,
       "missing_parameter", "counterparty"},
      {TransferBody(100, "014180655091438298",
                    absl::StrCat(R"(,"comment":")", std::string(41, 'c'), R"(")")),
       400, "invalid_comment_size", "comment"},
      {TransferBody(100, "014180655091438298", R"(,"reference_id":"0123")"), 400,
       "invalid_reference_id", "reference_id"},
      {TransferBody(100, "014180655091438298", R"(,"reference_id":"12345678")"), 400,
       "invalid_reference_id_size", "reference_id"},
      {TransferBody(100, "014180655091438298", R"(,"metadata":[1])"), 400, "invalid_metadata",
       "metadata"},
      {R"({"amount":100,"currency":"MXN","account_id":"acc_nope","counterparty":{"account_number":"014180655091438298"}})",
       404, "missing_resource", "account_id"},
      {"{broken", 400, "invalid_json", ""},
  };
  for (const Case& c : cases) {
    const HttpResponse response = PostSigned("/v2/transfers", c.body);
    EXPECT_EQ(response.status, c.status) << c.body << " -> " << response.body;
    EXPECT_EQ(ErrorCode(response), c.code) << c.body;
    EXPECT_EQ(JsonStrAt(JsonBody(response), "/error/param"), c.param) << c.body;
  }
  // Lower-case currency, a 40-character comment and a 7-digit reference are fine.
  EXPECT_EQ(
      PostSigned(
          "/v2/transfers",
          absl::StrCat(
              R"({"amount":100,"currency":"mxn","account_id":")", account, R"(","comment":")",
              std::string(40, 'c'),
              R"(","reference_id":"9999999","counterparty":{"account_number":"014180655091438298"}})"))
          .status,
      201);
  // An error is saved under its key like a success.
  const HttpResponse error = PostSigned("/v2/transfers", TransferBody(0), "bad-amount-key");
  const HttpResponse again = PostSigned("/v2/transfers", TransferBody(0), "bad-amount-key");
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.body, error.body);
  EXPECT_EQ(StateCount("/idempotent_replays"), 1);
  EXPECT_EQ(StateCount("/outbound_created"), 1);
}

TEST_F(FintocTransfersTest, InsufficientBalanceIsAConflict) {
  const HttpResponse account = client().Post(
      "/v2/accounts",
      absl::StrCat(R"({"entity_id":")", config_.entity_id, R"(","description":"empty"})"), Auth());
  ASSERT_EQ(account.status, 201) << account.body;
  const std::string empty_account = JsonStr(JsonBody(account), "id");
  EXPECT_EQ(JsonAt(JsonBody(account), "/available_balance").as_int64(), 0);
  EXPECT_TRUE(IsValidClabe(JsonStr(JsonBody(account), "root_account_number")));
  const HttpResponse response =
      PostSigned("/v2/transfers",
                 absl::StrCat(R"({"amount":1,"currency":"MXN","account_id":")", empty_account,
                              R"(","counterparty":{"account_number":"014180655091438298"}})"));
  EXPECT_EQ(response.status, 409) << response.body;
  EXPECT_EQ(ErrorCode(response), "insufficient_balance");
}

TEST_F(FintocTransfersTest, MalformedBodiesGetFintocErrorsNotCrashes) {
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  const std::string bodies[] = {"",
                                "null",
                                "[]",
                                "{",
                                "\xff\xfe\x00",
                                deep,
                                R"({"amount":1e400})",
                                R"({"amount":18446744073709551615,"currency":"MXN"})",
                                R"({"account_id":7,"amount":1,"currency":"MXN","counterparty":[]})",
                                R"({"transfer_id":{"$ne":null}})"};
  const std::string paths[] = {"/v2/transfers", "/v2/transfers/return",
                               "/v2/simulate/receive_transfer", "/v2/account_numbers",
                               "/v2/accounts"};
  for (const std::string& path : paths) {
    for (const std::string& body : bodies) {
      const HttpResponse response = PostSigned(path, body);
      EXPECT_GE(response.status, 400) << path << " " << body.substr(0, 40);
      EXPECT_LT(response.status, 500)
          << path << " " << body.substr(0, 40) << " -> " << response.body;
      EXPECT_FALSE(ErrorCode(response).empty()) << path << " -> " << response.body;
    }
  }
  // Garbage signature headers are 401s too.
  for (const std::string& header : {std::string("...."), std::string(3000, '.'),
                                    std::string(3000, '['), std::string("a.b.c")}) {
    const HttpResponse response =
        client().Post("/v2/transfers", TransferBody(1),
                      {{"Authorization", config_.secret_key}, {"Fintoc-JWS-Signature", header}});
    EXPECT_EQ(response.status, 401) << response.body;
    EXPECT_EQ(JsonStrAt(JsonBody(response), "/error/type"), "authentication_error");
  }
  // Headers HTTP itself cannot carry get a plain 400 / 431 from the server, not a hang up.
  EXPECT_EQ(client()
                .Post("/v2/transfers", TransferBody(1),
                      {{"Authorization", config_.secret_key},
                       {"Fintoc-JWS-Signature", std::string("\x01\x02.\x03")}})
                .status,
            400);
  EXPECT_EQ(client()
                .Post("/v2/transfers", TransferBody(1),
                      {{"Authorization", config_.secret_key},
                       {"Fintoc-JWS-Signature", std::string(20000, 'a')}})
                .status,
            431);
  EXPECT_EQ(client().Get("/v2/accounts", Auth()).status, 200);
}

}  // namespace
}  // namespace sandbox
