// ReconciliationService.Reconcile's checks: the window, the provider, the caller's policy.
#include "gateway/reconciliation/reconcile_call.h"

#include <memory>

#include "absl/time/clock.h"
#include "gateway/core/payout_engine.h"
#include "gateway/validation/bank_catalog.h"
#include "gtest/gtest.h"
#include "idempotency/memory_store.h"
#include "idempotency/store_executor.h"
#include "providers/common/await.h"
#include "providers/provider_registry.h"
#include "providers/testing/fake_provider.h"
#include "vocabulary/error_details.h"
#include "vocabulary/proto_time.h"

namespace gateway {
namespace {

class ReconcileCallTest : public testing::Test {
 protected:
  ReconcileCallTest() {
    registry_.Add(std::make_unique<providers::FakeProvider>(payments::v1::PROVIDER_FINTOC));
  }
  ~ReconcileCallTest() override { executor_.Shutdown(); }

  payments::v1::ReconcileRequest Window(absl::Duration length) {
    payments::v1::ReconcileRequest request;
    const absl::Time to = absl::Now() - absl::Hours(1);
    *request.mutable_from() = TimestampOf(to - length);
    *request.mutable_to() = TimestampOf(to);
    return request;
  }

  absl::StatusOr<payments::v1::ReconciliationReport> Call(
      const payments::v1::ReconcileRequest& request, const PolicyBook* policies = nullptr) {
    return providers::Await<payments::v1::ReconciliationReport>([&](auto done) {
      Reconcile(&runner_, policies, request, providers::CallContext{}, std::move(done));
    });
  }

  providers::ProviderRegistry registry_;
  const BankCatalog banks_ = BankCatalog::Builtin();
  PayoutEventHub events_;
  idempotency::MemoryStore store_;
  idempotency::StoreExecutor executor_{&store_, 1};
  PayoutEngine engine_{&executor_, &registry_, &banks_, &events_, EngineOptions{"test"}};
  ReconciliationRunner runner_{&executor_, &registry_, &engine_, RunnerOptions{}};
};

std::string FieldOf(const absl::Status& status) {
  auto violations = FieldViolationsOf(status);
  return violations.empty() ? "" : violations.front().field();
}

TEST_F(ReconcileCallTest, TheWindowMustBeSetOrderedAndAtMost31Days) {
  payments::v1::ReconcileRequest no_from = Window(absl::Hours(1));
  no_from.clear_from();
  EXPECT_EQ(FieldOf(Call(no_from).status()), "from");
  payments::v1::ReconcileRequest no_to = Window(absl::Hours(1));
  no_to.clear_to();
  EXPECT_EQ(FieldOf(Call(no_to).status()), "to");
  payments::v1::ReconcileRequest backwards = Window(absl::Hours(1));
  std::swap(*backwards.mutable_from(), *backwards.mutable_to());
  EXPECT_EQ(Call(backwards).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(Call(backwards).status()), "to");
  EXPECT_EQ(FieldOf(Call(Window(absl::Hours(24 * 31) + absl::Seconds(1))).status()), "to");
  EXPECT_TRUE(Call(Window(absl::Hours(24 * 31))).ok());
}

TEST_F(ReconcileCallTest, AProviderNotConfiguredIsAFailedPrecondition) {
  payments::v1::ReconcileRequest request = Window(absl::Hours(1));
  request.set_provider(payments::v1::PROVIDER_MONATO);
  EXPECT_EQ(Call(request).status().code(), absl::StatusCode::kFailedPrecondition);
  request.set_provider(static_cast<payments::v1::Provider>(77));
  EXPECT_EQ(FieldOf(Call(request).status()), "provider");
}

TEST_F(ReconcileCallTest, AllConfiguredProvidersAnswerOneReportEach) {
  auto report = Call(Window(absl::Hours(1)));
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->providers_size(), 1);
  EXPECT_EQ(report->providers(0).provider(), payments::v1::PROVIDER_FINTOC);
  EXPECT_TRUE(report->clean());
  EXPECT_EQ(report->providers(0).counts_size(), 11);
  EXPECT_EQ(report->providers(0).counts(0).item_class(), "matched");
}

TEST_F(ReconcileCallTest, WithPoliciesOnlyACallerGrantedReconciliationMayRunIt) {
  auto policies = PolicyBook::FromYaml(R"(policies:
  - caller: billing
    operations: [payouts]
  - caller: finance
    operations: [reconciliation]
)");
  ASSERT_TRUE(policies.ok()) << policies.status();
  auto as = [&](const std::string& caller) {
    providers::CallContext context;
    context.caller = caller;
    return providers::Await<payments::v1::ReconciliationReport>([&](auto done) {
      Reconcile(&runner_, policies->get(), Window(absl::Hours(1)), context, std::move(done));
    });
  };
  EXPECT_EQ(as("billing").status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(as("nobody").status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(as("finance").ok());
}

}  // namespace
}  // namespace gateway
