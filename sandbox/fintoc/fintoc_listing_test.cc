// Fintoc v2 lists over HTTPS: bare arrays, newest first, cursor pagination through absolute
// RFC 8288 Link URLs (followed as they are), an empty Link on the last page; filters.
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sandbox/common/clabe.h"
#include "sandbox/fintoc/fintoc_test_fixture.h"

namespace sandbox {
namespace {

class FintocListingTest : public FintocSandboxTest {
 protected:
  // "<url>; rel=\"next\"" -> url; "" when there is no next page.
  static std::string NextUrl(const HttpResponse& response) {
    const std::string link = response.Header("link");
    const size_t open = link.find('<'), close = link.find('>');
    if (open == std::string::npos || close == std::string::npos) return "";
    EXPECT_NE(link.find(R"(rel="next")", close), std::string::npos) << link;
    return link.substr(open + 1, close - open - 1);
  }

  // Follows every Link from `first_path`; returns the ids in order and checks the envelope.
  std::vector<std::string> Walk(const std::string& first_path, size_t* pages) {
    std::vector<std::string> ids;
    std::string url = first_path;
    *pages = 0;
    while (!url.empty() && *pages < 20) {
      const HttpResponse response = client().Get(url, Auth());
      EXPECT_EQ(response.status, 200) << url << " -> " << response.body;
      const boost::json::value body = JsonBody(response);
      EXPECT_TRUE(body.is_array()) << response.body;  // a bare array, no envelope
      if (!body.is_array()) break;
      for (const auto& item : body.as_array()) ids.push_back(JsonStr(item, "id"));
      EXPECT_TRUE(response.HasHeader("link")) << "Link must be present, empty on the last page";
      url = NextUrl(response);
      ++*pages;
    }
    return ids;
  }
};

TEST_F(FintocListingTest, AccountsPageThroughLinkHeaders) {
  std::vector<std::string> created = {config_.account_id};
  for (int i = 0; i < 2; ++i) {
    const HttpResponse response =
        client().Post("/v2/accounts",
                      absl::StrCat(R"({"entity_id":")", config_.entity_id,
                                   R"(","description":"extra )", i, R"("})"),
                      Auth());
    ASSERT_EQ(response.status, 201) << response.body;
    created.push_back(JsonStr(JsonBody(response), "id"));
  }
  const HttpResponse first = client().Get("/v2/accounts?limit=2", Auth());
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.Header("link"),
            absl::StrCat("<https://127.0.0.1:", server_->port(),
                         "/v2/accounts?limit=2&starting_after=", created[1], R"(>; rel="next")"));
  size_t pages = 0;
  const std::vector<std::string> ids = Walk("/v2/accounts?limit=2", &pages);
  EXPECT_EQ(pages, 2u);
  EXPECT_EQ(ids, (std::vector<std::string>{created[2], created[1], created[0]}));  // newest first

  const HttpResponse seeded =
      client().Get(absl::StrCat("/v2/accounts/", config_.account_id), Auth());
  ASSERT_EQ(seeded.status, 200);
  const boost::json::value account = JsonBody(seeded);
  EXPECT_EQ(JsonStr(account, "object"), "account");
  EXPECT_EQ(JsonAt(account, "/available_balance").as_int64(), 1'000'000'000);
  EXPECT_EQ(JsonStr(account, "root_account_number"), "735969000000203297");
  EXPECT_EQ(JsonStrAt(account, "/entity/holder_id"), "ND");
  EXPECT_EQ(client().Get("/v2/accounts/acc_none", Auth()).status, 404);
  EXPECT_EQ(client().Get("/v2/accounts?limit=0", Auth()).status, 400);
  EXPECT_EQ(client().Get("/v2/accounts?starting_after=acc_none", Auth()).status, 400);
}

