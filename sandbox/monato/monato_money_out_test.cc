// POST /v1/transactions/money_out over HTTPS: the reply of docs/providers/monato.md#money-out,
// field validation, and the Idempotency-Key rules (#idempotency) (cached first reply, 409 on a
// changed body, 409 operation_in_progress for a concurrent duplicate, cached 400 and 500).
#include <string>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "sandbox/common/ids.h"
#include "sandbox/monato/monato_test_fixture.h"
#include "sandbox/monato/monato_time.h"

namespace sandbox {
namespace {

class MonatoMoneyOutTest : public MonatoSandboxTest {
 protected:
  std::string MainBalance() {
    return JsonStr(JsonBody(client().Get(
                       ClientPath(absl::StrCat("/accounts/", seed().main_account_id)), Auth())),
                   "availableBalance");
  }
  int64_t MoneyOutsCreated() { return JsonAt(State(), "/money_outs_created").as_int64(); }
};

bool IsTrackingId(const std::string& id, const std::string& date) {
  if (id.size() != 23 || id.substr(0, 8) != date || id.substr(8, 5) != "FINCH") return false;
  for (char c : id.substr(13)) {
    if (!absl::ascii_isdigit(c) && !absl::ascii_isupper(c)) return false;
  }
  return true;
}

TEST_F(MonatoMoneyOutTest, HappyPathOneNinetyFive) {
  const std::string destination = CreateClabeInstrument("012180026050783858", "40012");
  const HttpResponse response = MoneyOut(MoneyOutBody(destination, "1.95"), NewUuid());
  ASSERT_EQ(response.status, 201) << response.body;
  const boost::json::value body = JsonBody(response);
  EXPECT_TRUE(IsUuid(JsonStr(body, "id")));
  EXPECT_EQ(JsonStr(body, "clientId"), config_.client_id);
  EXPECT_EQ(JsonStr(body, "bankId"), seed().bank_id);
  EXPECT_EQ(JsonStr(body, "externalReference"), "1234567");
  EXPECT_EQ(JsonStr(body, "description"), "lorem ipsum dolor sit amet");
  EXPECT_EQ(JsonStr(body, "amount"), "1.95");
  EXPECT_EQ(JsonStr(body, "currency"), "MXN");
  EXPECT_EQ(JsonStr(body, "category"), "DEBIT_TRANS");
  EXPECT_EQ(JsonStr(body, "subCategory"), "SPEI_DEBIT");
  EXPECT_EQ(JsonStr(body, "transactionStatus"), "INITIALIZED");
  EXPECT_TRUE(IsTrackingId(JsonStr(body, "trackingId"), MonatoDate(clock_.Now())))
      << JsonStr(body, "trackingId");
  EXPECT_EQ(JsonStrAt(body, "/audit/deletedAt"), "None");
  EXPECT_EQ(JsonStrAt(body, "/audit/blockedAt"), "None");
  EXPECT_TRUE(JsonAt(body, "/transaction_status").is_null());  // camelCase only

  EXPECT_EQ(MainBalance(), "9999998.05");
  const HttpResponse read =
      client().Get(ClientPath(absl::StrCat("/transactions/", JsonStr(body, "id"))), Auth());
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(JsonStr(JsonBody(read), "transactionStatus"), "INITIALIZED");
  EXPECT_EQ(JsonStr(JsonBody(read), "trackingId"), JsonStr(body, "trackingId"));
  EXPECT_EQ(MoneyOutsCreated(), 1);
}

TEST_F(MonatoMoneyOutTest, IdempotentReplayIsIdenticalAndCreatesOneTransaction) {
  const std::string destination = CreateClabeInstrument("012180026050783858", "40012");
  const std::string key = NewUuid();
  const HttpResponse first = MoneyOut(MoneyOutBody(destination, "100.00"), key);
  ASSERT_EQ(first.status, 201) << first.body;
  const HttpResponse second = MoneyOut(MoneyOutBody(destination, "100.00"), key);
  EXPECT_EQ(second.status, 201);
  EXPECT_EQ(second.body, first.body);  // byte for byte: same id, trackingId, timestamps
  // Same JSON with other whitespace, key order and key case is the same request.
  const std::string reordered = absl::StrCat(
      R"({ "transaction_request": {"currency":"MXN","amount":"100.00",)",
      R"("description":"lorem ipsum dolor sit amet","external_reference":"1234567"},)",
      R"( "destination_instrument_id":")", destination, R"(", "source_instrument_id":")",
      seed().main_instrument_id, R"(", "client_id":")", config_.client_id, R"("})");
  const HttpResponse third = MoneyOut(reordered, absl::AsciiStrToUpper(key));
  EXPECT_EQ(third.status, 201);
  EXPECT_EQ(third.body, first.body);
  EXPECT_EQ(MoneyOutsCreated(), 1);
  EXPECT_EQ(JsonAt(State(), "/idempotent_replays").as_int64(), 2);
  EXPECT_EQ(MainBalance(), "9999900.00");
  // A new key is a new payout.
  ASSERT_EQ(MoneyOut(MoneyOutBody(destination, "100.00"), NewUuid()).status, 201);
  EXPECT_EQ(MoneyOutsCreated(), 2);
}

