// Translation tests from the recorded and documented JSON of docs/providers/fintoc.md.
#include "providers/fintoc/fintoc_messages.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "providers/common/json_fields.h"
#include "providers/fintoc/testing/jws_test_util.h"
#include "vocabulary/error_details.h"

namespace providers::fintoc {
namespace {

boost::json::object Json(const char* text) {
  auto object = ParseJsonObject(text);
  EXPECT_TRUE(object.ok()) << text;
  return object.ok() ? *object : boost::json::object();
}

// The transfer of the JWS vector (docs/providers/fintoc.md#test-vectors).
PayoutOrder VectorOrder() {
  PayoutOrder order;
  auto& request = order.request;
  request.mutable_amount()->set_amount_minor(59013);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe("014180655091438298");
  request.mutable_counterparty()->set_institution_code("40014");
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.mutable_counterparty()->set_rfc("ND");
  request.set_description("Pago de credito 10451");
  request.set_numeric_reference(150195);
  order.source_account_native_id = "acc_M8sKf230BgHjD4";
  return order;
}

// Recorded by fintoc-ruby: `_transfers/_create/returns_a_Transfer_instance.yml`
// (docs/providers/fintoc.md#transfers).
constexpr char kRecordedCreateReply[] = R"({
  "object":"transfer","id":"tr_329NGN1M4If6VvcMRALv4gjAQJx","amount":50000,"currency":"MXN",
  "direction":"outbound","status":"pending","transaction_date":"2025-09-02T15:58:51Z",
  "post_date":null,"comment":"Test payment","reference_id":"123456",
  "tracking_key":"202509029073500000000000000006","receipt_url":null,"mode":"test",
  "counterparty":{"holder_id":"LFHU290523OG0","holder_name":"Jon Snow",
                  "account_number":"735969000000203297","account_type":"clabe",
                  "institution":{"id":"90735","name":"FINTOC","country":"mx"}},
  "account_number":{"id":"acno_31yYL5uOb39vzvRIszPhoXYMjt4",
                    "account_id":"acc_31yYL7h9LVPg121AgFtCyJPDsgM",
                    "number":"735969000000203297","mode":"test","status":"enabled",
                    "is_root":true,"object":"account_number"},
  "metadata":{},"return_reason":null})";

TEST(FintocMessagesTest, TransferBodyIsTheVectorBodyByteForByte) {
  const std::string body = TransferBody(VectorOrder(), "acc_M8sKf230BgHjD4");
  EXPECT_EQ(body, jws_testing::kVectorBody);
  EXPECT_EQ(body.size(), 180u);
}

TEST(FintocMessagesTest, CardTransferNamesTheInstitutionAndType) {
  PayoutOrder order = VectorOrder();
  order.request.mutable_counterparty()->set_debit_card("5579072268574100");
  order.request.mutable_counterparty()->set_institution_code("40012");
  order.request.set_numeric_reference(0);
  (*order.request.mutable_metadata())["z_last"] = "2";
  (*order.request.mutable_metadata())["a_first"] = "1";
  EXPECT_EQ(TransferBody(order, "acc_1"),
            R"({"amount":59013,"currency":"MXN","account_id":"acc_1",)"
            R"("comment":"Pago de credito 10451","counterparty":{"account_number":)"
            R"("5579072268574100","institution_id":"40012","account_type":"debit_card"},)"
            R"("metadata":{"a_first":"1","z_last":"2"}})");
}

TEST(FintocMessagesTest, OtherBodies) {
  EXPECT_EQ(ReturnBody("tr_1"), R"({"transfer_id":"tr_1"})");
  google::protobuf::Map<std::string, std::string> metadata;
  metadata["customer"] = "c-9";
  EXPECT_EQ(AccountNumberBody("acc_1", "Payins", metadata),
            R"({"account_id":"acc_1","description":"Payins","metadata":{"customer":"c-9"}})");
}

