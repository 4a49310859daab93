// GetCallerLimits over a real MemoryStore: the usage of each limit after claims with spends,
// the open gateway, a caller the policies file does not name, and bad requests.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gateway/core/gateway_core.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "idempotency/memory_store.h"
#include "idempotency/store_executor.h"
#include "providers/common/await.h"
#include "providers/testing/fake_provider.h"
#include "vocabulary/error_details.h"

namespace gateway {
namespace {

using payments::v1::CallerLimits;
using payments::v1::GetCallerLimitsRequest;
using payments::v1::LimitStatus;
using providers::Await;
using testing::ElementsAre;

constexpr char kClabeX[] = "646180110400000007";
constexpr char kClabeY[] = "014180655091438298";

constexpr char kPolicies[] = R"yaml(
policies:
  - caller: checkout
    operations: [payouts, refunds]
    source_accounts: ["monato.acct.a1", "fintoc.acct.*"]
    max_per_payout_minor: 500000
    limits:
      - name: daily-total
        per: caller
        window: 24h
        max_amount_minor: 1000000
        max_count: 50
      - name: per-account
        per: source_account
        window: 1h30m
        max_amount_minor: 200000
      - name: per-customer
        per: destination
        window: 24h
        max_count: 3
  - caller: treasury
    operations: [payouts]
    source_accounts: ["monato.acct.*"]
)yaml";

class CallerLimitsTest : public testing::Test {
 protected:
  CallerLimitsTest() {
    registry_.Add(std::make_unique<providers::FakeProvider>(payments::v1::PROVIDER_MONATO));
    registry_.Add(std::make_unique<providers::FakeProvider>(payments::v1::PROVIDER_FINTOC));
  }

  static std::unique_ptr<PolicyBook> Book() {
    auto book = PolicyBook::FromYaml(kPolicies);
    EXPECT_TRUE(book.ok()) << book.status();
    return book.ok() ? *std::move(book) : std::make_unique<PolicyBook>();
  }

  absl::StatusOr<CallerLimits> Limits(GatewayCore& core, const std::string& caller,
                                      const std::string& source = "",
                                      const std::string& destination = "") {
    GetCallerLimitsRequest request;
    request.set_source_account_id(source);
    request.set_destination(destination);
    providers::CallContext context;
    context.caller = caller;
    return Await<CallerLimits>(
        [&](auto done) { core.GetCallerLimits(request, context, std::move(done)); });
  }

  // A payout claim reserving `amount` against `caller`'s limits, as CreatePayout makes one.
  void Spend(const std::string& caller, const std::string& key, const std::string& source,
             const std::string& destination, int64_t amount) {
    idempotency::ClaimRequest claim;
    claim.id = idempotency::RecordKey{caller, "CreatePayout", key};
    claim.fingerprint = key;
    claim.request = "request";
    claim.owner = "test-instance";
    claim.lease = absl::Seconds(30);
    claim.retention = absl::Hours(24);
    idempotency::Spend spend;
    spend.payout_id = absl::StrCat("monato.payout.", key);
    spend.source_account_id = source;
    spend.destination = destination;
    spend.amount_minor = amount;
    if (auto policy = book_->For(caller); policy != nullptr) spend.limits = policy->limits;
    claim.spend = std::move(spend);
    auto claimed = store_.Claim(claim, absl::Now());
    ASSERT_TRUE(claimed.ok()) << claimed.status();
    ASSERT_EQ(claimed->outcome, idempotency::ClaimOutcome::kClaimed);
  }