TEST_F(MonatoMoneyOutTest, SameKeyWithAChangedBodyIsAConflict) {
  const std::string destination = CreateClabeInstrument("012180026050783858", "40012");
  const std::string key = NewUuid();
  ASSERT_EQ(MoneyOut(MoneyOutBody(destination, "1.95"), key).status, 201);
  const HttpResponse conflict = MoneyOut(MoneyOutBody(destination, "1.96"), key);
  EXPECT_EQ(conflict.status, 409) << conflict.body;
  EXPECT_EQ(ErrorCode(conflict), "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(MoneyOutsCreated(), 1);
}

TEST_F(MonatoMoneyOutTest, ConcurrentDuplicateIsOperationInProgress) {
  MonatoConfig config;
  config.settle_after = absl::Milliseconds(-1);
  config.money_out_processing = absl::Milliseconds(800);
  StartSandbox(config);
  const std::string destination = CreateClabeInstrument("012180026050783858", "40012");
  const std::string key = NewUuid();
  const std::string body = MoneyOutBody(destination, "1.95");
  const HeaderList auth = Auth();
  HttpResponse first;
  std::thread slow([&] {
    HeaderList headers = auth;
    headers.emplace_back("Idempotency-Key", key);
    first = client().Post("/v1/transactions/money_out", body, headers);
  });
  absl::SleepFor(absl::Milliseconds(200));  // the first one is now being processed
  const HttpResponse duplicate = MoneyOut(body, key);
  slow.join();
  EXPECT_EQ(duplicate.status, 409) << duplicate.body;
  EXPECT_EQ(ErrorReason(duplicate), "operation_in_progress");
  ASSERT_EQ(first.status, 201) << first.body;
  // Once the first finished, the same key replays it.
  const HttpResponse replay = MoneyOut(body, key);
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body, first.body);
  EXPECT_EQ(MoneyOutsCreated(), 1);
}

TEST_F(MonatoMoneyOutTest, BadAmountIsDataErrorAndTheErrorIsCached) {
  const std::string destination = CreateClabeInstrument("012180026050783858", "40012");
  const std::string key = NewUuid();
  const HttpResponse bad = MoneyOut(MoneyOutBody(destination, "1.9"), key);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(ErrorReason(bad), "DATA_ERROR");
  EXPECT_EQ(JsonAt(JsonBody(bad), "/code").as_int64(), 3);
  EXPECT_EQ(JsonStr(JsonBody(bad), "message"),
            "DATA_ERROR: Transaction Amount must be higher than 0.");
  const HttpResponse again = MoneyOut(MoneyOutBody(destination, "1.9"), key);
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.body, bad.body);
  for (const char* amount : {"1.950", "0.00", "-1.00", "1,95", "1"}) {
    EXPECT_EQ(MoneyOut(MoneyOutBody(destination, amount)).status, 400) << amount;
  }
  // A JSON number instead of the decimal string.
  std::string number_body = MoneyOutBody(destination, "1.95");
  number_body.replace(number_body.find(R"("1.95")"), 6, "1.95");
  EXPECT_EQ(MoneyOut(number_body).status, 400);
  EXPECT_EQ(MoneyOutsCreated(), 0);
}

