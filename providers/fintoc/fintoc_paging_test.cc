// Fintoc list paging and the ids that reach Fintoc URLs. A page token is opaque to callers and
// carries only the cursor of Fintoc's Link header (the starting_after id); the adapter checks
// it is an id of the list's kind and rebuilds the URL itself, so a token can never carry a
// URL, a header line or a path of the caller's choosing. Ids are checked the same way
// (docs/providers/ids.md). Nothing refused ever reaches Fintoc.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "providers/common/hostile_ids.h"
#include "providers/fintoc/fintoc_provider.h"
#include "providers/fintoc/testing/provider_test_support.h"
#include "vocabulary/error_details.h"

namespace providers::fintoc {
namespace {

using provider_testing::FintocProviderTest;
using provider_testing::kCreatedTransfer;
using provider_testing::Order;

void ExpectRefused(const absl::Status& status, const std::string& field, const std::string& what) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << what << ": " << status;
  const auto violations = gateway::FieldViolationsOf(status);
  ASSERT_EQ(violations.size(), 1u) << what << ": " << status;
  EXPECT_EQ(violations[0].field(), field) << what;
}

TEST_F(FintocProviderTest, PageTokensCarryOnlyTheCursorAndTheUrlIsRebuilt) {
  http_.AddResponse(
      200, absl::StrCat("[", kCreatedTransfer, "]"),
      {{"Link",
        "<https://fintoc.test/v2/transfers?direction=outbound&limit=2&starting_after=tr_2>; "
        "rel=\"next\""}});
  payments::v1::ListPayoutsRequest filter;
  filter.set_source_account_id("fintoc.acct.acc_M8sKf230BgHjD4");
  filter.set_status(payments::v1::PAYOUT_STATUS_PENDING);
  auto first = List("", filter);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->next_page_token(), "tr_2");
  const std::string first_url =
      "https://fintoc.test/v2/transfers?direction=outbound&limit=2"
      "&account_id=acc_M8sKf230BgHjD4&status=pending";
  EXPECT_EQ(http_.requests()[0].url, first_url);

  http_.AddResponse(200, "[]", {{"Link", ""}});
  auto last = List("tr_2", filter);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(http_.requests()[1].url, first_url + "&starting_after=tr_2");
  EXPECT_EQ(last->next_page_token(), "");
}

TEST_F(FintocProviderTest, AccountPagesCarryAnAccountCursor) {
  http_.AddResponse(
      200, R"([{"id":"acc_1","object":"account","currency":"MXN","status":"active"}])",
      {{"Link", R"(<https://fintoc.test/v2/accounts?limit=2&starting_after=acc_1>; rel="next")"}});
  auto accounts = Run<payments::v1::ListAccountsResponse>([&](auto done) {
    provider_->ListAccounts(PageQuery{2, ""}, Context(), std::move(done));
  });
  ASSERT_TRUE(accounts.ok()) << accounts.status();
  EXPECT_EQ(accounts->next_page_token(), "acc_1");
  http_.AddResponse(200, "[]", {{"Link", ""}});
  auto next = Run<payments::v1::ListAccountsResponse>([&](auto done) {
    provider_->ListAccounts(PageQuery{2, "acc_1"}, Context(), std::move(done));
  });
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(http_.requests()[1].url,
            "https://fintoc.test/v2/accounts?limit=2&starting_after=acc_1");
}

TEST_F(FintocProviderTest, ForgedPageTokensAreRefusedAndNothingIsSent) {
  std::vector<std::string> forged = {
      // CR/LF: a second request, with the gateway's key, on the same connection.
      "https://fintoc.test/v2/transfers?limit=2\r\n\r\nPOST /v2/transfers/return HTTP/1.1\r\n"
      "Host: fintoc.test\r\n",
      "tr_2\r\nGET /v2/accounts HTTP/1.1",
      "https://fintoc.test/v2/transfers?limit=2 HTTP/1.1\r\nX-Injected: 1",
      // Pointing elsewhere: other origins, other endpoints, the old URL tokens.
      "https://evil.test/v2/transfers?starting_after=tr_2",
      "https://fintoc.test/v2/transfers?starting_after=tr_2",
      "https://fintoc.test/v2/accounts?starting_after=acc_2",
      "/v2/transfers/return",
      "tr_2&limit=300&direction=inbound",
      "tr_2/../../v2/accounts",
      // Foreign cursors: ids of another list or another provider.
      "acc_2",
      "acno_31yYL5uOb39vzvRIszPhoXYMjt4",
      "16811ee8-3f1a-4c1e-9d2b-0a1b2c3d4e5f",
      "2",
  };
  for (const std::string& hostile : HostileIds("tr_2")) {
    if (!hostile.empty()) forged.push_back(hostile);  // "" is the first page
  }
  for (const std::string& token : forged) {
    ExpectRefused(List(token).status(), "page_token", token);
  }
  for (const std::string& token : {std::string("tr_2"), std::string("acc_1\r\n")}) {
    ExpectRefused(Run<payments::v1::ListAccountsResponse>([&](auto done) {
                    provider_->ListAccounts(PageQuery{2, token}, Context(), std::move(done));
                  }).status(),
                  "page_token", token);
  }
  EXPECT_EQ(http_.request_count(), 0);
}

