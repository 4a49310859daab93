// Lists that span providers fill their pages (provider_pages.h): every account exactly once, in
// registry order then each provider's own, whatever page sizes the caller uses, with providers
// whose cursor is a page number; accounts and received money a caller may not see are skipped
// and the page keeps filling.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gateway/core/gateway_core.h"
#include "gateway/core/page_token.h"
#include "gateway/core/provider_pages.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "idempotency/memory_store.h"
#include "idempotency/store_executor.h"
#include "providers/common/await.h"
#include "providers/testing/fake_provider.h"
#include "vocabulary/error_details.h"

namespace gateway {
namespace {

using providers::Await;
using providers::FakeProvider;
using providers::PageQuery;
using testing::ElementsAre;
using testing::ElementsAreArray;

// `count` accounts and counterparties paged like Monato: the cursor is a page number, so a page
// is only right when asked with the size the cursor was made with.
class PagedProvider : public FakeProvider {
 public:
  PagedProvider(payments::v1::Provider id, std::string prefix, int count)
      : FakeProvider(id), prefix_(std::move(prefix)), count_(count) {}

  // The next list read answers this error.
  void FailNextList(absl::Status status) { failure_ = std::move(status); }
  int reads() const { return reads_; }

  void ListAccounts(const PageQuery& page, const CallContext&,
                    Callback<payments::v1::ListAccountsResponse> done) override {
    payments::v1::ListAccountsResponse out;
    if (!Page(page, &out, [&](int i) {
          auto* account = out.add_accounts();
          account->set_id(absl::StrCat(prefix_, ".acct.n", i));
        })) {
      return done(std::exchange(failure_, absl::OkStatus()));
    }
    done(std::move(out));
  }

  void ListCounterparties(const PageQuery& page, const CallContext&,
                          Callback<payments::v1::ListCounterpartiesResponse> done) override {
    payments::v1::ListCounterpartiesResponse out;
    if (!Page(page, &out, [&](int i) {
          out.add_counterparties()->set_id(absl::StrCat(prefix_, ".cpty.n", i));
        })) {
      return done(std::exchange(failure_, absl::OkStatus()));
    }
    done(std::move(out));
  }

  void ListBanks(const PageQuery& page, const CallContext&,
                 Callback<payments::v1::ListBanksResponse> done) override {
    payments::v1::ListBanksResponse out;
    if (!Page(page, &out,
              [&](int i) { out.add_banks()->set_provider_bank_id(absl::StrCat("b", i)); })) {
      return done(std::exchange(failure_, absl::OkStatus()));
    }
    done(std::move(out));
  }

 private:
  template <typename Response, typename Add>
  bool Page(const PageQuery& page, Response* out, Add add) {
    ++reads_;
    if (!failure_.ok()) return false;
    int number = 1;
    if (!page.page_token.empty()) {
      EXPECT_TRUE(absl::SimpleAtoi(page.page_token, &number));
    }
    EXPECT_GE(page.page_size, 1);
    EXPECT_LE(page.page_size, 100);
    for (int i = (number - 1) * page.page_size; i < count_ && i < number * page.page_size; ++i) {
      add(i);
    }
    if (number * page.page_size < count_) out->set_next_page_token(absl::StrCat(number + 1));
    return true;
  }

  const std::string prefix_;
  const int count_;
  absl::Status failure_;
  int reads_ = 0;
};

class ProviderPagesTest : public testing::Test {
 protected:
  void Configure(int monato_accounts, int fintoc_accounts) {
    auto monato =
        std::make_unique<PagedProvider>(payments::v1::PROVIDER_MONATO, "monato", monato_accounts);
    auto fintoc =
        std::make_unique<PagedProvider>(payments::v1::PROVIDER_FINTOC, "fintoc", fintoc_accounts);
    monato_ = monato.get();
    fintoc_ = fintoc.get();
    registry_.Add(std::move(monato));
    registry_.Add(std::move(fintoc));
  }

  absl::StatusOr<payments::v1::ListAccountsResponse> Accounts(int page_size,
                                                              const std::string& token,
                                                              const std::string& caller = "svc") {
    payments::v1::ListAccountsRequest request;
    request.set_page_size(page_size);
    request.set_page_token(token);
    CallContext context;
    context.caller = caller;
    return Await<payments::v1::ListAccountsResponse>(
        [&](auto done) { core_.ListAccounts(request, context, std::move(done)); });
  }