TEST(FintocMessagesTest, ParsesTheRecordedCreateReply) {
  auto payout = ParseTransfer(Json(kRecordedCreateReply));
  ASSERT_TRUE(payout.ok()) << payout.status();
  EXPECT_EQ(payout->id(), "fintoc.payout.tr_329NGN1M4If6VvcMRALv4gjAQJx");
  EXPECT_EQ(payout->provider(), payments::v1::PROVIDER_FINTOC);
  EXPECT_EQ(payout->provider_payout_id(), "tr_329NGN1M4If6VvcMRALv4gjAQJx");
  EXPECT_EQ(payout->status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(payout->provider_status(), "pending");
  EXPECT_EQ(payout->amount().amount_minor(), 50000);
  EXPECT_EQ(payout->amount().currency(), "MXN");
  EXPECT_EQ(payout->tracking_key(), "202509029073500000000000000006");
  EXPECT_EQ(payout->description(), "Test payment");
  EXPECT_EQ(payout->numeric_reference(), 123456u);
  EXPECT_EQ(payout->counterparty().clabe(), "735969000000203297");
  EXPECT_EQ(payout->counterparty().institution_code(), "90735");
  EXPECT_EQ(payout->counterparty().holder_name(), "Jon Snow");
  EXPECT_EQ(payout->source_account_id(), "fintoc.acct.acc_31yYL7h9LVPg121AgFtCyJPDsgM");
  EXPECT_EQ(payout->status_reason(), "");
  EXPECT_EQ(payout->create_time().seconds(), 1756828731);  // 2025-09-02T15:58:51Z
}

TEST(FintocMessagesTest, StatusesMapWithoutGuessing) {
  using payments::v1::PayoutStatus;
  const std::vector<std::pair<std::string, PayoutStatus>> table = {
      {"pending", payments::v1::PAYOUT_STATUS_PENDING},
      {"succeeded", payments::v1::PAYOUT_STATUS_SUCCEEDED},
      {"failed", payments::v1::PAYOUT_STATUS_FAILED},
      {"rejected", payments::v1::PAYOUT_STATUS_REJECTED},
      {"returned", payments::v1::PAYOUT_STATUS_RETURNED},
      {"return_pending", payments::v1::PAYOUT_STATUS_PENDING},
      {"reject_failed", payments::v1::PAYOUT_STATUS_UNKNOWN},
      {"partially_succeeded", payments::v1::PAYOUT_STATUS_UNKNOWN},
      {"", payments::v1::PAYOUT_STATUS_UNKNOWN}};
  for (const auto& [fintoc, gateway] : table) {
    EXPECT_EQ(MapTransferStatus(fintoc), gateway) << fintoc;
  }
  auto returned = ParseTransfer(Json(R"({"id":"tr_1","status":"returned","amount":5,
    "currency":"mxn","return_reason":"canceled_account"})"));
  ASSERT_TRUE(returned.ok());
  EXPECT_EQ(returned->status(), payments::v1::PAYOUT_STATUS_RETURNED);
  EXPECT_EQ(returned->status_reason(), "canceled_account");
  EXPECT_EQ(returned->amount().currency(), "MXN");
  auto odd = ParseTransfer(Json(R"({"id":"tr_1","status":"on_hold","amount":5})"));
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_EQ(odd->provider_status(), "on_hold");
}

TEST(FintocMessagesTest, AmountsMustBeExactIntegers) {
  for (const char* amount : {"500.0", "500.5", "\"50000\"", "null", "5e4"}) {
    const std::string text =
        absl::StrCat(R"({"id":"tr_1","status":"pending","amount":)", amount, "}");
    EXPECT_FALSE(ParseTransfer(Json(text.c_str())).ok()) << amount;
  }
  EXPECT_FALSE(ParseTransfer(Json(R"({"id":"tr_1","status":"pending"})")).ok());
  EXPECT_FALSE(ParseTransfer(Json(R"({"status":"pending","amount":1})")).ok());
  EXPECT_FALSE(ParseTransfer(Json(R"({"id":"tr_1","amount":1})")).ok());
  EXPECT_FALSE(ParseAccount(Json(R"({"id":"acc_1","available_balance":219600.00})")).ok());
  EXPECT_EQ(ParseTransfer(Json(R"({"id":"tr_1","status":"pending","amount":99999999999})"))
                ->amount()
                .amount_minor(),
            99999999999);
}

TEST(FintocMessagesTest, ReturnsOnlyWholeInboundTransfers) {
  payments::v1::Money requested;
  requested.set_amount_minor(50000);
  requested.set_currency("MXN");
  const auto inbound = Json(R"({"id":"tr_in","direction":"inbound","status":"succeeded",
    "amount":50000,"currency":"MXN"})");
  EXPECT_TRUE(CheckReturnable(inbound, requested).ok());

  requested.set_amount_minor(49999);
  auto partial = CheckReturnable(inbound, requested);
  ASSERT_EQ(gateway::FieldViolationsOf(partial).size(), 1u) << partial;
  EXPECT_EQ(gateway::FieldViolationsOf(partial)[0].field(), "amount.amount_minor");

  requested.set_amount_minor(50000);
  auto outbound = CheckReturnable(Json(kRecordedCreateReply), requested);
  ASSERT_EQ(gateway::FieldViolationsOf(outbound).size(), 1u) << outbound;
  EXPECT_EQ(gateway::FieldViolationsOf(outbound)[0].field(), "transaction_id");

  auto refund = ParseReturn(Json(R"({"id":"tr_in","direction":"inbound",
    "status":"return_pending","amount":50000,"currency":"MXN"})"),
                            "fintoc.txn.tr_in");
  ASSERT_TRUE(refund.ok()) << refund.status();
  EXPECT_EQ(refund->id(), "fintoc.refund.tr_in");
  EXPECT_EQ(refund->transaction_id(), "fintoc.txn.tr_in");
  EXPECT_EQ(refund->status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(refund->provider_status(), "return_pending");
  EXPECT_EQ(refund->amount().amount_minor(), 50000);
}

