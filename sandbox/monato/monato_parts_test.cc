// Server-free Monato pieces: JWTs, timestamp formats, error bodies, body validation vectors
// of providers.md §6.5.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "sandbox/common/json_util.h"
#include "sandbox/common/text.h"
#include "sandbox/monato/monato_errors.h"
#include "sandbox/monato/monato_jwt.h"
#include "sandbox/monato/monato_requests.h"
#include "sandbox/monato/monato_time.h"

namespace sandbox {
namespace {

TEST(MonatoJwtTest, RoundTripsAndRejectsTampering) {
  const std::string token =
      IssueMonatoJwt("secret", {"c2d1d1e3-3340-4170-980e-e9269bbbc551", 1741281419});
  // Same header and payload as the providers.md §6.5 example decodes to.
  EXPECT_EQ(token.substr(0, token.find('.')), "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
  const auto claims = VerifyMonatoJwt("secret", token);
  ASSERT_TRUE(claims.has_value());
  EXPECT_EQ(claims->client_id, "c2d1d1e3-3340-4170-980e-e9269bbbc551");
  EXPECT_EQ(claims->exp, 1741281419);
  EXPECT_FALSE(VerifyMonatoJwt("other secret", token).has_value());
  std::string tampered = token;
  tampered[tampered.find('.') + 5] ^= 1;
  EXPECT_FALSE(VerifyMonatoJwt("secret", tampered).has_value());
  EXPECT_FALSE(VerifyMonatoJwt("secret", "a.b").has_value());
  EXPECT_FALSE(VerifyMonatoJwt("secret", "").has_value());
}

TEST(MonatoTimeTest, MexicoCityFormats) {
  // The §1.1 example: exp 1741281419 = expires_at "2025-03-06 11:16:59.491631" at -06:00.
  const absl::Time expires = absl::FromUnixMicros(1741281419491631);
  EXPECT_EQ(MonatoNaiveTimestamp(expires), "2025-03-06 11:16:59.491631");
  EXPECT_EQ(MonatoTimestamp(expires), "2025-03-06 11:16:59.491631-06:00");
  EXPECT_EQ(MonatoSecondsTimestamp(expires), "2025-03-06 11:16:59");
  EXPECT_EQ(MonatoDate(absl::FromUnixSeconds(1741240800)), "20250306");  // 00:00 in Mexico City
  EXPECT_EQ(MonatoDate(absl::FromUnixSeconds(1741240799)), "20250305");
  EXPECT_EQ(IsoUtcSeconds(expires), "2025-03-06T17:16:59Z");
}

TEST(MonatoErrorsTest, StatusLikeBody) {
  const ServerReply reply = MonatoErrorReply(OperationInProgressError());
  EXPECT_EQ(reply.status, 409);
  const auto body = ParseJsonObject(reply.body);
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ(body->at("code").as_int64(), 10);
  const auto& detail = body->at("details").as_array()[0].as_object();
  EXPECT_EQ(detail.at("reason").as_string(), "operation_in_progress");
  EXPECT_EQ(detail.at("domain").as_string(), "fincore");
  EXPECT_EQ(detail.at("metadata").as_object().at("http_code").as_string(), "409");
}

std::string MoneyOutBody(const std::string& amount, const std::string& description = "ok",
                         const std::string& reference = "1234567") {
  return absl::StrCat(R"({"client_id":"c2d1d1e3-3340-4170-980e-e9269bbbc551",)",
                      R"("source_instrument_id":"709448c3-7cbf-454d-a87e-feb23801269a",)",
                      R"("destination_instrument_id":"d3fdb481-2058-46c8-807d-4eaf866ae1ec",)",
                      R"("transaction_request":{"external_reference":")", reference,
                      R"(","description":")", description, R"(","amount":)", amount,
                      R"(,"currency":"MXN"}})");
}

TEST(MonatoRequestsTest, MoneyOutVectorsOfProvidersMd) {
  MoneyOutRequest request;
  MonatoError error;
  for (const char* amount : {R"("1.95")", R"("100.00")"}) {
    EXPECT_TRUE(ParseMoneyOut(MoneyOutBody(amount), &request, &error)) << amount;
  }
  EXPECT_TRUE(ParseMoneyOut(MoneyOutBody(R"("1.95")"), &request, &error));
  EXPECT_EQ(request.amount_cents, 195);
  for (const char* amount :
       {R"("1.9")", R"("1.950")", R"("0.00")", R"("-1.00")", R"("1,95")", "1.95", "null"}) {
    EXPECT_FALSE(ParseMoneyOut(MoneyOutBody(amount), &request, &error)) << amount;
    EXPECT_EQ(error.reason, "DATA_ERROR");
    EXPECT_EQ(error.error_code, "INVALID_AMOUNT");
  }
  EXPECT_TRUE(ParseMoneyOut(MoneyOutBody(R"("1.95")", "ok", "1"), &request, &error));
  EXPECT_FALSE(ParseMoneyOut(MoneyOutBody(R"("1.95")", "ok", "12345678"), &request, &error));
  EXPECT_FALSE(ParseMoneyOut(MoneyOutBody(R"("1.95")", "ok", "12a"), &request, &error));
  EXPECT_TRUE(ParseMoneyOut(MoneyOutBody(R"("1.95")", std::string(39, 'a')), &request, &error));
  EXPECT_FALSE(ParseMoneyOut(MoneyOutBody(R"("1.95")", std::string(40, 'a')), &request, &error));
  EXPECT_EQ(error.error_code, "INVALID_DESCRIPTION");
  // 39 characters, more bytes: "é" is two bytes.
  EXPECT_TRUE(ParseMoneyOut(MoneyOutBody(R"("1.95")", "Pago de crédito " + std::string(23, 'a')),
                            &request, &error));
  EXPECT_EQ(Utf8Length("Pago de crédito"), 15u);
}

}  // namespace
}  // namespace sandbox