  // Every account id, page by page with the given sizes (the last one repeats); each page must
  // be full unless it is the last.
  std::vector<std::string> Walk(std::vector<int> sizes, const std::string& caller = "svc") {
    std::vector<std::string> ids;
    std::string token;
    for (int page = 0; page < 100; ++page) {
      const int asked = sizes[std::min<size_t>(page, sizes.size() - 1)];
      const int size = asked == 0 ? 50 : asked;
      auto response = Accounts(asked, token, caller);
      EXPECT_TRUE(response.ok()) << response.status();
      if (!response.ok()) break;
      EXPECT_LE(response->accounts_size(), size);
      for (const auto& account : response->accounts()) ids.push_back(account.id());
      if (response->next_page_token().empty()) break;
      EXPECT_EQ(response->accounts_size(), size) << "a page with a next page is full";
      token = response->next_page_token();
    }
    return ids;
  }

  static std::vector<std::string> Ids(const std::string& prefix, int count) {
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) ids.push_back(absl::StrCat(prefix, ".acct.n", i));
    return ids;
  }

  providers::ProviderRegistry registry_;
  PagedProvider* monato_ = nullptr;
  PagedProvider* fintoc_ = nullptr;
  const BankCatalog banks_ = BankCatalog::Builtin();
  PayoutEventHub events_;
  idempotency::MemoryStore store_;
  idempotency::StoreExecutor executor_{&store_, 1};
  PayoutEngine engine_{&executor_, &registry_, &banks_, &events_, EngineOptions{"test-instance"}};
  GatewayCore core_{&registry_, &banks_, &events_, &engine_};
};

TEST_F(ProviderPagesTest, TheDefaultPageHoldsBothProvidersAccountsAndNoToken) {
  Configure(3, 2);
  auto page = Accounts(0, "");
  ASSERT_TRUE(page.ok()) << page.status();
  std::vector<std::string> ids;
  for (const auto& account : page->accounts()) ids.push_back(account.id());
  EXPECT_THAT(ids, ElementsAre("monato.acct.n0", "monato.acct.n1", "monato.acct.n2",
                               "fintoc.acct.n0", "fintoc.acct.n1"));
  EXPECT_EQ(page->next_page_token(), "");
}

TEST_F(ProviderPagesTest, SmallPagesWalkEveryAccountOnceAcrossTheProviderBoundary) {
  Configure(3, 4);
  std::vector<std::string> all = Ids("monato", 3);
  for (const std::string& id : Ids("fintoc", 4)) all.push_back(id);
  for (int size : {1, 2, 3}) {
    EXPECT_THAT(Walk({size}), ElementsAreArray(all)) << "page_size " << size;
  }
  // The caller may change page_size between pages; the page-number cursors stay right.
  EXPECT_THAT(Walk({2, 3, 1, 3}), ElementsAreArray(all));
  EXPECT_THAT(Walk({3, 1, 2}), ElementsAreArray(all));
}

TEST_F(ProviderPagesTest, ManyPagesOfOneProviderStillFillAndEnd) {
  Configure(7, 0);
  EXPECT_THAT(Walk({2}), ElementsAreArray(Ids("monato", 7)));
  EXPECT_THAT(Walk({0}), ElementsAreArray(Ids("monato", 7)));
}

TEST_F(ProviderPagesTest, APageLargerThanAProviderPageIsReadInSeveral) {
  Configure(250, 0);
  payments::v1::ListBanksRequest request;  // banks of one provider take pages up to 500
  request.set_provider(payments::v1::PROVIDER_MONATO);
  request.set_page_size(500);
  auto page = Await<payments::v1::ListBanksResponse>(
      [&](auto done) { core_.ListBanks(request, CallContext{}, std::move(done)); });
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->banks_size(), 250);
  EXPECT_EQ(page->next_page_token(), "");
  EXPECT_EQ(monato_->reads(), 3);  // 100 + 100 + 50
  request.set_page_size(150);
  page = Await<payments::v1::ListBanksResponse>(
      [&](auto done) { core_.ListBanks(request, CallContext{}, std::move(done)); });
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->banks_size(), 150);
  request.set_page_token(page->next_page_token());
  page = Await<payments::v1::ListBanksResponse>(
      [&](auto done) { core_.ListBanks(request, CallContext{}, std::move(done)); });
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->banks_size(), 100);
  EXPECT_EQ(page->banks(0).provider_bank_id(), "b150");
  EXPECT_EQ(page->next_page_token(), "");
}