  providers::ProviderRegistry registry_;
  const BankCatalog banks_ = BankCatalog::Builtin();
  PayoutEventHub events_;
  idempotency::MemoryStore store_;
  idempotency::StoreExecutor executor_{&store_, 1};
  PayoutEngine engine_{&executor_, &registry_, &banks_, &events_, EngineOptions{"test-instance"}};
  const std::unique_ptr<PolicyBook> book_ = Book();
  GatewayCore core_{&registry_, &banks_, &events_, &engine_, book_.get()};
};

void ExpectUsage(const LimitStatus& limit, const std::string& name, const std::string& scope,
                 const std::string& scope_value, int64_t used_amount, int64_t used_count) {
  EXPECT_EQ(limit.name(), name);
  EXPECT_EQ(limit.scope(), scope);
  EXPECT_EQ(limit.scope_value(), scope_value) << name;
  EXPECT_EQ(limit.used_amount().amount_minor(), used_amount) << name;
  EXPECT_EQ(limit.used_amount().currency(), "MXN") << name;
  EXPECT_EQ(limit.used_count(), used_count) << name;
}

TEST_F(CallerLimitsTest, ThePolicyAndTheUsageOfEachLimitAfterSomePayouts) {
  Spend("checkout", "k1", "monato.acct.a1", kClabeX, 100);
  Spend("checkout", "k2", "monato.acct.a1", kClabeX, 250);
  Spend("checkout", "k3", "fintoc.acct.f1", kClabeY, 1000);
  Spend("treasury", "k1", "monato.acct.a1", kClabeX, 7777);  // another caller's: not counted

  auto limits = Limits(core_, "checkout");
  ASSERT_TRUE(limits.ok()) << limits.status();
  EXPECT_EQ(limits->caller(), "checkout");
  EXPECT_TRUE(limits->policies_enabled());
  EXPECT_THAT(limits->operations(), ElementsAre("payouts", "refunds"));
  EXPECT_THAT(limits->source_accounts(), ElementsAre("monato.acct.a1", "fintoc.acct.*"));
  EXPECT_EQ(limits->max_per_payout().amount_minor(), 500000);
  EXPECT_EQ(limits->max_per_payout().currency(), "MXN");
  // The pattern cannot be listed: one per-account entry, for the literal account.
  ASSERT_EQ(limits->limits_size(), 3) << limits->DebugString();
  const LimitStatus& daily = limits->limits(0);
  ExpectUsage(daily, "daily-total", "caller", "", 1350, 3);
  EXPECT_EQ(daily.window().seconds(), 24 * 3600);
  EXPECT_EQ(daily.max_amount().amount_minor(), 1000000);
  ASSERT_TRUE(daily.has_max_count());
  EXPECT_EQ(daily.max_count(), 50);
  const LimitStatus& account = limits->limits(1);
  ExpectUsage(account, "per-account", "source_account", "monato.acct.a1", 350, 2);
  EXPECT_EQ(account.window().seconds(), 5400);
  EXPECT_FALSE(account.has_max_count());
  // Usage is kept per destination: none asked for, none shown.
  const LimitStatus& customer = limits->limits(2);
  ExpectUsage(customer, "per-customer", "destination", "", 0, 0);
  EXPECT_FALSE(customer.has_max_amount());
  EXPECT_EQ(customer.max_count(), 3);

  // One account (a pattern's) and one destination asked for; the destination comes back masked.
  limits = Limits(core_, "checkout", "fintoc.acct.f1", kClabeX);
  ASSERT_TRUE(limits.ok()) << limits.status();
  ASSERT_EQ(limits->limits_size(), 3) << limits->DebugString();
  ExpectUsage(limits->limits(0), "daily-total", "caller", "", 1350, 3);
  ExpectUsage(limits->limits(1), "per-account", "source_account", "fintoc.acct.f1", 1000, 1);
  ExpectUsage(limits->limits(2), "per-customer", "destination", "**************0007", 350, 2);
  EXPECT_EQ(limits->DebugString().find(kClabeX), std::string::npos);
}

TEST_F(CallerLimitsTest, WithoutAPoliciesFileTheGatewayIsOpen) {
  GatewayCore no_book{&registry_, &banks_, &events_, &engine_, nullptr};
  auto limits = Limits(no_book, "checkout");
  ASSERT_TRUE(limits.ok()) << limits.status();
  EXPECT_EQ(limits->caller(), "checkout");
  EXPECT_FALSE(limits->policies_enabled());
  EXPECT_EQ(limits->limits_size(), 0);

  PolicyBook open;  // a book with no file read is open too
  GatewayCore open_core{&registry_, &banks_, &events_, &engine_, &open};
  limits = Limits(open_core, "");
  ASSERT_TRUE(limits.ok()) << limits.status();
  EXPECT_FALSE(limits->policies_enabled());
  EXPECT_TRUE(limits->operations().empty());
}

TEST_F(CallerLimitsTest, ACallerTheFileDoesNotNameHasTheEmptyPolicy) {
  auto limits = Limits(core_, "stranger");
  ASSERT_TRUE(limits.ok()) << limits.status();
  EXPECT_EQ(limits->caller(), "stranger");
  EXPECT_TRUE(limits->policies_enabled());
  EXPECT_TRUE(limits->operations().empty());
  EXPECT_TRUE(limits->source_accounts().empty());
  EXPECT_FALSE(limits->has_max_per_payout());
  EXPECT_EQ(limits->limits_size(), 0);
}

TEST_F(CallerLimitsTest, PatternsAloneGiveOnePerAccountEntryWithNoUsage) {
  auto book = PolicyBook::FromYaml(R"yaml(
policies:
  - caller: treasury
    operations: [payouts]
    source_accounts: ["monato.acct.*"]
    limits:
      - name: per-account
        per: source_account
        window: 1h
        max_amount_minor: 100
)yaml");
  ASSERT_TRUE(book.ok()) << book.status();
  GatewayCore core{&registry_, &banks_, &events_, &engine_, book->get()};
  auto limits = Limits(core, "treasury");
  ASSERT_TRUE(limits.ok()) << limits.status();
  ASSERT_EQ(limits->limits_size(), 1);
  ExpectUsage(limits->limits(0), "per-account", "source_account", "", 0, 0);
  limits = Limits(core, "treasury", "monato.acct.z9");
  ASSERT_TRUE(limits.ok()) << limits.status();
  ASSERT_EQ(limits->limits_size(), 1);
  ExpectUsage(limits->limits(0), "per-account", "source_account", "monato.acct.z9", 0, 0);
}

TEST_F(CallerLimitsTest, AnAccountThePolicyDoesNotAllowIsPermissionDenied) {
  auto limits = Limits(core_, "checkout", "monato.acct.other");
  EXPECT_EQ(limits.status().code(), absl::StatusCode::kPermissionDenied) << limits.status();
  EXPECT_THAT(std::string(limits.status().message()), testing::HasSubstr("source_account_id"));
  EXPECT_EQ(ReasonOf(limits.status()), "ACCOUNT_NOT_ALLOWED");
  limits = Limits(core_, "checkout", "not-an-account-id");
  EXPECT_EQ(limits.status().code(), absl::StatusCode::kInvalidArgument) << limits.status();
}

TEST_F(CallerLimitsTest, ABadDestinationIsInvalidArgumentNamingTheField) {
  GatewayCore no_book{&registry_, &banks_, &events_, &engine_, nullptr};
  for (const char* bad : {"64618011040000000X", "12345", "646180110400000008", "4111111111111112",
                          "0141806550914382981"}) {
    for (GatewayCore* c : {&core_, &no_book}) {
      auto limits = Limits(*c, "checkout", "", bad);
      ASSERT_EQ(limits.status().code(), absl::StatusCode::kInvalidArgument) << bad;
      auto violations = FieldViolationsOf(limits.status());
      ASSERT_EQ(violations.size(), 1u) << bad;
      EXPECT_EQ(violations[0].field(), "destination") << bad;
      EXPECT_EQ(std::string(limits.status().message()).find(bad), std::string::npos)
          << limits.status();
    }
  }
  // A debit card (16 digits, Luhn) is a destination too.
  auto card = Limits(core_, "checkout", "", "4111111111111111");
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_EQ(card->limits(2).scope_value(), "************1111");
}

}  // namespace
}  // namespace gateway
