#include "gateway/logging/masking.h"

#include <algorithm>
#include <string>

#include <boost/json/serialize.hpp>

#include "gateway/logging/json_log.h"
#include "gtest/gtest.h"
#include "proto/payments/v1/account_service.pb.h"
#include "proto/payments/v1/limits_service.pb.h"
#include "proto/payments/v1/payout_service.pb.h"

namespace gateway {
namespace {

TEST(MaskingTest, AccountNumbersNamesAndRfcNeverAppearWhole) {
  payments::v1::CreatePayoutRequest request;
  request.set_idempotency_key("order-42");
  request.mutable_counterparty()->set_clabe("012180026050783858");
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.mutable_counterparty()->set_rfc("LFHU290523OG0");
  request.mutable_amount()->set_amount_minor(195);
  const std::string json = boost::json::serialize(MaskedJson(request));
  EXPECT_EQ(json.find("012180026050783858"), std::string::npos) << json;
  EXPECT_EQ(json.find("Snow"), std::string::npos) << json;
  EXPECT_EQ(json.find("LFHU290523OG0"), std::string::npos) << json;
  EXPECT_NE(json.find("**************3858"), std::string::npos) << json;
  EXPECT_NE(json.find("order-42"), std::string::npos) << json;
  EXPECT_NE(json.find("\"195\""), std::string::npos) << json;  // int64 as a JSON string
  // The original is untouched.
  EXPECT_EQ(request.counterparty().clabe(), "012180026050783858");
}

TEST(MaskingTest, RepeatedMessagesAreMaskedToo) {
  payments::v1::ListAccountsResponse response;
  response.add_accounts()->set_clabe("735969000000203297");
  response.add_accounts()->set_account_number("000001233635");
  const std::string json = boost::json::serialize(MaskedJson(response));
  EXPECT_EQ(json.find("735969000000203297"), std::string::npos) << json;
  EXPECT_EQ(json.find("000001233635"), std::string::npos) << json;
  EXPECT_NE(json.find("3297"), std::string::npos) << json;
}

TEST(MaskingTest, TheDestinationAskedForInGetCallerLimitsIsMasked) {
  payments::v1::GetCallerLimitsRequest request;
  request.set_destination("012180026050783858");
  request.set_source_account_id("monato.acct.123");
  const std::string json = boost::json::serialize(MaskedJson(request));
  EXPECT_EQ(json.find("012180026050783858"), std::string::npos) << json;
  EXPECT_NE(json.find("**************3858"), std::string::npos) << json;
  EXPECT_NE(json.find("monato.acct.123"), std::string::npos) << json;
}

std::string* captured = nullptr;

TEST(JsonLogTest, WritesOneParsableLinePerCallAndHonoursTheLevel) {
  std::string lines;
  captured = &lines;
  SetLogSinkForTesting([](absl::string_view line) { captured->append(line.data(), line.size()); });
  SetMinLogLevel(LogLevel::kInfo);
  Log(LogLevel::kDebug, "hidden");
  Log(LogLevel::kInfo, "rpc",
      {{"method", "/payments.v1.PayoutService/CreatePayout"}, {"code", "OK"}});
  SetLogSinkForTesting(nullptr);
  EXPECT_EQ(lines.find("hidden"), std::string::npos);
  ASSERT_EQ(std::count(lines.begin(), lines.end(), '\n'), 1);
  EXPECT_NE(lines.find("\"event\":\"rpc\""), std::string::npos) << lines;
  EXPECT_NE(lines.find("\"level\":\"info\""), std::string::npos) << lines;
  LogLevel level;
  EXPECT_TRUE(ParseLogLevel("warning", &level));
  EXPECT_EQ(level, LogLevel::kWarning);
  EXPECT_FALSE(ParseLogLevel("loud", &level));
}

// The direct build must render exactly what protobuf's JSON printer renders (then parsed).
// The same text, keys in the same order; a map's keys come in no fixed order from the printer,
// so with a map only the same keys and values.
void ExpectSameAsPrinter(const google::protobuf::Message& message, bool has_map = false) {
  const boost::json::value direct = MaskedJson(message);
  const boost::json::value printed = MaskedJsonByPrinterForTesting(message);
  if (has_map) {
    EXPECT_EQ(direct, printed) << message.DebugString();
  } else {
    EXPECT_EQ(boost::json::serialize(direct), boost::json::serialize(printed))
        << message.DebugString();
  }
}

payments::v1::CreatePayoutRequest FullRequest() {
  payments::v1::CreatePayoutRequest request;
  request.set_idempotency_key("order-42 \"quoted\" \\ tab\t");
  request.set_source_account_id("monato.acct.m-1");
  request.set_provider(payments::v1::PROVIDER_MONATO);
  request.mutable_amount()->set_amount_minor(9'007'199'254'740'993);  // beyond a double
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe("012180026050783858");
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.mutable_counterparty()->set_rfc("LFHU290523OG0");
  request.set_description("Pago de c\xc3\xa1rgo \xe2\x82\xac");
  request.set_numeric_reference(1234567);
  return request;
}

TEST(MaskingTest, TheDirectRenderingIsThePrintersForEveryKindOfField) {
  ExpectSameAsPrinter(payments::v1::CreatePayoutRequest());
  ExpectSameAsPrinter(FullRequest());
  auto card = FullRequest();
  card.mutable_counterparty()->set_debit_card("");  // a oneof member set to its default
  ExpectSameAsPrinter(card);
  auto negative = FullRequest();
  negative.mutable_amount()->set_amount_minor(-5);
  negative.set_numeric_reference(0);
  ExpectSameAsPrinter(negative);
  // What the printer renders its own way goes to it: maps, an unknown enum number, a name
  // whose first byte alone is not UTF-8 once masked, well-known types.
  auto with_metadata = FullRequest();
  (*with_metadata.mutable_metadata())["b"] = "2";
  (*with_metadata.mutable_metadata())["a"] = "1";
  ExpectSameAsPrinter(with_metadata, /*has_map=*/true);
  auto unknown_enum = FullRequest();
  unknown_enum.set_provider(static_cast<payments::v1::Provider>(99));
  ExpectSameAsPrinter(unknown_enum);
  auto accented = FullRequest();
  accented.mutable_counterparty()->set_holder_name("\xc3\x91o\xc3\xb1o");
  ExpectSameAsPrinter(accented);
  payments::v1::Payout payout;
  payout.set_id("monato.payout.p1");
  payout.set_status(payments::v1::PAYOUT_STATUS_PENDING);
  payout.mutable_create_time()->set_seconds(1700000000);
  ExpectSameAsPrinter(payout);
  payments::v1::ListAccountsResponse accounts;
  accounts.add_accounts()->set_clabe("735969000000203297");
  accounts.add_accounts()->set_account_number("000001233635");
  accounts.set_next_page_token("t");
  ExpectSameAsPrinter(accounts);
  payments::v1::GetCallerLimitsRequest limits;
  limits.set_destination("012180026050783858");
  ExpectSameAsPrinter(limits);
}

TEST(MaskingTest, MaskAccountNumberKeepsTheLastFour) {
  EXPECT_EQ(MaskAccountNumber("002010077777777771"), "**************7771");
  EXPECT_EQ(MaskAccountNumber("4111111111111111"), "************1111");
  EXPECT_EQ(MaskAccountNumber("12345"), "*2345");
  EXPECT_EQ(MaskAccountNumber("1234"), "****");
  EXPECT_EQ(MaskAccountNumber("123"), "***");
  EXPECT_EQ(MaskAccountNumber(""), "");
}

}  // namespace
}  // namespace gateway