TEST(FintocMessagesTest, ParsesTheRecordedAccountAndAnAccountNumber) {
  auto account = ParseAccount(Json(R"({"id":"acc_31yYL7h9LVPg121AgFtCyJPDsgM",
    "object":"account","mode":"test","root_account_number":"735969000000203297",
    "is_root":false,"root_account_number_id":"acno_31yYL5uOb39vzvRIszPhoXYMjt4",
    "available_balance":21960000,"currency":"MXN",
    "entity":{"id":"ent_1","holder_name":"Fintoc","holder_id":"ND","is_root":true},
    "description":"Test account","status":"active"})"));
  ASSERT_TRUE(account.ok()) << account.status();
  EXPECT_EQ(account->id(), "fintoc.acct.acc_31yYL7h9LVPg121AgFtCyJPDsgM");
  EXPECT_EQ(account->kind(), payments::v1::ACCOUNT_KIND_MAIN);
  EXPECT_EQ(account->clabe(), "735969000000203297");
  EXPECT_EQ(account->available_balance().amount_minor(), 21960000);
  EXPECT_EQ(account->available_balance().currency(), "MXN");
  EXPECT_EQ(account->status(), "active");
  EXPECT_EQ(account->description(), "Test account");

  auto number = ParseAccountNumber(Json(R"({"id":"acno_Kasf91034gj1AD",
    "object":"account_number","account_id":"acc_Lq7dP901xZgA2B","description":"My payins",
    "is_root":false,"metadata":{"order_id":"12343212"},"mode":"test",
    "number":"738969123456789126","status":"enabled"})"));
  ASSERT_TRUE(number.ok()) << number.status();
  EXPECT_EQ(number->id(), "fintoc.acct.acno_Kasf91034gj1AD");
  EXPECT_EQ(number->kind(), payments::v1::ACCOUNT_KIND_ACCOUNT_NUMBER);
  EXPECT_EQ(number->parent_account_id(), "fintoc.acct.acc_Lq7dP901xZgA2B");
  EXPECT_EQ(number->clabe(), "738969123456789126");
  EXPECT_EQ(number->status(), "enabled");
}

