// Routing with test-double providers: each request reaches the provider its ids name, bad
// requests reach none, and lists page across providers.
#include "gateway/core/gateway_core.h"

#include <memory>

#include "gateway/core/payout_event_tailer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "idempotency/memory_store.h"
#include "idempotency/store_executor.h"
#include "providers/common/await.h"
#include "providers/testing/fake_provider.h"
#include "vocabulary/error_details.h"

namespace gateway {
namespace {

using providers::Await;  // runs an async core call and waits for its single answer
using providers::FakeProvider;
using testing::HasSubstr;

payments::v1::CreatePayoutRequest Payout(const std::string& source) {
  payments::v1::CreatePayoutRequest request;
  request.set_idempotency_key("k1");
  request.set_source_account_id(source);
  request.mutable_amount()->set_amount_minor(195);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe("014180655091438298");
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.set_description("Test payment");
  request.set_numeric_reference(123456);
  return request;
}

class GatewayCoreTest : public testing::Test {
 protected:
  GatewayCoreTest() {
    auto monato = std::make_unique<FakeProvider>(payments::v1::PROVIDER_MONATO);
    auto fintoc = std::make_unique<FakeProvider>(payments::v1::PROVIDER_FINTOC);
    monato_ = monato.get();
    fintoc_ = fintoc.get();
    registry_.Add(std::move(monato));
    registry_.Add(std::move(fintoc));
  }

  absl::StatusOr<payments::v1::Payout> Create(const payments::v1::CreatePayoutRequest& request) {
    return Await<payments::v1::Payout>(
        [&](auto done) { core_.CreatePayout(request, CallContext{}, std::move(done)); });
  }

  providers::ProviderRegistry registry_;
  FakeProvider* monato_;
  FakeProvider* fintoc_;
  const BankCatalog banks_ = BankCatalog::Builtin();
  PayoutEventHub events_;
  idempotency::MemoryStore store_;
  idempotency::StoreExecutor executor_{&store_, 1};
  PayoutEngine engine_{&executor_, &registry_, &banks_, &events_, EngineOptions{"test-instance"}};
  GatewayCore core_{&registry_, &banks_, &events_, &engine_};
  PayoutEventTailer tailer_{&executor_, &events_, absl::Milliseconds(5)};
};

TEST_F(GatewayCoreTest, RoutesByTheSourceAccountsProvider) {
  auto payout = Create(Payout("fintoc.acct.acc_1"));
  ASSERT_TRUE(payout.ok()) << payout.status();
  EXPECT_EQ(payout->provider(), payments::v1::PROVIDER_FINTOC);
  EXPECT_EQ(fintoc_->CallCount("CreatePayout"), 1);
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 0);
  ASSERT_EQ(fintoc_->payout_orders().size(), 1u);
  EXPECT_EQ(fintoc_->payout_orders()[0].source_account_native_id, "acc_1");

  auto monato = Payout("monato.acct.m-1");
  monato.set_idempotency_key("k2");
  ASSERT_TRUE(Create(monato).ok());
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 1);
}

