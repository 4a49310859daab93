// Caller policies enforced by the core (docs/policies.md): refusals before any claim or
// provider call, validation before the policy, limits reserved with the claim (MemoryStore),
// and what a scoped caller sees.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gateway/core/gateway_core.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "idempotency/memory_store.h"
#include "idempotency/store_executor.h"
#include "metrics/gateway_metrics.h"
#include "providers/common/await.h"
#include "providers/testing/fake_provider.h"
#include "vocabulary/error_details.h"

namespace gateway {
namespace {

using providers::Await;
using providers::FakeProvider;
using testing::HasSubstr;

constexpr char kPolicies[] = R"yaml(
policies:
  - caller: billing
    operations: [payouts, refunds, accounts, counterparties]
    source_accounts: ["fintoc.acct.acc_*", "monato.acct.a1"]
    max_per_payout_minor: 100000
    limits:
      - name: daily-count
        per: caller
        window: 24h
        max_count: 3
      - name: daily-amount
        per: caller
        window: 24h
        max_amount_minor: 1000
  - caller: reader
    source_accounts: ["monato.acct.m-1"]
)yaml";

payments::v1::CreatePayoutRequest PayoutRequest(const std::string& key, const std::string& source,
                                                int64_t amount_minor = 100) {
  payments::v1::CreatePayoutRequest request;
  request.set_idempotency_key(key);
  request.set_source_account_id(source);
  request.mutable_amount()->set_amount_minor(amount_minor);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe("014180655091438298");
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.set_description("Test payment");
  request.set_numeric_reference(123456);
  return request;
}

CallContext As(const std::string& caller) {
  CallContext context;
  context.caller = caller;
  return context;
}

int64_t Refusals(const std::string& reason) {
  return metrics::Metrics().policy_refusals->Value({reason});
}

class PolicyEnforcementTest : public testing::Test {
 protected:
  PolicyEnforcementTest() {
    auto monato = std::make_unique<FakeProvider>(payments::v1::PROVIDER_MONATO);
    auto fintoc = std::make_unique<FakeProvider>(payments::v1::PROVIDER_FINTOC);
    monato_ = monato.get();
    fintoc_ = fintoc.get();
    registry_.Add(std::move(monato));
    registry_.Add(std::move(fintoc));
    auto book = PolicyBook::FromYaml(kPolicies);
    EXPECT_TRUE(book.ok()) << book.status();
    if (book.ok()) book_ = *std::move(book);
    core_ = std::make_unique<GatewayCore>(&registry_, &banks_, &events_, &engine_, book_.get());
  }

  absl::StatusOr<payments::v1::Payout> Create(const payments::v1::CreatePayoutRequest& request,
                                              const std::string& caller = "billing") {
    return Await<payments::v1::Payout>(
        [&](auto done) { core_->CreatePayout(request, As(caller), std::move(done)); });
  }

  providers::ProviderRegistry registry_;
  FakeProvider* monato_;
  FakeProvider* fintoc_;
  const BankCatalog banks_ = BankCatalog::Builtin();
  PayoutEventHub events_;
  idempotency::MemoryStore store_;
  idempotency::StoreExecutor executor_{&store_, 1};
  PayoutEngine engine_{&executor_, &registry_, &banks_, &events_, EngineOptions{"test-instance"}};
  std::unique_ptr<PolicyBook> book_ = std::make_unique<PolicyBook>();
  std::unique_ptr<GatewayCore> core_;
};

TEST_F(PolicyEnforcementTest, AnAccountNotAllowedIsRefusedWithoutAClaimAndTheKeyStaysFree) {
  const int64_t before = Refusals("account_not_allowed");
  auto refused = Create(PayoutRequest("k1", "monato.acct.m-1"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReasonOf(refused.status()), "ACCOUNT_NOT_ALLOWED");
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("source_account_id"));
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 0);
  EXPECT_EQ(Refusals("account_not_allowed"), before + 1);
  // Nothing was stored under the key: the same key on an allowed account is a new payout.
  auto allowed = Create(PayoutRequest("k1", "fintoc.acct.acc_1"));
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  EXPECT_EQ(fintoc_->CallCount("CreatePayout"), 1);
}