TEST(FintocMessagesTest, ListsAreBareArrays) {
  auto items = ParseList(R"([{"id":"tr_1"},{"id":"tr_2"}])");
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(items->size(), 2u);
  EXPECT_TRUE(ParseList("[]").ok());
  EXPECT_FALSE(ParseList(R"({"data":[]})").ok());
  EXPECT_FALSE(ParseList(R"([1])").ok());
  EXPECT_FALSE(ParseList("<html>").ok());
}

TEST(FintocMessagesTest, LinkHeaderNext) {
  EXPECT_EQ(ParseLinkNext(
                R"(<https://api.fintoc.com/v2/transfers?starting_after=tr_12334567>; rel="next")"),
            "https://api.fintoc.com/v2/transfers?starting_after=tr_12334567");
  EXPECT_EQ(ParseLinkNext(R"(<https://a.test/v1/x?page=1>; rel="prev", )"
                          R"(<https://a.test/v1/x?page=3>; rel="next", )"
                          R"(<https://a.test/v1/x?page=9>; rel="last")"),
            "https://a.test/v1/x?page=3");
  EXPECT_EQ(ParseLinkNext(R"(<https://a.test/v2/x?a=1,2>;rel=next)"), "https://a.test/v2/x?a=1,2");
  EXPECT_EQ(ParseLinkNext(R"(  <https://a.test/n> ;  REL = "Next"  )"), "https://a.test/n");
  EXPECT_EQ(ParseLinkNext(R"(<https://a.test/n>; title="x"; rel="next prefetch")"),
            "https://a.test/n");
  // The malformed doc example: no '>'.
  EXPECT_EQ(
      ParseLinkNext(R"(<https://api.fintoc.com/v2/transfers?starting_after=tr_1; rel="next")"),
      "https://api.fintoc.com/v2/transfers?starting_after=tr_1");
  // Last page.
  EXPECT_EQ(ParseLinkNext(""), "");
  EXPECT_EQ(ParseLinkNext("   "), "");
  EXPECT_EQ(ParseLinkNext(R"(<https://a.test/p>; rel="prev")"), "");
  EXPECT_EQ(ParseLinkNext(R"(https://a.test/n; rel="next")"), "");
  EXPECT_EQ(ParseLinkNext(R"(<>; rel="next")"), "");
  EXPECT_EQ(ParseLinkNext("<https://a.test/n"), "");
}

struct ErrorCase {
  int http_status;
  std::string body;
  absl::StatusCode code;
  std::string reason;
};

