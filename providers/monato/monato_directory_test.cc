// The Monato directory's caches: source accounts (from the documented account list) and
// destination instruments expire after their lifetime and never hold more than the bound.
#include "providers/monato/monato_directory.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "net/http/testing/fake_http_client.h"
#include "providers/monato/testing/provider_test_support.h"

namespace providers::monato {
namespace {

using testing::HasSubstr;

std::string AccountItem(const std::string& id) {
  return absl::StrCat(R"({"id":")", id, R"(","bankId":"b","instrumentId":"instr-)", id, R"("})");
}

constexpr char kClabes[3][19] = {"014180655091438298", "002180700000000011", "012180001234567897"};

class MonatoDirectoryTest : public testing::Test {
 protected:
  MonatoDirectoryTest() : session_(&http_, TokenOptions()), directory_(&session_, Options()) {
    http_.AddResponse(201, absl::StrCat(R"({"token":")", provider_testing::Token("t1"), R"("})"));
  }
  static TokenCacheOptions TokenOptions() {
    TokenCacheOptions options;
    options.base_url = "https://monato.test";
    options.client_id = "c1";
    options.api_key = "key";
    options.client_secret = "secret";
    return options;
  }
  DirectoryOptions Options() {
    DirectoryOptions options;
    options.entry_ttl = absl::Minutes(10);
    options.max_entries = 2;
    options.now = [this] { return now_; };
    return options;
  }
  absl::StatusOr<MonatoAccountInfo> Account(const std::string& id) {
    absl::StatusOr<MonatoAccountInfo> result = absl::UnknownError("no answer");
    directory_.Account(id, absl::InfiniteFuture(), [&](auto info) { result = std::move(info); });
    return result;
  }
  absl::StatusOr<std::string> Instrument(int which) {
    payments::v1::Counterparty counterparty;
    counterparty.set_clabe(kClabes[which]);
    counterparty.set_holder_name("Jon Snow");
    absl::StatusOr<std::string> result = absl::UnknownError("no answer");
    directory_.DestinationInstrument(counterparty, "bank-finco", absl::InfiniteFuture(),
                                     [&](auto id) { result = std::move(id); });
    return result;
  }
  void ScriptInstrumentList() {
    std::string items;
    for (int i = 0; i < 3; ++i) {
      absl::StrAppend(&items, i ? "," : "", R"({"id":"dst-)", i,
                      R"(","instrumentDetail":{"clabeNumber":")", kClabes[i],
                      R"(","holderName":"Jon Snow"}})");
    }
    http_.AddResponse(200, absl::StrCat(R"({"currentPage":1,"perPage":100,"totalItems":3,)",
                                        R"("data":[)", items, "]}"));
  }

  absl::Time now_ = absl::FromUnixSeconds(1'700'000'000);
  net::http::FakeHttpClient http_;
  MonatoSession session_;
  MonatoDirectory directory_;
};

TEST_F(MonatoDirectoryTest, AccountsAreReadFromTheListAndExpire) {
  http_.AddResponse(200, absl::StrCat(R"({"currentPage":1,"perPage":100,"totalItem":1,"data":[)",
                                      AccountItem("0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61"), "]}"));
  ASSERT_EQ(Account("0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61")->instrument_id,
            "instr-0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61");
  EXPECT_THAT(http_.requests().back().url, HasSubstr("/v1/clients/c1/accounts?page=1"));
  now_ += absl::Minutes(9);
  ASSERT_TRUE(Account("0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61").ok());
  EXPECT_EQ(http_.request_count(), 2);  // token + one list read

  now_ += absl::Minutes(2);  // past the lifetime: read again
  http_.AddResponse(200, absl::StrCat(R"({"currentPage":1,"perPage":100,"totalItem":1,"data":[)",
                                      AccountItem("0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61"), "]}"));
  ASSERT_TRUE(Account("0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61").ok());
  EXPECT_EQ(http_.request_count(), 3);
}

TEST_F(MonatoDirectoryTest, TheAccountCacheIsBounded) {
  http_.AddResponse(200, absl::StrCat(R"({"currentPage":1,"perPage":100,"totalItem":3,"data":[)",
                                      AccountItem("0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61"), ",",
                                      AccountItem("1b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b62"), ",",
                                      AccountItem("2b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b63"), "]}"));
  ASSERT_TRUE(Account("0b7c3a52-5d1e-4f6a-9c2b-8e1d0f4a7b61").ok());
  EXPECT_EQ(directory_.cached_accounts(), 2u);
}

TEST_F(MonatoDirectoryTest, InstrumentsAreBoundedAndExpire) {
  for (int i = 0; i < 3; ++i) {
    ScriptInstrumentList();
    ASSERT_EQ(*Instrument(i), absl::StrCat("dst-", i));
  }
  EXPECT_EQ(directory_.cached_instruments(), 2u);
  const int reads = http_.request_count();
  ASSERT_TRUE(Instrument(2).ok());  // the newest is still cached
  EXPECT_EQ(http_.request_count(), reads);

  now_ += absl::Minutes(11);  // past the lifetime: found again, never trusted stale
  ScriptInstrumentList();
  ASSERT_EQ(*Instrument(2), "dst-2");
  EXPECT_EQ(http_.request_count(), reads + 1);
}

}  // namespace
}  // namespace providers::monato
