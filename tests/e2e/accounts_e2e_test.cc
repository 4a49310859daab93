// Accounts through the real gateway and the sandbox's Monato and Fintoc: a page fills across
// providers (issue 14: the default page held one Monato account and a token), and small pages
// walk every account exactly once with the gateway's opaque tokens.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/gateway_under_test.h"

namespace e2e {
namespace {

using payments::v1::AccountService;

std::vector<std::string> Ids(const payments::v1::ListAccountsResponse& page) {
  std::vector<std::string> ids;
  for (const auto& account : page.accounts()) ids.push_back(account.id());
  return ids;
}

TEST(AccountsE2eTest, TheDefaultPageHoldsBothProvidersAccounts) {
  GatewayUnderTest gateway;
  payments::v1::ListAccountsResponse page;
  grpc::Status status = Call(gateway.accounts(), &AccountService::Stub::ListAccounts,
                             payments::v1::ListAccountsRequest(), &page);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::vector<std::string> ids = Ids(page);
  EXPECT_THAT(ids, testing::Contains(gateway.MonatoSourceAccount()));
  EXPECT_THAT(ids, testing::Contains(gateway.FintocSourceAccount()));
  EXPECT_EQ(page.next_page_token(), "");
  // Registry order: Monato's accounts, then Fintoc's.
  ASSERT_FALSE(ids.empty());
  EXPECT_TRUE(absl::StartsWith(ids.front(), "monato.acct."));
  EXPECT_TRUE(absl::StartsWith(ids.back(), "fintoc.acct."));

  // One account per page: the same accounts, each once, across the provider boundary.
  std::vector<std::string> walked;
  payments::v1::ListAccountsRequest request;
  request.set_page_size(1);
  for (int i = 0; i < 50; ++i) {
    payments::v1::ListAccountsResponse one;
    status = Call(gateway.accounts(), &AccountService::Stub::ListAccounts, request, &one);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_LE(one.accounts_size(), 1);
    for (const std::string& id : Ids(one)) walked.push_back(id);
    if (one.next_page_token().empty()) break;
    EXPECT_EQ(one.accounts_size(), 1);
    request.set_page_token(one.next_page_token());
  }
  EXPECT_EQ(walked, ids);
  EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()).size(), walked.size());
}

}  // namespace
}  // namespace e2e
