// Translation tests from the recorded and documented JSON of docs/providers/monato.md.
#include "providers/monato/monato_messages.h"

#include "gtest/gtest.h"
#include "providers/common/json_fields.h"
#include "providers/monato/monato_time.h"

namespace providers::monato {
namespace {

boost::json::object Json(const char* text) {
  auto object = ParseJsonObject(text);
  EXPECT_TRUE(object.ok()) << text;
  return object.ok() ? *object : boost::json::object();
}

PayoutOrder Order(int64_t amount_minor) {
  PayoutOrder order;
  order.request.mutable_amount()->set_amount_minor(amount_minor);
  order.request.mutable_amount()->set_currency("MXN");
  order.request.set_description("lorem ipsum dolor sit amet");
  order.request.set_numeric_reference(1234567);
  return order;
}

TEST(MonatoMessagesTest, MoneyOutBodyIsTheSeedShapeWithExactAmounts) {
  EXPECT_EQ(MoneyOutBody("c2d1d1e3", "709448c3", "d3fdb481", Order(195)),
            R"({"client_id":"c2d1d1e3","source_instrument_id":"709448c3",)"
            R"("destination_instrument_id":"d3fdb481","transaction_request":)"
            R"({"external_reference":"1234567","description":"lorem ipsum dolor sit amet",)"
            R"("amount":"1.95","currency":"MXN"}})");
  EXPECT_NE(MoneyOutBody("c", "s", "d", Order(1)).find(R"("amount":"0.01")"), std::string::npos);
  EXPECT_NE(MoneyOutBody("c", "s", "d", Order(99999999999)).find(R"("amount":"999999999.99")"),
            std::string::npos);
  EXPECT_NE(MoneyOutBody("c", "s", "d", Order(500)).find(R"("amount":"5.00")"), std::string::npos);
}

TEST(MonatoMessagesTest, InstrumentBodies) {
  payments::v1::Counterparty clabe;
  clabe.set_clabe("014180655091438298");
  clabe.set_holder_name("Jon Snow");
  clabe.set_rfc("ND");
  auto body = Json(InstrumentBody("c1", "src-bank", "dst-bank", clabe, "gw").c_str());
  EXPECT_EQ(StringOr(body, "type"), "RECEIVER");
  const auto* detail = OptionalObject(body, "virtual_clabe");
  ASSERT_NE(detail, nullptr);
  EXPECT_EQ(StringOr(*detail, "clabe_number"), "014180655091438298");
  EXPECT_EQ(StringOr(*detail, "account_number"), "655091438298");
  EXPECT_EQ(StringOr(*detail, "destination_bank_id"), "dst-bank");

  payments::v1::Counterparty card;
  card.set_debit_card("5579072268574100");
  card.set_holder_name("Pedro Navajas Dos");
  card.set_rfc("XAXX010101000");
  auto card_body = Json(InstrumentBody("c1", "src", "dst", card, "Tarjeta").c_str());
  ASSERT_NE(OptionalObject(card_body, "debit_card"), nullptr);
  EXPECT_EQ(StringOr(*OptionalObject(card_body, "debit_card"), "card_number"), "5579072268574100");
  EXPECT_EQ(StringOr(card_body, "rfc"), "XAXX010101000");
}

// Found by fuzz/monato_reply_fuzzer: a CLABE shorter than 6 characters threw std::out_of_range
// (which ends the process) instead of giving a body Monato refuses.
TEST(MonatoMessagesTest, InstrumentBodyWithAShortClabeDoesNotThrow) {
  payments::v1::Counterparty short_clabe;
  short_clabe.set_clabe("0141");
  std::string text;
  ASSERT_NO_THROW(text = InstrumentBody("c1", "src", "dst", short_clabe, "gw"));
  auto body = Json(text.c_str());
  ASSERT_NE(OptionalObject(body, "virtual_clabe"), nullptr);
  EXPECT_EQ(StringOr(*OptionalObject(body, "virtual_clabe"), "account_number"), "");
}

TEST(MonatoMessagesTest, ParsesTheSeedMoneyOutReply) {
  auto payout = ParseTransaction(Json(R"({
    "id":"16811ee8-1111-2222-3333-444444444444","bankId":"b","clientId":"c",
    "externalReference":"1234567","trackingId":"20250306FINCHVLIKQ5SKUM",
    "description":"lorem ipsum dolor sit amet","amount":"1.95","currency":"MXN",
    "category":"DEBIT_TRANS","subCategory":"SPEI_DEBIT","transactionStatus":"INITIALIZED",
    "audit":{"createdAt":"2025-03-06 11:57:55.408000-06:00","updatedAt":"2025-03-06 11:57:55.408000-06:00",
             "deletedAt":"None","blockedAt":"None"}})"));
  ASSERT_TRUE(payout.ok()) << payout.status();
  EXPECT_EQ(payout->id(), "monato.payout.16811ee8-1111-2222-3333-444444444444");
  EXPECT_EQ(payout->status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(payout->provider_status(), "INITIALIZED");
  EXPECT_EQ(payout->amount().amount_minor(), 195);
  EXPECT_EQ(payout->tracking_key(), "20250306FINCHVLIKQ5SKUM");
  EXPECT_EQ(payout->numeric_reference(), 1234567u);
  EXPECT_EQ(payout->create_time().seconds(), 1741283875);  // 17:57:55Z
}

TEST(MonatoMessagesTest, MoneyIsStrictInReplies) {
  EXPECT_FALSE(
      ParseTransaction(Json(R"({"id":"x","transactionStatus":"INITIALIZED","amount":1.95})")).ok());
  EXPECT_FALSE(
      ParseTransaction(Json(R"({"id":"x","transactionStatus":"INITIALIZED","amount":"1.955"})"))
          .ok());
  EXPECT_FALSE(ParseTransaction(Json(R"({"id":"x","amount":"1.95"})")).ok());
  EXPECT_FALSE(
      ParseTransaction(Json(R"({"transactionStatus":"INITIALIZED","amount":"1.95"})")).ok());
  auto big = ParseTransaction(
      Json(R"({"id":"x","transactionStatus":"LIQUIDATED","amount":"999999999.99"})"));
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->amount().amount_minor(), 99999999999);
  EXPECT_EQ(big->status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
}

TEST(MonatoMessagesTest, StatusesMapIntoTheUnifiedEnum) {
  EXPECT_EQ(MapTransactionStatus("INITIALIZED"), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(MapTransactionStatus("LIQUIDATED"), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ(MapTransactionStatus("REJECTED"), payments::v1::PAYOUT_STATUS_REJECTED);
  EXPECT_EQ(MapTransactionStatus("REFUNDED"), payments::v1::PAYOUT_STATUS_RETURNED);
  EXPECT_EQ(MapTransactionStatus("liquidated"), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ(MapTransactionStatus("SOMETHING_NEW"), payments::v1::PAYOUT_STATUS_UNKNOWN);
}

TEST(MonatoMessagesTest, ParsesThePrivateAccountOfTheSeed) {
  auto account = ParseAccount(Json(R"({"id":"a1","bankId":"b","clientId":"c","instrumentId":"i1",
    "ownerType":"CLIENT","accountNumber":"000001233635","clabeNumber":"734180000001233635",
    "availableBalance":"0.00","accountType":"PRIVATE_ACCOUNT","accountStatus":"ACTIVE"})"));
  ASSERT_TRUE(account.ok()) << account.status();
  EXPECT_EQ(account->id(), "monato.acct.a1");
  EXPECT_EQ(account->kind(), payments::v1::ACCOUNT_KIND_PRIVATE);
  EXPECT_EQ(account->clabe(), "734180000001233635");
  EXPECT_EQ(account->available_balance().amount_minor(), 0);
  auto rich =
      ParseAccount(Json(R"({"id":"a2","availableBalance":"10000000.00","accountType":"None"})"));
  ASSERT_TRUE(rich.ok());
  EXPECT_EQ(rich->available_balance().amount_minor(), 1000000000);
  EXPECT_EQ(rich->kind(), payments::v1::ACCOUNT_KIND_MAIN);
}

TEST(MonatoMessagesTest, AllThreePaginationEnvelopes) {
  auto banks =
      ParsePage(R"({"total_banks":120,"page":1,"page_size":50,"banks":[{"id":"b1"}]})", "banks");
  ASSERT_TRUE(banks.ok());
  EXPECT_EQ(banks->total_items, 120);
  EXPECT_TRUE(banks->HasNext());
  auto accounts =
      ParsePage(R"({"currentPage":1,"perPage":50,"totalItem":1,"data":[{"id":"a"}]})", "data");
  ASSERT_TRUE(accounts.ok());
  EXPECT_EQ(accounts->total_items, 1);
  EXPECT_FALSE(accounts->HasNext());
  auto instruments =
      ParsePage(R"({"data":[{"id":"i"}],"currentPage":2,"perPage":1,"totalItems":17})", "data");
  ASSERT_TRUE(instruments.ok());
  EXPECT_EQ(instruments->page, 2);
  EXPECT_TRUE(instruments->HasNext());
  EXPECT_FALSE(ParsePage("<html>", "data").ok());
  EXPECT_FALSE(ParsePage(R"({"data":"x"})", "data").ok());
}

// Found by the monato_reply_fuzzer: a page number times the page size overflowed int64 in
// HasNext (undefined behaviour). Page counters outside any real listing are refused as unreadable.
TEST(MonatoMessagesTest, PageCountersOutsideAnyRealListingAreRefused) {
  EXPECT_FALSE(ParsePage(R"({"data":[],"currentPage":555555555555555551,"perPage":50,)"
                         R"("totalItems":10})",
                         "data")
                   .ok());
  EXPECT_FALSE(ParsePage(R"({"data":[],"currentPage":1,"perPage":9223372036854775807,)"
                         R"("totalItems":10})",
                         "data")
                   .ok());
  EXPECT_FALSE(ParsePage(R"({"data":[],"currentPage":-3,"perPage":50})", "data").ok());
  EXPECT_FALSE(ParsePage(R"({"data":[],"currentPage":1,"perPage":-1})", "data").ok());
  EXPECT_FALSE(
      ParsePage(R"({"data":[],"currentPage":1,"perPage":5,"totalItems":-7})", "data").ok());
  auto last = ParsePage(R"({"data":[{"id":"a"}],"currentPage":100000,"perPage":1000,)"
                        R"("totalItems":100000000})",
                        "data");
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_FALSE(last->HasNext());
}

TEST(MonatoMessagesTest, BanksAndInstruments) {
  auto bank = ParseBank(Json(R"({"id":"uuid-1","code":"40012","name":"BBVA MEXICO"})"));
  ASSERT_TRUE(bank.ok());
  EXPECT_EQ(bank->banxico_code, "40012");
  auto instrument =
      ParseInstrument(Json(R"({"id":"i1","instrumentDetail":{"cardNumber":"5579072268574100",
    "expirationDate":"None","holderName":"Pedro Navajas Dos"}})"));
  ASSERT_TRUE(instrument.ok());
  EXPECT_EQ(instrument->account_number, "5579072268574100");
  EXPECT_FALSE(ParseInstrument(Json(R"({"id":"None"})")).ok());
}

TEST(MonatoMessagesTest, ErrorsMapToPreciseCodes) {
  const char* data_error = R"({"code":3,"message":"Transaction Amount must be higher than 0.",
    "details":[{"reason":"DATA_ERROR","domain":"fincore","metadata":{"http_code":"400"}}]})";
  EXPECT_EQ(ErrorFromReply(400, data_error).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorFromReply(409, R"({"message":"operation_in_progress"})").code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(ErrorFromReply(409, R"({"details":[{"reason":"operation_in_progress"}]})").code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(ErrorFromReply(409, R"({"message":"Idempotency key reused"})").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorFromReply(400, R"({"message":"FAILED_PRECONDITION: Insufficient funds"})").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorFromReply(401, "").code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ErrorFromReply(404, "{}").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ErrorFromReply(429, "{}").code(), absl::StatusCode::kResourceExhausted);
  const absl::Status html = ErrorFromReply(502, "<html><body>Bad gateway</body></html>");
  EXPECT_EQ(html.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(std::string(html.message()).find("<html>"), std::string::npos);
  EXPECT_EQ(ErrorFromReply(500, R"({"message":"Instrument not found"})").code(),
            absl::StatusCode::kUnavailable);
}

TEST(MonatoTimeTest, EveryDocumentedShape) {
  const int64_t expected = 1741281419;  // 2025-03-06T17:16:59Z
  EXPECT_EQ(absl::ToUnixSeconds(*ParseMonatoTime("2025-03-06 11:16:59.491631")), expected);
  EXPECT_EQ(absl::ToUnixSeconds(*ParseMonatoTime("2025-03-06 11:16:59.491631-06:00")), expected);
  EXPECT_EQ(absl::ToUnixSeconds(*ParseMonatoTime("2025-03-06T17:16:59Z")), expected);
  EXPECT_EQ(absl::ToUnixSeconds(*ParseMonatoTime("2025-03-06T11:16:59.161000")), expected);
  EXPECT_TRUE(ParseMonatoTime("20250402").has_value());
  EXPECT_TRUE(ParseMonatoTime("2025-04-02").has_value());
  EXPECT_FALSE(ParseMonatoTime("None").has_value());
  EXPECT_FALSE(ParseMonatoTime("yesterday").has_value());
}

}  // namespace
}  // namespace providers::monato
