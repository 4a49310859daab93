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
