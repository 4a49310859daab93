#include "gateway/policy/policy_checks.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vocabulary/error_details.h"

namespace gateway {
namespace {

using idempotency::LimitRule;
using idempotency::LimitScope;
using idempotency::LimitVerdict;
using testing::HasSubstr;
using testing::Not;

constexpr char kClabe[] = "002010077777777771";

CallerPolicy Checkout() {
  CallerPolicy policy;
  policy.caller = "checkout";
  policy.operations = {PolicyOperation::kPayouts, PolicyOperation::kRefunds};
  policy.source_accounts = {"monato.acct.*", "fintoc.acct.acc_123"};
  policy.max_per_payout_minor = 5000000;
  LimitRule daily;
  daily.name = "daily-total";
  daily.scope = LimitScope::kCaller;
  daily.window = absl::Hours(24);
  daily.max_amount_minor = 10000;
  daily.max_count = 3;
  LimitRule per_customer;
  per_customer.name = "per-customer";
  per_customer.scope = LimitScope::kDestination;
  per_customer.max_count = 2;
  policy.limits = {daily, per_customer};
  return policy;
}

providers::PayoutOrder Order(const std::string& account, int64_t amount_minor,
                             const std::string& currency = "MXN") {
  providers::PayoutOrder order;
  order.request.set_idempotency_key("k1");
  order.request.set_source_account_id(account);
  order.request.mutable_amount()->set_amount_minor(amount_minor);
  order.request.mutable_amount()->set_currency(currency);
  order.request.mutable_counterparty()->set_clabe(kClabe);
  return order;
}

TEST(PolicyChecksTest, OpenPolicyPassesEverything) {
  EXPECT_TRUE(CheckOperation(nullptr, PolicyOperation::kAccounts).ok());
  EXPECT_TRUE(CheckAccount(nullptr, "source_account_id", "fintoc.acct.acc_9").ok());
  EXPECT_TRUE(CheckPayout(nullptr, Order("anything", 999999999999, "USD")).ok());
  EXPECT_FALSE(SpendOf(nullptr, Order("monato.acct.1", 100), "monato.payout.x").has_value());
}

TEST(PolicyChecksTest, OperationNotAllowed) {
  CallerPolicy policy = Checkout();
  EXPECT_TRUE(CheckOperation(&policy, PolicyOperation::kPayouts).ok());
  EXPECT_TRUE(CheckOperation(&policy, PolicyOperation::kRefunds).ok());
  absl::Status status = CheckOperation(&policy, PolicyOperation::kCounterparties);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(),
            "caller \"checkout\" may not use counterparties (its policy allows payouts, refunds)");
  EXPECT_EQ(ReasonOf(status), "OPERATION_NOT_ALLOWED");
  auto metadata = ReasonMetadataOf(status);
  EXPECT_EQ(metadata.at("caller"), "checkout");
  EXPECT_EQ(metadata.at("operation"), "counterparties");
}

TEST(PolicyChecksTest, AnUnknownCallersEmptyPolicyAllowsNothing) {
  CallerPolicy nothing;
  nothing.caller = "stranger";
  absl::Status status = CheckOperation(&nothing, PolicyOperation::kPayouts);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(status.message()), HasSubstr("(its policy allows none)"));
  EXPECT_EQ(CheckAccount(&nothing, "account_id", "monato.acct.1").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckPayout(&nothing, Order("monato.acct.1", 100)).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(PolicyChecksTest, AccountNotAllowedNamesTheField) {
  CallerPolicy policy = Checkout();
  EXPECT_TRUE(CheckAccount(&policy, "source_account_id", "monato.acct.1").ok());
  absl::Status status = CheckAccount(&policy, "source_account_id", "fintoc.acct.acc_9");
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(),
            "source_account_id: caller \"checkout\" may not pay from \"fintoc.acct.acc_9\"");
  EXPECT_EQ(ReasonOf(status), "ACCOUNT_NOT_ALLOWED");
  EXPECT_EQ(ReasonMetadataOf(status).at("account_id"), "fintoc.acct.acc_9");
  EXPECT_EQ(ReasonMetadataOf(status).at("caller"), "checkout");

  absl::Status parent = CheckAccount(&policy, "parent_account_id", "fintoc.acct.acc_9");
  EXPECT_EQ(parent.message(),
            "parent_account_id: caller \"checkout\" may not use the account "
            "\"fintoc.acct.acc_9\"");
}

TEST(PolicyChecksTest, AccountsAreShownShortAndPrintable) {
  CallerPolicy policy = Checkout();
  absl::Status status =
      CheckAccount(&policy, "account_id", std::string("bad\nid") + std::string(500, 'x'));
  EXPECT_THAT(std::string(status.message()), HasSubstr("\"bad?id"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("...\""));
  EXPECT_LT(status.message().size(), 200u);
}

TEST(PolicyChecksTest, PayoutChecksOperationAccountCurrencyAndMaximum) {
  CallerPolicy policy = Checkout();
  EXPECT_TRUE(CheckPayout(&policy, Order("monato.acct.1", 5000000)).ok());  // exactly the maximum
  EXPECT_TRUE(CheckPayout(&policy, Order("fintoc.acct.acc_123", 1)).ok());

  absl::Status account = CheckPayout(&policy, Order("fintoc.acct.acc_9", 100));
  EXPECT_EQ(account.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReasonOf(account), "ACCOUNT_NOT_ALLOWED");
  EXPECT_THAT(std::string(account.message()), HasSubstr("source_account_id: "));

  absl::Status currency = CheckPayout(&policy, Order("monato.acct.1", 100, "USD"));
  EXPECT_EQ(currency.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(currency.message(),
            "amount.currency: caller \"checkout\" may pay only in MXN, not \"USD\"");
  EXPECT_EQ(ReasonOf(currency), "CURRENCY_NOT_ALLOWED");

  absl::Status above = CheckPayout(&policy, Order("monato.acct.1", 5000001));
  EXPECT_EQ(above.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(above.message(),
            "amount.amount_minor: caller \"checkout\" may pay at most 50000.00 MXN per payout; "
            "this payout is 50000.01 MXN");
  EXPECT_EQ(ReasonOf(above), "AMOUNT_ABOVE_CALLER_MAXIMUM");
  EXPECT_EQ(ReasonMetadataOf(above).at("max_per_payout_minor"), "5000000");
  EXPECT_EQ(ReasonMetadataOf(above).at("amount_minor"), "5000001");

  policy.operations = {PolicyOperation::kRefunds};
  EXPECT_EQ(ReasonOf(CheckPayout(&policy, Order("monato.acct.1", 100))), "OPERATION_NOT_ALLOWED");
}

TEST(PolicyChecksTest, NoMaximumPerPayout) {
  CallerPolicy policy = Checkout();
  policy.max_per_payout_minor = -1;
  EXPECT_TRUE(CheckPayout(&policy, Order("monato.acct.1", 99999999999)).ok());
  policy.max_per_payout_minor = 0;  // a zero maximum allows no payout at all
  EXPECT_EQ(ReasonOf(CheckPayout(&policy, Order("monato.acct.1", 1))),
            "AMOUNT_ABOVE_CALLER_MAXIMUM");
}

TEST(PolicyChecksTest, SpendOfAPayoutToAClabe) {
  CallerPolicy policy = Checkout();
  auto spend = SpendOf(&policy, Order("monato.acct.1", 1234), "monato.payout.abc");
  ASSERT_TRUE(spend.has_value());
  EXPECT_EQ(spend->payout_id, "monato.payout.abc");
  EXPECT_EQ(spend->source_account_id, "monato.acct.1");
  EXPECT_EQ(spend->destination, kClabe);
  EXPECT_EQ(spend->currency, "MXN");
  EXPECT_EQ(spend->amount_minor, 1234);
  ASSERT_EQ(spend->limits.size(), 2u);
  EXPECT_EQ(spend->limits[0].name, "daily-total");
  EXPECT_EQ(spend->limits[1].name, "per-customer");
}

TEST(PolicyChecksTest, SpendOfAPayoutToACardAndWithoutLimits) {
  CallerPolicy policy = Checkout();
  policy.limits.clear();
  providers::PayoutOrder order = Order("monato.acct.1", 500);
  order.request.mutable_counterparty()->set_debit_card("4111111111111111");
  auto spend = SpendOf(&policy, order, "monato.payout.card");
  ASSERT_TRUE(spend.has_value());
  EXPECT_EQ(spend->destination, "4111111111111111");
  EXPECT_TRUE(spend->limits.empty());  // recorded, nothing checked
}

LimitVerdict Verdict(LimitScope scope, const std::string& scope_value) {
  LimitVerdict verdict;
  verdict.usage.rule.name = "daily-total";
  verdict.usage.rule.scope = scope;
  verdict.usage.rule.window = absl::Hours(24);
  verdict.usage.rule.max_amount_minor = 10000;
  verdict.usage.rule.max_count = 3;
  verdict.usage.scope_value = scope_value;
  verdict.usage.used_amount_minor = 9500;
  verdict.usage.used_count = 3;
  return verdict;
}

TEST(PolicyChecksTest, LimitRefusalPerCaller) {
  absl::Status status = LimitRefusal("checkout", Verdict(LimitScope::kCaller, "checkout"), 1000);
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(status.message(),
            "limit \"daily-total\" (per caller, 24h) reached: 100.00 MXN and 3 payouts allowed, "
            "95.00 MXN and 3 used; this payout is 10.00 MXN");
  auto violations = QuotaViolationsOf(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].subject(), "caller:checkout");
  EXPECT_EQ(violations[0].description(),
            "limit \"daily-total\" over 24h: 100.00 MXN and 3 payouts allowed, 95.00 MXN and 3 "
            "used, 5.00 MXN and 0 payouts left");
  EXPECT_EQ(ReasonOf(status), "CALLER_LIMIT_REACHED");
  const std::map<std::string, std::string> expected = {{"caller", "checkout"},
                                                       {"limit", "daily-total"},
                                                       {"scope", "caller"},
                                                       {"window", "24h"},
                                                       {"allowed_amount_minor", "10000"},
                                                       {"used_amount_minor", "9500"},
                                                       {"allowed_count", "3"},
                                                       {"used_count", "3"},
                                                       {"amount_minor", "1000"}};
  EXPECT_EQ(ReasonMetadataOf(status), expected);
}

TEST(PolicyChecksTest, LimitRefusalPerSourceAccount) {
  LimitVerdict verdict = Verdict(LimitScope::kSourceAccount, "monato.acct.1");
  verdict.usage.rule.window = absl::Minutes(90);
  absl::Status status = LimitRefusal("treasury", verdict, 600);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("limit \"daily-total\" (per source account \"monato.acct.1\", 1h30m) "
                        "reached"));
  auto violations = QuotaViolationsOf(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].subject(), "source_account:monato.acct.1");
  EXPECT_EQ(ReasonMetadataOf(status).at("scope"), "source_account");
  EXPECT_EQ(ReasonMetadataOf(status).at("window"), "1h30m");
  EXPECT_EQ(ReasonMetadataOf(status).at("caller"), "treasury");
}

TEST(PolicyChecksTest, LimitRefusalPerDestinationIsMasked) {
  absl::Status status = LimitRefusal("checkout", Verdict(LimitScope::kDestination, kClabe), 1000);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("(per destination \"**************7771\", 24h)"));
  auto violations = QuotaViolationsOf(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].subject(), "destination:**************7771");
  EXPECT_EQ(ReasonMetadataOf(status).at("scope"), "destination");
  // The CLABE never appears whole, in the message or in any detail.
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(kClabe)));
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
    EXPECT_THAT(std::string(payload), Not(HasSubstr(kClabe))) << url;
  });
}