TEST_F(PolicyEnforcementTest, ValidationComesBeforeThePolicy) {
  auto request = PayoutRequest("k1", "monato.acct.m-1");  // not allowed, and a bad CLABE
  request.mutable_counterparty()->set_clabe("012180000000000008");
  auto refused = Create(request);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(refused.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(refused.status())[0].field(), "counterparty.clabe");
}

TEST_F(PolicyEnforcementTest, AnOperationNotGrantedIsRefused) {
  const int64_t before = Refusals("operation_not_allowed");
  auto refused = Create(PayoutRequest("k1", "monato.acct.m-1"), "reader");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReasonOf(refused.status()), "OPERATION_NOT_ALLOWED");
  EXPECT_EQ(Refusals("operation_not_allowed"), before + 1);
  // A caller the file does not name gets nothing.
  auto stranger = Create(PayoutRequest("k1", "fintoc.acct.acc_1"), "stranger");
  EXPECT_EQ(stranger.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(monato_->CallCount("CreatePayout") + fintoc_->CallCount("CreatePayout"), 0);
}

TEST_F(PolicyEnforcementTest, APayoutAboveTheCallersMaximumIsRefused) {
  const int64_t before = Refusals("amount_above_maximum");
  auto refused = Create(PayoutRequest("k1", "fintoc.acct.acc_1", 100001));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReasonOf(refused.status()), "AMOUNT_ABOVE_CALLER_MAXIMUM");
  EXPECT_EQ(fintoc_->CallCount("CreatePayout"), 0);
  EXPECT_EQ(Refusals("amount_above_maximum"), before + 1);
}