TEST_F(MonatoMoneyOutTest, FieldValidation) {
  const std::string destination = CreateClabeInstrument("012180026050783858", "40012");
  auto with = [&](const std::string& from, const std::string& to) {
    std::string body = MoneyOutBody(destination, "1.95");
    body.replace(body.find(from), from.size(), to);
    return MoneyOut(body);
  };
  struct Case {
    std::string from, to, error_code;
  };
  const Case cases[] = {
      {R"("currency":"MXN")", R"("currency":"USD")", "INVALID_CURRENCY"},
      {"lorem ipsum dolor sit amet", std::string(40, 'x'), "INVALID_DESCRIPTION"},
      {R"("external_reference":"1234567")", R"("external_reference":"12345678")",
       "INVALID_EXTERNAL_REFERENCE"},
      {R"("external_reference":"1234567")", R"("external_reference":"12a")",
       "INVALID_EXTERNAL_REFERENCE"},
      {destination, "not-a-uuid", "INVALID_UUID"},
  };
  for (const Case& c : cases) {
    const HttpResponse response = with(c.from, c.to);
    EXPECT_EQ(response.status, 400) << c.to << " -> " << response.body;
    EXPECT_EQ(ErrorCode(response), c.error_code) << c.to;
  }
  EXPECT_EQ(with("lorem ipsum dolor sit amet", std::string(39, 'x')).status, 201);
  const HttpResponse not_json = MoneyOut("{\"client_id\":");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(ErrorReason(not_json), "DATA_ERROR");
  EXPECT_EQ(MoneyOut(MoneyOutBody(destination, "1.95"), "not-a-uuid").status, 400);
}

TEST_F(MonatoMoneyOutTest, MissingInstrumentIsACached500) {
  const std::string key = NewUuid();
  const std::string ghost = NewUuid();
  const HttpResponse missing = MoneyOut(MoneyOutBody(ghost, "1.95"), key);
  EXPECT_EQ(missing.status, 500) << missing.body;
  EXPECT_EQ(ErrorCode(missing), "INSTRUMENT_NOT_FOUND");
  const HttpResponse replay = MoneyOut(MoneyOutBody(ghost, "1.95"), key);
  EXPECT_EQ(replay.status, 500);
  EXPECT_EQ(replay.body, missing.body);
  EXPECT_EQ(JsonAt(State(), "/idempotent_replays").as_int64(), 1);  // served from the cache
  EXPECT_EQ(MoneyOutsCreated(), 0);
}

TEST_F(MonatoMoneyOutTest, InsufficientFundsIsAFailedPrecondition) {
  const std::string body =
      absl::StrCat(R"({"bank_id":")", MonatoBankId("90734"), R"(","owner_id":")", NewUuid(),
                   R"(","client_bank_adapter_id":")", NewUuid(), R"(","client_id":")",
                   config_.client_id, R"(","account_id":")", seed().main_account_id, R"("})");
  const HttpResponse account = client().Post(ClientPath("/private_accounts"), body, Auth());
  ASSERT_EQ(account.status, 201) << account.body;
  const std::string empty_source = JsonStr(JsonBody(account), "instrumentId");
  const std::string destination = CreateClabeInstrument("012180026050783858", "40012");
  const HttpResponse response = MoneyOut(MoneyOutBody(destination, "0.01", empty_source));
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_EQ(ErrorReason(response), "FAILED_PRECONDITION");
  EXPECT_EQ(ErrorCode(response), "INSUFFICIENT_FUNDS");
  EXPECT_EQ(JsonAt(JsonBody(response), "/code").as_int64(), 9);
}

}  // namespace
}  // namespace sandbox