TEST(PolicyChecksTest, LimitRefusalWithOnlyOneMaximum) {
  LimitVerdict by_count = Verdict(LimitScope::kCaller, "checkout");
  by_count.usage.rule.max_amount_minor = -1;
  absl::Status count = LimitRefusal("checkout", by_count, 1000);
  EXPECT_EQ(count.message(),
            "limit \"daily-total\" (per caller, 24h) reached: 3 payouts allowed, 3 payouts used; "
            "this payout is 10.00 MXN");
  EXPECT_EQ(ReasonMetadataOf(count).count("allowed_amount_minor"), 0u);
  EXPECT_EQ(ReasonMetadataOf(count).at("allowed_count"), "3");

  LimitVerdict by_amount = Verdict(LimitScope::kCaller, "checkout");
  by_amount.usage.rule.max_count = -1;
  by_amount.usage.used_amount_minor = 10500;  // over: the limit was lowered by a reload
  absl::Status amount = LimitRefusal("checkout", by_amount, 500);
  EXPECT_EQ(amount.message(),
            "limit \"daily-total\" (per caller, 24h) reached: 100.00 MXN allowed, 105.00 MXN "
            "used; this payout is 5.00 MXN");
  EXPECT_EQ(QuotaViolationsOf(amount)[0].description(),
            "limit \"daily-total\" over 24h: 100.00 MXN allowed, 105.00 MXN used, 0.00 MXN left");
  EXPECT_EQ(ReasonMetadataOf(amount).count("allowed_count"), 0u);
  EXPECT_EQ(ReasonMetadataOf(amount).at("amount_minor"), "500");
}

}  // namespace
}  // namespace gateway
