#include "gateway/webhooks/receiving_account.h"

#include <utility>

namespace gateway {
namespace {

void SearchPage(providers::Provider* provider, std::string number, std::string page_token,
                int pages_left, absl::Time deadline, providers::Callback<std::string> done) {
  providers::CallContext context;
  context.deadline = deadline;
  providers::PageQuery query{100, page_token};
  provider->ListAccounts(query, context,
                         [provider, number, pages_left, deadline, done = std::move(done)](
                             absl::StatusOr<payments::v1::ListAccountsResponse> page) mutable {
                           if (!page.ok()) return done(page.status());
                           for (const payments::v1::Account& account : page->accounts()) {
                             if (!number.empty() && (account.clabe() == number ||
                                                     account.account_number() == number)) {
                               return done(account.id());
                             }
                           }
                           if (page->next_page_token().empty() || pages_left <= 1)
                             return done(std::string());
                           SearchPage(provider, std::move(number), page->next_page_token(),
                                      pages_left - 1, deadline, std::move(done));
                         });
}

}  // namespace

void FindAccountByNumber(providers::Provider* provider, const std::string& number,
                         absl::Time deadline, providers::Callback<std::string> done) {
  if (number.empty()) return done(std::string());
  SearchPage(provider, number, "", kMaxAccountPagesToSearch, deadline, std::move(done));
}

}  // namespace gateway