TEST_F(ProviderPagesTest, AnErrorOnTheFirstReadIsTheAnswer) {
  Configure(2, 2);
  monato_->FailNextList(absl::UnavailableError("monato is down"));
  auto page = Accounts(0, "");
  EXPECT_EQ(page.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(page.status().message(), "monato is down");
}

TEST_F(ProviderPagesTest, AnErrorAfterSomeAccountsEndsThePageAndIsReportedNext) {
  Configure(2, 2);
  fintoc_->FailNextList(absl::UnavailableError("fintoc is down"));
  auto first = Accounts(0, "");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->accounts_size(), 2);
  EXPECT_EQ(first->accounts(1).id(), "monato.acct.n1");
  ASSERT_NE(first->next_page_token(), "");
  fintoc_->FailNextList(absl::UnavailableError("fintoc is still down"));
  auto second = Accounts(0, first->next_page_token());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  auto third = Accounts(0, first->next_page_token());  // fintoc is back
  ASSERT_TRUE(third.ok()) << third.status();
  ASSERT_EQ(third->accounts_size(), 2);
  EXPECT_EQ(third->accounts(0).id(), "fintoc.acct.n0");
  EXPECT_EQ(third->next_page_token(), "");
}

TEST_F(ProviderPagesTest, ATokenWithSizesOutOfRangeIsRefused) {
  Configure(2, 2);
  for (const PagePosition& forged : {PagePosition{payments::v1::PROVIDER_MONATO, "2", 101, 0},
                                     PagePosition{payments::v1::PROVIDER_MONATO, "2", 1, 500},
                                     PagePosition{payments::v1::PROVIDER_MONATO, "2", -1, 0}}) {
    auto page = Accounts(0, EncodePageToken(forged));
    ASSERT_EQ(FieldViolationsOf(page.status()).size(), 1u);
    EXPECT_EQ(FieldViolationsOf(page.status())[0].field(), "page_token");
  }
  EXPECT_EQ(monato_->reads(), 0);
}

TEST_F(ProviderPagesTest, HiddenAccountsAreSkippedAndPagesStillFill) {
  Configure(4, 3);
  core_.SetAccountVisibility([](const std::string& caller, absl::string_view account) {
    return caller != "narrow" || (account != "monato.acct.n1" && account != "monato.acct.n2" &&
                                  account != "fintoc.acct.n0");
  });
  const std::vector<std::string> visible = {"monato.acct.n0", "monato.acct.n3", "fintoc.acct.n1",
                                            "fintoc.acct.n2"};
  for (int size : {1, 2, 3, 0}) {
    EXPECT_THAT(Walk({size}, "narrow"), ElementsAreArray(visible)) << "page_size " << size;
  }
  EXPECT_EQ(Walk({0}, "wide").size(), 7u);
}

TEST_F(ProviderPagesTest, ACallerWhoSeesNothingGetsEmptyPagesThatEnd) {
  Configure(60, 0);
  core_.SetAccountVisibility([](const std::string&, absl::string_view) { return false; });
  // page_size 1 reads one account per provider read: a call stops after its read budget.
  auto first = Accounts(1, "");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->accounts_size(), 0);
  EXPECT_NE(first->next_page_token(), "");
  EXPECT_EQ(monato_->reads(), kMaxProviderReadsPerPage);
  std::string token = first->next_page_token();
  int calls = 1;
  while (!token.empty() && calls < 10) {
    auto next = Accounts(1, token);
    ASSERT_TRUE(next.ok()) << next.status();
    EXPECT_EQ(next->accounts_size(), 0);
    token = next->next_page_token();
    ++calls;
  }
  // 60 reads of one hidden account each, 20 per call, then Fintoc's (empty) first page.
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(fintoc_->reads(), 1);
  EXPECT_EQ(monato_->reads(), 60);
}