TEST_F(GatewayCoreTest, TheSameKeyIsAnsweredFromTheStoreWithoutAProviderCall) {
  auto first = Create(Payout("fintoc.acct.acc_1"));
  auto second = Create(Payout("fintoc.acct.acc_1"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->id(), second->id());
  EXPECT_EQ(fintoc_->CallCount("CreatePayout"), 1);
  auto changed = Payout("fintoc.acct.acc_1");
  changed.mutable_amount()->set_amount_minor(196);
  auto reused = Create(changed);
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(reused.status()), "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(fintoc_->CallCount("CreatePayout"), 1);
}

TEST_F(GatewayCoreTest, PayoutIdsAreTheGatewaysNotTheProviders) {
  auto payout = Create(Payout("fintoc.acct.acc_1"));
  ASSERT_TRUE(payout.ok());
  EXPECT_EQ(payout->id(), PayoutEngine::PayoutIdFor(payments::v1::PROVIDER_FINTOC, "", "k1"));
  EXPECT_EQ(payout->provider_payout_id(), "p1");
}

TEST_F(GatewayCoreTest, NothingHappenedErrorsGiveTheKeyBack) {
  fintoc_->FailNextCall(absl::UnavailableError("connection refused"));
  EXPECT_EQ(Create(Payout("fintoc.acct.acc_1")).status().code(), absl::StatusCode::kUnavailable);
  auto retried = Create(Payout("fintoc.acct.acc_1"));  // same key, allowed to try again
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(fintoc_->CallCount("CreatePayout"), 2);
}

TEST_F(GatewayCoreTest, DefiniteErrorsAreStoredAndReplayed) {
  fintoc_->FailNextCall(absl::FailedPreconditionError("insufficient balance"));
  EXPECT_EQ(Create(Payout("fintoc.acct.acc_1")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto replay = Create(Payout("fintoc.acct.acc_1"));
  EXPECT_EQ(replay.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(replay.status().message(), "insufficient balance");
  EXPECT_EQ(fintoc_->CallCount("CreatePayout"), 1);
}

TEST_F(GatewayCoreTest, InvalidRequestsNeverReachAProvider) {
  auto request = Payout("monato.acct.m-1");
  request.mutable_counterparty()->set_clabe("012180000000000008");  // doc example, bad digit
  auto payout = Create(request);
  EXPECT_EQ(payout.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(payout.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(payout.status())[0].field(), "counterparty.clabe");
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 0);
}

TEST_F(GatewayCoreTest, ProviderLimitsApplyToTheRoutedProvider) {
  providers::ProviderRegistry registry;
  auto small = std::make_unique<FakeProvider>(payments::v1::PROVIDER_FINTOC,
                                              providers::Capabilities{{"MXN"}, 1000, false});
  FakeProvider* fake = small.get();
  registry.Add(std::move(small));
  PayoutEngine engine(&executor_, &registry, &banks_, &events_, EngineOptions{"test-instance"});
  GatewayCore core(&registry, &banks_, &events_, &engine);
  auto request = Payout("fintoc.acct.acc_1");
  request.mutable_amount()->set_amount_minor(1001);
  auto payout = Await<payments::v1::Payout>(
      [&](auto done) { core.CreatePayout(request, CallContext{}, std::move(done)); });
  ASSERT_EQ(FieldViolationsOf(payout.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(payout.status())[0].field(), "amount.amount_minor");
  EXPECT_EQ(fake->CallCount("CreatePayout"), 0);
}

TEST_F(GatewayCoreTest, UnconfiguredProviderIsFailedPrecondition) {
  providers::ProviderRegistry only_monato;
  only_monato.Add(std::make_unique<FakeProvider>(payments::v1::PROVIDER_MONATO));
  PayoutEngine engine(&executor_, &only_monato, &banks_, &events_, EngineOptions{"test-instance"});
  GatewayCore core(&only_monato, &banks_, &events_, &engine);
  auto payout = Await<payments::v1::Payout>([&](auto done) {
    core.CreatePayout(Payout("fintoc.acct.acc_1"), CallContext{}, std::move(done));
  });
  EXPECT_EQ(payout.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(payout.status().message()), HasSubstr("PROVIDER_FINTOC"));
}

TEST_F(GatewayCoreTest, ProviderErrorsPassThrough) {
  monato_->FailNextCall(absl::UnavailableError("monato is down"));
  auto payout = Create(Payout("monato.acct.m-1"));
  EXPECT_EQ(payout.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(GatewayCoreTest, GetPayoutRoutesByThePayoutId) {
  auto created = Create(Payout("fintoc.acct.acc_1"));
  ASSERT_TRUE(created.ok());
  payments::v1::GetPayoutRequest get;
  get.set_payout_id(created->id());
  auto payout = Await<payments::v1::Payout>(
      [&](auto done) { core_.GetPayout(get, CallContext{}, std::move(done)); });
  ASSERT_TRUE(payout.ok()) << payout.status();
  EXPECT_EQ(payout->id(), created->id());
  get.set_payout_id("fintoc.acct.acc_1");
  auto wrong_kind = Await<payments::v1::Payout>(
      [&](auto done) { core_.GetPayout(get, CallContext{}, std::move(done)); });
  EXPECT_EQ(FieldViolationsOf(wrong_kind.status())[0].field(), "payout_id");
}

TEST_F(GatewayCoreTest, ListAccountsPagesThroughEveryProvider) {
  std::vector<std::string> ids;
  payments::v1::ListAccountsRequest request;
  for (int page = 0; page < 10; ++page) {
    auto response = Await<payments::v1::ListAccountsResponse>(
        [&](auto done) { core_.ListAccounts(request, CallContext{}, std::move(done)); });
    ASSERT_TRUE(response.ok()) << response.status();
    for (const auto& account : response->accounts()) ids.push_back(account.id());
    if (response->next_page_token().empty()) break;
    request.set_page_token(response->next_page_token());
  }
  EXPECT_THAT(ids, testing::ElementsAre("monato.acct.a1", "monato.acct.a2", "fintoc.acct.a1",
                                        "fintoc.acct.a2"));
}

TEST_F(GatewayCoreTest, TheDefaultAccountsPageHoldsEveryProvidersAccounts) {
  // Issue 14: the first page held one provider's first account and a token.
  auto response = Await<payments::v1::ListAccountsResponse>([&](auto done) {
    core_.ListAccounts(payments::v1::ListAccountsRequest(), CallContext{}, std::move(done));
  });
  ASSERT_TRUE(response.ok()) << response.status();
  std::vector<std::string> ids;
  for (const auto& account : response->accounts()) ids.push_back(account.id());
  EXPECT_THAT(ids, testing::ElementsAre("monato.acct.a1", "monato.acct.a2", "fintoc.acct.a1",
                                        "fintoc.acct.a2"));
  EXPECT_EQ(response->next_page_token(), "");
}

TEST_F(GatewayCoreTest, ForgedPageTokenIsInvalidArgument) {
  payments::v1::ListAccountsRequest request;
  request.set_page_token("not-a-token");
  auto response = Await<payments::v1::ListAccountsResponse>(
      [&](auto done) { core_.ListAccounts(request, CallContext{}, std::move(done)); });
  EXPECT_EQ(FieldViolationsOf(response.status())[0].field(), "page_token");
}

TEST_F(GatewayCoreTest, BuiltinBankCatalogueIsPagedWithoutProviders) {
  payments::v1::ListBanksRequest request;
  request.set_page_size(40);
  size_t total = 0;
  for (int page = 0; page < 10; ++page) {
    auto response = Await<payments::v1::ListBanksResponse>(
        [&](auto done) { core_.ListBanks(request, CallContext{}, std::move(done)); });
    ASSERT_TRUE(response.ok()) << response.status();
    total += response->banks_size();
    if (response->next_page_token().empty()) break;
    request.set_page_token(response->next_page_token());
  }
  EXPECT_EQ(total, BankCatalog::Builtin().All().size());
  EXPECT_EQ(monato_->CallCount("ListBanks"), 0);
}

TEST_F(GatewayCoreTest, ValidateClabeNeedsNoProvider) {
  payments::v1::ValidateClabeRequest request;
  request.set_clabe("012180026050783858");
  auto ok = core_.ValidateClabe(request);
  EXPECT_TRUE(ok.valid());
  EXPECT_EQ(ok.bank_name(), "BBVA México");
  request.set_clabe("012180000000000008");
  auto bad = core_.ValidateClabe(request);
  EXPECT_FALSE(bad.valid());
  EXPECT_EQ(bad.expected_check_digit(), "2");
}

TEST_F(GatewayCoreTest, CreatedPayoutsArePublished) {
  std::vector<std::string> seen;
  ASSERT_TRUE(events_
                  .Subscribe(
                      {}, "",
                      [&](const payments::v1::PayoutEvent& e) { seen.push_back(e.payout().id()); },
                      nullptr)
                  .ok());
  auto payout = Create(Payout("monato.acct.m-1"));
  ASSERT_TRUE(payout.ok());
  EXPECT_TRUE(seen.empty());  // published from the store's log, not directly
  EXPECT_EQ(tailer_.CatchUp(), 1);
  EXPECT_THAT(seen, testing::ElementsAre(payout->id()));
}

}  // namespace
}  // namespace gateway