TEST_F(FintocListingTest, TransfersPageWithFiltersKeptInTheNextUrl) {
  std::set<std::string> outbound;
  for (int i = 1; i <= 5; ++i) {
    const HttpResponse response = CreateTransfer(100 * i);
    ASSERT_EQ(response.status, 201) << response.body;
    outbound.insert(JsonStr(JsonBody(response), "id"));
  }
  const HttpResponse inbound =
      client().Post("/v2/simulate/receive_transfer",
                    absl::StrCat(R"({"account_number_id":")", config_.root_account_number_id,
                                 R"(","amount":700,"currency":"MXN"})"),
                    Auth());
  ASSERT_EQ(inbound.status, 201) << inbound.body;

  size_t pages = 0;
  const std::vector<std::string> ids = Walk("/v2/transfers?direction=outbound&limit=2", &pages);
  EXPECT_EQ(pages, 3u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), outbound);
  EXPECT_EQ(ids.size(), 5u);
  const HttpResponse page = client().Get("/v2/transfers?direction=outbound&limit=2", Auth());
  EXPECT_NE(page.Header("link").find("direction=outbound&limit=2&starting_after="),
            std::string::npos)
      << page.Header("link");

  EXPECT_EQ(Walk("/v2/transfers", &pages).size(), 6u);  // default limit 30: one page
  EXPECT_EQ(pages, 1u);
  const std::vector<std::string> inbound_ids = Walk("/v2/transfers?direction=inbound", &pages);
  ASSERT_EQ(inbound_ids.size(), 1u);
  EXPECT_EQ(inbound_ids[0], JsonStr(JsonBody(inbound), "id"));
  EXPECT_EQ(Walk("/v2/transfers?status=succeeded", &pages).size(), 0u);
  EXPECT_EQ(Walk("/v2/transfers?status=pending", &pages).size(), 6u);
  EXPECT_EQ(client().Get("/v2/transfers?direction=sideways", Auth()).status, 400);
}

// since/until bound transaction_date, inclusive, as ISO 8601 date-times; a bare date (which
// Fintoc does not document) is refused.
TEST_F(FintocListingTest, TransfersFilterBySinceAndUntil) {
  const HttpResponse early = CreateTransfer(100);
  ASSERT_EQ(early.status, 201) << early.body;
  const absl::Time early_time = clock_.Now();
  clock_.Advance(absl::Hours(48));
  const HttpResponse late = CreateTransfer(200);
  ASSERT_EQ(late.status, 201) << late.body;
  const std::string early_id = JsonStr(JsonBody(early), "id");
  const std::string late_id = JsonStr(JsonBody(late), "id");
  auto at = [](absl::Time t) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
  };
  auto day = [](absl::Time t) { return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone()); };

  size_t pages = 0;
  EXPECT_EQ(Walk(absl::StrCat("/v2/transfers?direction=outbound&since=",
                              at(clock_.Now() - absl::Hours(1))),
                 &pages),
            std::vector<std::string>{late_id});
  // Both bounds are inclusive: a window of one instant, the transfer's own, holds it.
  EXPECT_EQ(
      Walk(absl::StrCat("/v2/transfers?since=", at(clock_.Now()), "&until=", at(clock_.Now())),
           &pages),
      std::vector<std::string>{late_id});
  EXPECT_EQ(Walk(absl::StrCat("/v2/transfers?since=",
                              absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", early_time - absl::Seconds(1),
                                               absl::UTCTimeZone())),
                 &pages),
            (std::vector<std::string>{late_id, early_id}));  // newest first
  EXPECT_EQ(Walk(absl::StrCat("/v2/transfers?until=", at(early_time + absl::Hours(1))), &pages),
            std::vector<std::string>{early_id});
  // The filters keep to the Link of the next page.
  const std::string since = at(early_time - absl::Hours(1));
  const HttpResponse page =
      client().Get(absl::StrCat("/v2/transfers?since=", since, "&limit=1"), Auth());
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.Header("link").find(absl::StrCat("since=", since)), std::string::npos)
      << page.Header("link");
  // Refused with Fintoc's error shape: a bare date, nonsense, a bad limit.
  const HttpResponse bare =
      client().Get(absl::StrCat("/v2/transfers?since=", day(early_time)), Auth());
  EXPECT_EQ(bare.status, 400) << bare.body;
  EXPECT_EQ(JsonStrAt(JsonBody(bare), "/error/param"), "since");
  EXPECT_EQ(JsonStrAt(JsonBody(bare), "/error/type"), "invalid_request_error");
  EXPECT_EQ(client().Get(absl::StrCat("/v2/transfers?until=", day(early_time)), Auth()).status,
            400);
  EXPECT_EQ(client().Get("/v2/transfers?limit=301", Auth()).status, 400);
  EXPECT_EQ(client().Get("/v2/transfers?limit=0", Auth()).status, 400);
  EXPECT_EQ(client().Get("/v2/transfers?since=yesterday", Auth()).status, 400);
  EXPECT_EQ(client().Get("/v2/transfers?until=2025-13-45", Auth()).status, 400);
}

