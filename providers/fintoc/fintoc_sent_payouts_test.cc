// FintocProvider::ListSentPayouts: the query Fintoc documents for a window
// (docs/providers/fintoc.md#listing-transfers-for-reconciliation), its paging, the transfers as
// the API's payouts, and hostile pages refused with a mapped error, never a crash or a guess.
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "providers/fintoc/fintoc_sent_payouts.h"
#include "providers/fintoc/testing/provider_test_support.h"
#include "vocabulary/proto_time.h"

namespace providers::fintoc {
namespace {

using payments::v1::ListPayoutsResponse;
using provider_testing::FintocProviderTest;
using provider_testing::kCreatedTransfer;
using provider_testing::kInboundTransfer;

const TimeWindow kWindow{absl::FromUnixSeconds(1756828731),   // 2025-09-02T15:58:51Z
                         absl::FromUnixSeconds(1756915131)};  // 2025-09-03T15:58:51Z

std::string Transfer(const std::string& id, absl::string_view from = "",
                     absl::string_view to = "") {
  std::string json =
      absl::StrReplaceAll(kCreatedTransfer, {{"tr_329NGN1M4If6VvcMRALv4gjAQJx", id}});
  if (!from.empty()) json = absl::StrReplaceAll(json, {{from, to}});
  return json;
}

class FintocSentPayoutsTest : public FintocProviderTest {
 protected:
  absl::StatusOr<ListPayoutsResponse> List(const PageQuery& page, TimeWindow window = kWindow) {
    return Run<ListPayoutsResponse>(
        [&](auto done) { provider_->ListSentPayouts(window, page, Context(), std::move(done)); });
  }
};

TEST(FintocSentPayoutsQueryTest, WindowAsRfc3339DateTimesAndLimitClamped) {
  EXPECT_EQ(SentTransfersQuery(kWindow, 300),
            "direction=outbound&since=2025-09-02T15:58:51Z&until=2025-09-03T15:58:51Z&limit=300");
  EXPECT_EQ(SentTransfersQuery(kWindow, 301).substr(SentTransfersQuery(kWindow, 301).size() - 9),
            "limit=300");
  EXPECT_TRUE(absl::EndsWith(SentTransfersQuery(kWindow, 0), "&limit=1"));
  // A fractional second: since rounds down, the (inclusive) until up, never narrowing.
  const TimeWindow fractional{kWindow.from + absl::Milliseconds(400),
                              kWindow.to + absl::Milliseconds(400)};
  EXPECT_EQ(SentTransfersQuery(fractional, 50),
            "direction=outbound&since=2025-09-02T15:58:51Z&until=2025-09-03T15:58:52Z&limit=50");
  // An open bound is left out.
  EXPECT_EQ(SentTransfersQuery({absl::InfinitePast(), absl::InfiniteFuture()}, 10),
            "direction=outbound&limit=10");
}

TEST_F(FintocSentPayoutsTest, PagesWithTheCursorAndParsesTheTransfers) {
  http_.AddResponse(
      200, absl::StrCat("[", Transfer("tr_one"), ",", kInboundTransfer, "]"),
      {{"Link",
        "<https://fintoc.test/v2/transfers?direction=outbound&since=2025-09-02T15:58:51Z"
        "&until=2025-09-03T15:58:51Z&limit=300&starting_after=tr_in>; rel=\"next\""}});
  auto first = List(PageQuery{500, ""});
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(http_.requests().size(), 1u);
  EXPECT_EQ(http_.requests()[0].method, "GET");
  EXPECT_EQ(http_.requests()[0].url,
            "https://fintoc.test/v2/transfers?direction=outbound&since=2025-09-02T15:58:51Z"
            "&until=2025-09-03T15:58:51Z&limit=300");
  // The inbound transfer (a listing that ignored the filter) is not a payout sent.
  ASSERT_EQ(first->payouts_size(), 1);
  EXPECT_EQ(first->next_page_token(), "tr_in");
  const payments::v1::Payout& payout = first->payouts(0);
  EXPECT_EQ(payout.id(), "fintoc.payout.tr_one");
  EXPECT_EQ(payout.provider_payout_id(), "tr_one");
  EXPECT_EQ(payout.provider(), payments::v1::PROVIDER_FINTOC);
  EXPECT_EQ(payout.source_account_id(), "fintoc.acct.acc_M8sKf230BgHjD4");
  EXPECT_EQ(payout.amount().amount_minor(), 59013);
  EXPECT_EQ(payout.amount().currency(), "MXN");
  EXPECT_EQ(payout.counterparty().clabe(), "014180655091438298");
  EXPECT_EQ(payout.numeric_reference(), 150195u);
  EXPECT_EQ(payout.description(), "Pago de credito 10451");
  EXPECT_EQ(payout.tracking_key(), "202509029073500000000000000006");
  EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(payout.provider_status(), "pending");
  EXPECT_EQ(gateway::TimeOf(payout.create_time()), kWindow.from);
  EXPECT_TRUE(payout.idempotency_key().empty());

  http_.AddResponse(200, absl::StrCat("[", Transfer("tr_two", "\"pending\"", "\"returned\""), "]"),
                    {{"Link", ""}});
  auto second = List(PageQuery{500, "tr_in"});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(http_.requests()[1].url,
            "https://fintoc.test/v2/transfers?direction=outbound&since=2025-09-02T15:58:51Z"
            "&until=2025-09-03T15:58:51Z&limit=300&starting_after=tr_in");
  ASSERT_EQ(second->payouts_size(), 1);
  EXPECT_EQ(second->payouts(0).status(), payments::v1::PAYOUT_STATUS_RETURNED);
  EXPECT_EQ(second->next_page_token(), "");
}

TEST_F(FintocSentPayoutsTest, ATokenThatIsNotATransferIdNeverReachesFintoc) {
  auto listed = List(PageQuery{10, "tr_x&status=failed"});
  EXPECT_EQ(listed.status().code(), absl::StatusCode::kInvalidArgument) << listed.status();
  listed = List(PageQuery{10, ""}, TimeWindow{kWindow.to, kWindow.from});
  EXPECT_EQ(listed.status().code(), absl::StatusCode::kInvalidArgument) << listed.status();
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(FintocSentPayoutsTest, HostilePagesAreUnavailableNeverAGuess) {
  const std::string hostile[] = {
      "<html><body>502 Bad Gateway</body></html>",
      absl::StrCat("[", Transfer("tr_cut")).substr(0, 80),  // truncated JSON
      "{\"transfers\":[]}",                                 // not the documented array
      absl::StrCat("[", Transfer("tr_odd", "\"pending\"", "\"teleported\""), "]"),
      absl::StrCat("[", Transfer("tr_float", "\"amount\":59013", "\"amount\":590.13"), "]"),
      absl::StrCat("[", Transfer("tr_noid", "\"id\":\"tr_noid\",", ""), "]"),
  };
  for (const std::string& body : hostile) {
    http_.AddResponse(200, body, {{"Link", ""}});
    auto listed = List(PageQuery{10, ""});
    EXPECT_EQ(listed.status().code(), absl::StatusCode::kUnavailable) << body;
    EXPECT_TRUE(absl::StrContains(listed.status().message(), "unreadable Fintoc"))
        << listed.status();
  }
  // A next link without a cursor of this list.
  http_.AddResponse(200, "[]", {{"Link", "<https://fintoc.test/v2/transfers?x=1>; rel=\"next\""}});
  EXPECT_EQ(List(PageQuery{10, ""}).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(FintocSentPayoutsTest, FintocErrorsAreMappedLikeEveryOtherRead) {
  http_.AddResponse(
      400, R"({"error":{"type":"invalid_request_error","code":"invalid_date","param":"since"}})");
  auto listed = List(PageQuery{10, ""});
  EXPECT_FALSE(listed.ok());
  EXPECT_NE(listed.status().code(), absl::StatusCode::kOk);
  http_.AddResponse(401, R"({"error":{"type":"authentication_error","code":"invalid_api_key"}})");
  listed = List(PageQuery{10, ""});
  // The gateway's own credentials refused: an outage of its access, not the caller's fault.
  EXPECT_EQ(listed.status().code(), absl::StatusCode::kUnavailable) << listed.status();
  http_.AddResponse(503, "<html>down</html>");
  EXPECT_EQ(List(PageQuery{10, ""}).status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace providers::fintoc