// Fintoc's own Link is trusted no more than a caller: a next link whose cursor is not an id of
// the list is an unreadable reply, never a token handed out.
TEST_F(FintocProviderTest, ANextLinkWithoutAUsableCursorIsAnUnreadableReply) {
  for (const std::string& link :
       {std::string("<https://fintoc.test/v2/transfers?limit=2>; rel=\"next\""),
        std::string("<https://fintoc.test/v2/transfers?starting_after=acc_1>; rel=\"next\""),
        std::string("<https://fintoc.test/v2/transfers?starting_after=tr_1%0D%0A>; rel=\"next\""),
        std::string("<https://fintoc.test/v2/transfers?starting_after>; rel=\"next\""),
        std::string("<https://fintoc.test/v2/transfers?xstarting_after=tr_1>; rel=\"next\""),
        std::string("<not a url>; rel=\"next\"")}) {
    http_.AddResponse(200, "[]", {{"Link", link}});
    auto page = List("");
    EXPECT_EQ(page.status().code(), absl::StatusCode::kUnavailable)
        << link << ": " << page.status();
  }
}

TEST_F(FintocProviderTest, HostileIdsAreRefusedNamingTheFieldAndNothingIsSent) {
  struct Case {
    std::string field;
    std::string valid;
    std::function<absl::Status(const std::string&)> call;
  };
  const std::vector<Case> cases = {
      {"payout_id", "tr_329NGN1M4If6VvcMRALv4gjAQJx",
       [&](const std::string& id) {
         return Run<payments::v1::Payout>(
                    [&](auto done) { provider_->GetPayout(id, Context(), std::move(done)); })
             .status();
       }},
      {"account_id", "acc_M8sKf230BgHjD4",
       [&](const std::string& id) {
         return Run<payments::v1::Account>(
                    [&](auto done) { provider_->GetAccount(id, Context(), std::move(done)); })
             .status();
       }},
      {"transaction_id", "tr_in",
       [&](const std::string& id) {
         RefundOrder order;
         order.request.set_idempotency_key("return-7");
         order.request.mutable_amount()->set_amount_minor(50000);
         order.request.mutable_amount()->set_currency("MXN");
         order.transaction_native_id = id;
         return Run<payments::v1::Refund>([&](auto done) {
                  provider_->RefundTransaction(order, Context(), std::move(done));
                })
             .status();
       }},
      {"parent_account_id", "acc_1",
       [&](const std::string& id) {
         payments::v1::CreateAccountRequest request;
         return Run<payments::v1::Account>([&](auto done) {
                  provider_->CreateAccount(request, id, Context(), std::move(done));
                })
             .status();
       }},
      {"source_account_id", "acc_M8sKf230BgHjD4",
       [&](const std::string& id) {
         PayoutOrder order = Order();
         order.source_account_native_id = id;
         return Create(order).status();
       }},
      {"source_account_id", "acc_M8sKf230BgHjD4",
       [&](const std::string& id) {
         payments::v1::ListPayoutsRequest filter;
         filter.set_source_account_id(absl::StrCat("fintoc.acct.", id));
         return List("", filter).status();
       }},
  };
  for (const Case& c : cases) {
    std::vector<std::string> ids = HostileIds(c.valid);
    // An id of another kind: a transfer is not an account and an account is not a transfer.
    ids.push_back(c.field == "payout_id" || c.field == "transaction_id" ? "acc_1" : "tr_1");
    for (const std::string& id : ids) ExpectRefused(c.call(id), c.field, c.field + " <" + id + ">");
  }
  EXPECT_EQ(http_.request_count(), 0);
}

}  // namespace
}  // namespace providers::fintoc
