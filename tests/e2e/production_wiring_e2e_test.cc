// The in-process gateway is the production one (gateway::GatewayProcess): what the binary adds
// around the adapters and the store (the metrics decorators, the admin port) is there too.
#include "gtest/gtest.h"
#include "metrics/gateway_metrics.h"
#include "tests/e2e/gateway_under_test.h"

namespace e2e {
namespace {

int64_t ProviderCalls(const std::string& provider, const std::string& operation) {
  return metrics::Metrics().provider_request_seconds->Count({provider, operation});
}

TEST(ProductionWiringE2eTest, ProviderCallsGoThroughTheMetricsDecorator) {
  GatewayUnderTest gateway;
  const int64_t monato_before = ProviderCalls("monato", "CreatePayout");
  const int64_t fintoc_before = ProviderCalls("fintoc", "CreatePayout");
  MustCreate(gateway, gateway.MonatoPayout("wiring-monato", 1500));
  MustCreate(gateway, gateway.FintocPayout("wiring-fintoc", 1500));
  EXPECT_EQ(ProviderCalls("monato", "CreatePayout"), monato_before + 1);
  EXPECT_EQ(ProviderCalls("fintoc", "CreatePayout"), fintoc_before + 1);
}

TEST(ProductionWiringE2eTest, StoreCallsAreCountedAndTheAdminPortIsBound) {
  GatewayUnderTest gateway;
  EXPECT_GT(gateway.process().admin_port(), 0);
  EXPECT_GT(gateway.process().webhook_port(), 0);
  const int64_t claims_before = metrics::Metrics().store_operation_seconds->Count({"Claim"});
  MustCreate(gateway, gateway.MonatoPayout("wiring-store", 1500));
  EXPECT_GT(metrics::Metrics().store_operation_seconds->Count({"Claim"}), claims_before);
}

}  // namespace
}  // namespace e2e