TEST(FintocMessagesTest, ErrorMappingTable) {
  auto error = [](const std::string& type, const std::string& code) {
    return absl::StrCat(R"({"error":{"type":")", type, R"(","code":")", code,
                        R"(","message":"m","param":null,"doc_url":"https://docs.fintoc.com"}})");
  };
  std::vector<ErrorCase> cases = {
      {400, error("invalid_request_error", "missing_parameter"), absl::StatusCode::kInvalidArgument,
       "FINTOC_MISSING_PARAMETER"},
      {401, error("authentication_error", "invalid_api_key"), absl::StatusCode::kUnauthenticated,
       "FINTOC_INVALID_API_KEY"},
      {403, error("invalid_request_error", "allowed_cidr_blocks_does_not_contain_ip"),
       absl::StatusCode::kPermissionDenied, "FINTOC_ALLOWED_CIDR_BLOCKS_DOES_NOT_CONTAIN_IP"},
      {404, error("invalid_request_error", "missing_resource"), absl::StatusCode::kNotFound,
       "FINTOC_MISSING_RESOURCE"},
      {409, error("invalid_request_error", "insufficient_balance"),
       absl::StatusCode::kFailedPrecondition, "FINTOC_INSUFFICIENT_BALANCE"},
      {409, error("invalid_request_error", "invalid_transfer_status"),
       absl::StatusCode::kFailedPrecondition, "FINTOC_INVALID_TRANSFER_STATUS"},
      {422, error("invalid_request_error", "sender_blocked_account"),
       absl::StatusCode::kFailedPrecondition, "FINTOC_SENDER_BLOCKED_ACCOUNT"},
      {429, error("api_error", "rate_limit_exceeded"), absl::StatusCode::kResourceExhausted,
       "FINTOC_RATE_LIMIT_EXCEEDED"},
      {500, error("api_error", "internal_server_error"), absl::StatusCode::kUnavailable,
       "FINTOC_INTERNAL_SERVER_ERROR"},
      {502, "<html><body>502 Bad Gateway</body></html>", absl::StatusCode::kUnavailable,
       "FINTOC_HTTP_502"},
      {503, "", absl::StatusCode::kUnavailable, "FINTOC_HTTP_503"},
  };
  for (const char* jws :
       {"missing_active_jws_public_key", "invalid_jws_signature_algorithm",
        "invalid_jws_signature_header", "invalid_jws_signature_nonce",
        "invalid_jws_signature_timestamp", "invalid_jws_signature_timestamp_format",
        "invalid_jws_signature_timestamp_value", "missing_jws_signature_header",
        "jws_nonce_already_used", "invalid_jws_ts"}) {
    cases.push_back({401, error("authentication_error", jws), absl::StatusCode::kUnauthenticated,
                     "FINTOC_" + absl::AsciiStrToUpper(jws)});
  }
  for (const ErrorCase& c : cases) {
    const absl::Status status = ErrorFromReply(c.http_status, c.body);
    EXPECT_EQ(status.code(), c.code) << c.http_status << " " << c.body;
    EXPECT_EQ(gateway::ReasonOf(status), c.reason) << c.http_status << " " << c.body;
  }
  // Each JWS refusal says what to look at.
  EXPECT_NE(ErrorFromReply(401, error("authentication_error", "jws_nonce_already_used"))
                .message()
                .find("sent twice"),
            absl::string_view::npos);
  EXPECT_NE(
      ErrorFromReply(401, error("authentication_error", "invalid_jws_ts")).message().find("clock"),
      absl::string_view::npos);
}

TEST(FintocMessagesTest, ErrorsNameTheFieldAndNeverEchoBodiesOrSecrets) {
  auto bad = ErrorFromReply(400, R"({"error":{"type":"invalid_request_error",
    "code":"invalid_comment_size","message":"Comment is too long","param":"comment"}})");
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(gateway::FieldViolationsOf(bad).size(), 1u);
  EXPECT_EQ(gateway::FieldViolationsOf(bad)[0].field(), "description");
  EXPECT_NE(bad.message().find("param comment"), absl::string_view::npos);
  EXPECT_EQ(gateway::ReasonOf(bad), "FINTOC_INVALID_COMMENT_SIZE");

  auto html = ErrorFromReply(502, "<html><script>secret()</script></html>");
  EXPECT_EQ(html.message().find("<html"), absl::string_view::npos);
  EXPECT_EQ(html.message().find("secret"), absl::string_view::npos);
  EXPECT_NE(html.message().find("not JSON"), absl::string_view::npos);

  auto echoed = ErrorFromReply(401, R"({"error":{"type":"authentication_error",
    "code":"invalid_api_key","message":"Invalid API key sk_live_9c8d8CeyBTx1VcJzuDgpm4H"}})");
  EXPECT_EQ(echoed.message().find("9c8d8CeyBTx1VcJzuDgpm4H"), absl::string_view::npos);
  EXPECT_NE(echoed.message().find("sk_***"), absl::string_view::npos);
}

}  // namespace
}  // namespace providers::fintoc