TEST_F(ProviderPagesTest, CounterpartiesFillAcrossProvidersToo) {
  Configure(3, 2);
  std::vector<std::string> ids;
  payments::v1::ListCounterpartiesRequest request;
  request.set_page_size(2);
  for (int page = 0; page < 10; ++page) {
    auto response = Await<payments::v1::ListCounterpartiesResponse>(
        [&](auto done) { core_.ListCounterparties(request, CallContext{}, std::move(done)); });
    ASSERT_TRUE(response.ok()) << response.status();
    for (const auto& c : response->counterparties()) ids.push_back(c.id());
    if (response->next_page_token().empty()) break;
    EXPECT_EQ(response->counterparties_size(), 2);
    request.set_page_token(response->next_page_token());
  }
  EXPECT_THAT(ids, ElementsAre("monato.cpty.n0", "monato.cpty.n1", "monato.cpty.n2",
                               "fintoc.cpty.n0", "fintoc.cpty.n1"));
  request.clear_page_token();
  request.set_page_size(0);
  auto whole = Await<payments::v1::ListCounterpartiesResponse>(
      [&](auto done) { core_.ListCounterparties(request, CallContext{}, std::move(done)); });
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->counterparties_size(), 5);
  EXPECT_EQ(whole->next_page_token(), "");
}

// Received money is scoped by the account it came into.
class ReceivedVisibilityTest : public ProviderPagesTest {
 protected:
  void Receive(int n, const std::string& account) {
    payments::v1::ReceivedTransaction received;
    received.set_id(absl::StrCat("fintoc.txn.r", n < 10 ? "0" : "", n));
    received.set_provider(payments::v1::PROVIDER_FINTOC);
    received.set_account_id(account);
    ASSERT_TRUE(store_.SaveReceived(received).ok());
  }

  std::vector<std::string> WalkReceived(int size, const std::string& caller, int* calls) {
    std::vector<std::string> ids;
    payments::v1::ListReceivedTransactionsRequest request;
    request.set_page_size(size);
    CallContext context;
    context.caller = caller;
    for (*calls = 1; *calls < 200; ++*calls) {
      auto response = Await<payments::v1::ListReceivedTransactionsResponse>(
          [&](auto done) { core_.ListReceivedTransactions(request, context, std::move(done)); });
      EXPECT_TRUE(response.ok()) << response.status();
      if (!response.ok()) break;
      EXPECT_LE(response->transactions_size(), size);
      for (const auto& t : response->transactions()) ids.push_back(t.id());
      if (response->next_page_token().empty()) break;
      request.set_page_token(response->next_page_token());
    }
    return ids;
  }
};

TEST_F(ReceivedVisibilityTest, MoneyIntoHiddenAccountsIsSkippedAndPagesFill) {
  Configure(0, 0);
  for (int i = 0; i < 9; ++i) Receive(i, i % 3 == 0 ? "fintoc.acct.mine" : "fintoc.acct.other");
  Receive(9, "");  // saved before records named their account
  core_.SetAccountVisibility([](const std::string& caller, absl::string_view account) {
    return caller == "all" || account == "fintoc.acct.mine";
  });
  int calls = 0;
  EXPECT_THAT(WalkReceived(2, "mine", &calls),
              ElementsAre("fintoc.txn.r00", "fintoc.txn.r03", "fintoc.txn.r06"));
  EXPECT_EQ(calls, 2);  // the first page is full: it read past hidden rows to fill it
  EXPECT_EQ(WalkReceived(2, "all", &calls).size(), 10u);
  EXPECT_EQ(calls, 5);
}

TEST_F(ReceivedVisibilityTest, ACallReadsABoundedNumberOfStorePages) {
  Configure(0, 0);
  const int hidden = 3 * PayoutEngine::kMaxStorePagesPerList;
  for (int i = 0; i < hidden; ++i) Receive(i, "fintoc.acct.other");
  Receive(hidden, "fintoc.acct.mine");
  core_.SetAccountVisibility(
      [](const std::string&, absl::string_view account) { return account == "fintoc.acct.mine"; });
  int calls = 0;
  EXPECT_THAT(WalkReceived(1, "mine", &calls), ElementsAre(absl::StrCat("fintoc.txn.r", hidden)));
  // page_size 1 reads two rows per store page: 40 hidden rows per call at most.
  EXPECT_EQ(calls, 2);
}

TEST_F(ReceivedVisibilityTest, WithoutAVisibilityEveryRowIsListedAsBefore) {
  Configure(0, 0);
  for (int i = 0; i < 5; ++i) Receive(i, "");
  int calls = 0;
  EXPECT_EQ(WalkReceived(2, "anyone", &calls).size(), 5u);
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace gateway