TEST_F(PolicyEnforcementTest, ACountLimitPassesExactlyThenRefusesWithoutSendingOrStoring) {
  const int64_t before = Refusals("limit_reached");
  for (int i = 0; i < 3; ++i) {
    auto payout = Create(PayoutRequest("k" + std::to_string(i), "fintoc.acct.acc_1"));
    ASSERT_TRUE(payout.ok()) << i << ": " << payout.status();
  }
  auto& m = metrics::Metrics();
  EXPECT_EQ(m.caller_limit_used->Value({"billing", "daily-count", "count"}), 3);
  EXPECT_EQ(m.caller_limit_allowed->Value({"billing", "daily-count", "count"}), 3);
  EXPECT_EQ(m.caller_limit_used->Value({"billing", "daily-amount", "minor"}), 300);
  EXPECT_EQ(m.caller_limit_allowed->Value({"billing", "daily-amount", "minor"}), 1000);

  auto refused = Create(PayoutRequest("k3", "fintoc.acct.acc_1"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ReasonOf(refused.status()), "CALLER_LIMIT_REACHED");
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("daily-count"));
  EXPECT_EQ(fintoc_->CallCount("CreatePayout"), 3);
  EXPECT_EQ(Refusals("limit_reached"), before + 1);

  // A replay of an approved key is answered, and not counted again.
  auto replay = Create(PayoutRequest("k0", "fintoc.acct.acc_1"));
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(fintoc_->CallCount("CreatePayout"), 3);
  // The refused key was not stored: asking again is refused again, not replayed.
  EXPECT_EQ(Create(PayoutRequest("k3", "fintoc.acct.acc_1")).status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST_F(PolicyEnforcementTest, AnAmountLimitCountsMinorUnitsAndADefiniteErrorGivesThemBack) {
  ASSERT_TRUE(Create(PayoutRequest("a", "fintoc.acct.acc_1", 600)).ok());
  auto over = Create(PayoutRequest("b", "fintoc.acct.acc_1", 401));
  EXPECT_EQ(over.status().code(), absl::StatusCode::kResourceExhausted);
  // The provider refuses this one definitely: its reservation is given back.
  fintoc_->FailNextCall(absl::FailedPreconditionError("insufficient balance"));
  EXPECT_EQ(Create(PayoutRequest("c", "fintoc.acct.acc_1", 400)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto exact = Create(PayoutRequest("d", "fintoc.acct.acc_1", 400));
  ASSERT_TRUE(exact.ok()) << exact.status();
  EXPECT_EQ(metrics::Metrics().caller_limit_used->Value({"billing", "daily-amount", "minor"}),
            1000);
}

TEST_F(PolicyEnforcementTest, AccountsAndCounterpartiesNeedTheirGrants) {
  payments::v1::GetAccountRequest get;
  get.set_account_id("monato.acct.m-1");
  auto hidden = Await<payments::v1::Account>(
      [&](auto done) { core_->GetAccount(get, As("billing"), std::move(done)); });
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReasonOf(hidden.status()), "ACCOUNT_NOT_ALLOWED");
  EXPECT_EQ(monato_->CallCount("GetAccount"), 0);
  get.set_account_id("fintoc.acct.acc_1");
  auto shown = Await<payments::v1::Account>(
      [&](auto done) { core_->GetAccount(get, As("billing"), std::move(done)); });
  EXPECT_TRUE(shown.ok()) << shown.status();

  payments::v1::CreateAccountRequest create;
  create.set_idempotency_key("acct-1");
  create.set_provider(payments::v1::PROVIDER_FINTOC);
  create.set_parent_account_id("fintoc.acct.other");
  auto parent_refused = Await<payments::v1::Account>(
      [&](auto done) { core_->CreateAccount(create, As("billing"), std::move(done)); });
  EXPECT_EQ(ReasonOf(parent_refused.status()), "ACCOUNT_NOT_ALLOWED");
  EXPECT_THAT(std::string(parent_refused.status().message()), HasSubstr("parent_account_id"));
  auto not_granted = Await<payments::v1::Account>(
      [&](auto done) { core_->CreateAccount(create, As("reader"), std::move(done)); });
  EXPECT_EQ(ReasonOf(not_granted.status()), "OPERATION_NOT_ALLOWED");
  EXPECT_EQ(fintoc_->CallCount("CreateAccount"), 0);

  payments::v1::RegisterCounterpartyRequest counterparty;
  counterparty.set_provider(payments::v1::PROVIDER_MONATO);
  counterparty.mutable_counterparty()->set_clabe("014180655091438298");
  counterparty.mutable_counterparty()->set_holder_name("Jon Snow");
  auto registered = Await<payments::v1::RegisteredCounterparty>(
      [&](auto done) { core_->RegisterCounterparty(counterparty, As("reader"), std::move(done)); });
  EXPECT_EQ(ReasonOf(registered.status()), "OPERATION_NOT_ALLOWED");
  EXPECT_EQ(monato_->CallCount("RegisterCounterparty"), 0);
  auto allowed = Await<payments::v1::RegisteredCounterparty>([&](auto done) {
    core_->RegisterCounterparty(counterparty, As("billing"), std::move(done));
  });
  EXPECT_TRUE(allowed.ok()) << allowed.status();
}

payments::v1::RefundTransactionRequest Refund(const std::string& transaction_id) {
  payments::v1::RefundTransactionRequest request;
  request.set_idempotency_key("refund-" + transaction_id);
  request.set_transaction_id(transaction_id);
  request.mutable_amount()->set_amount_minor(500);
  request.mutable_amount()->set_currency("MXN");
  request.set_description("Devolucion");
  return request;
}

TEST_F(PolicyEnforcementTest, RefundsNeedTheGrantAndMoneyThatCameIntoAnAllowedAccount) {
  for (auto [id, account] :
       {std::pair<std::string, std::string>{"fintoc.txn.mine", "fintoc.acct.acc_1"},
        {"fintoc.txn.theirs", "fintoc.acct.other"},
        {"fintoc.txn.legacy", ""}}) {
    payments::v1::ReceivedTransaction received;
    received.set_id(id);
    received.set_provider(payments::v1::PROVIDER_FINTOC);
    received.set_account_id(account);
    ASSERT_TRUE(store_.SaveReceived(received).ok());
  }
  auto refund = [&](const std::string& transaction_id, const std::string& caller) {
    return Await<payments::v1::Refund>([&](auto done) {
      core_->RefundTransaction(Refund(transaction_id), As(caller), std::move(done));
    });
  };
  EXPECT_EQ(ReasonOf(refund("fintoc.txn.mine", "reader").status()), "OPERATION_NOT_ALLOWED");
  auto theirs = refund("fintoc.txn.theirs", "billing");
  EXPECT_EQ(theirs.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReasonOf(theirs.status()), "ACCOUNT_NOT_ALLOWED");
  EXPECT_THAT(std::string(theirs.status().message()), HasSubstr("transaction_id"));
  for (const char* unknown : {"fintoc.txn.legacy", "fintoc.txn.never-seen"}) {
    auto refused = refund(unknown, "billing");
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied) << unknown;
    EXPECT_THAT(std::string(refused.status().message()), HasSubstr("transaction_id")) << unknown;
  }
  EXPECT_EQ(fintoc_->CallCount("RefundTransaction"), 0);
  auto mine = refund("fintoc.txn.mine", "billing");
  EXPECT_TRUE(mine.ok()) << mine.status();
  EXPECT_EQ(fintoc_->CallCount("RefundTransaction"), 1);
}

TEST_F(PolicyEnforcementTest, ListsShowOnlyWhatThePolicyAllows) {
  std::vector<std::string> ids;
  payments::v1::ListAccountsRequest request;
  for (int page = 0; page < 10; ++page) {
    auto response = Await<payments::v1::ListAccountsResponse>(
        [&](auto done) { core_->ListAccounts(request, As("billing"), std::move(done)); });
    ASSERT_TRUE(response.ok()) << response.status();
    for (const auto& account : response->accounts()) ids.push_back(account.id());
    if (response->next_page_token().empty()) break;
    request.set_page_token(response->next_page_token());
  }
  EXPECT_THAT(ids, testing::ElementsAre("monato.acct.a1"));

  for (auto [id, account] :
       {std::pair<std::string, std::string>{"fintoc.txn.1", "fintoc.acct.acc_1"},
        {"fintoc.txn.2", "fintoc.acct.other"},
        {"fintoc.txn.3", ""},
        {"fintoc.txn.4", "fintoc.acct.acc_2"}}) {
    payments::v1::ReceivedTransaction received;
    received.set_id(id);
    received.set_provider(payments::v1::PROVIDER_FINTOC);
    received.set_account_id(account);
    ASSERT_TRUE(store_.SaveReceived(received).ok());
  }
  auto received = Await<payments::v1::ListReceivedTransactionsResponse>(
      [&](auto done) { core_->ListReceivedTransactions({}, As("billing"), std::move(done)); });
  ASSERT_TRUE(received.ok()) << received.status();
  std::vector<std::string> seen;
  for (const auto& transaction : received->transactions()) seen.push_back(transaction.id());
  EXPECT_THAT(seen, testing::ElementsAre("fintoc.txn.1", "fintoc.txn.4"));
  auto none = Await<payments::v1::ListReceivedTransactionsResponse>(
      [&](auto done) { core_->ListReceivedTransactions({}, As("stranger"), std::move(done)); });
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->transactions_size(), 0);
}

TEST_F(PolicyEnforcementTest, AnOpenGatewayChecksNothing) {
  GatewayCore open(&registry_, &banks_, &events_, &engine_, nullptr);
  auto payout = Await<payments::v1::Payout>([&](auto done) {
    open.CreatePayout(PayoutRequest("open-1", "monato.acct.m-1", 100001), As("anyone"),
                      std::move(done));
  });
  EXPECT_TRUE(payout.ok()) << payout.status();
}

}  // namespace
}  // namespace gateway