TEST_F(FintocListingTest, AccountNumbersAre735969ClabesAndPage) {
  std::vector<std::string> created;
  for (int i = 0; i < 3; ++i) {
    const HttpResponse response = client().Post(
        "/v2/account_numbers",
        absl::StrCat(R"({"account_id":")", config_.account_id, R"(","description":"customer )", i,
                     R"(","metadata":{"customer":")", i, R"("}})"),
        Auth());
    ASSERT_EQ(response.status, 200) << response.body;  // 200, not 201
    const boost::json::value number = JsonBody(response);
    EXPECT_EQ(JsonStr(number, "object"), "account_number");
    EXPECT_EQ(JsonStr(number, "number").substr(0, 6), "735969");
    EXPECT_TRUE(IsValidClabe(JsonStr(number, "number"))) << JsonStr(number, "number");
    EXPECT_EQ(JsonStrAt(number, "/metadata/customer"), std::to_string(i));
    created.push_back(JsonStr(number, "id"));
  }
  size_t pages = 0;
  const std::vector<std::string> ids =
      Walk(absl::StrCat("/v2/account_numbers?account_id=", config_.account_id, "&limit=3"), &pages);
  EXPECT_EQ(pages, 2u);
  ASSERT_EQ(ids.size(), 4u);  // three new ones and the root
  EXPECT_EQ(ids[0], created[2]);
  EXPECT_EQ(ids[3], config_.root_account_number_id);
  EXPECT_EQ(client().Post("/v2/account_numbers", R"({"account_id":"acc_none"})", Auth()).status,
            404);
}

// The listing the reconciliation reads: since/until on the transfer's creation time, inclusive,
// paged with starting_after while controls change the records.
TEST_F(FintocListingTest, TheWindowedListingSeesInjectedTransfers) {
  const absl::Time start = clock_.Now();
  const HttpResponse created = CreateTransfer(700);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string made = JsonStr(JsonBody(created), "id");
  clock_.Advance(absl::Minutes(10));
  const HttpResponse orphan =
      client().Post("/_sandbox/transfers/orphan",
                    R"({"amount":5,"counterparty_clabe":"014180655091438298","reference":"5"})");
  ASSERT_EQ(orphan.status, 201);
  const std::string orphan_id = JsonStr(JsonBody(orphan), "id");
  auto at = [](absl::Time t) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
  };
  size_t pages = 0;
  EXPECT_EQ(Walk(absl::StrCat("/v2/transfers?direction=outbound&since=", at(start),
                              "&until=", at(start + absl::Minutes(5)), "&limit=1"),
                 &pages),
            std::vector<std::string>{made});
  EXPECT_EQ(
      Walk(absl::StrCat("/v2/transfers?direction=outbound&since=", at(start), "&limit=1"), &pages),
      (std::vector<std::string>{orphan_id, made}));
  EXPECT_EQ(pages, 2u);
}

}  // namespace
}  // namespace sandbox
