#include "gateway/cli/reconciliation_table.h"

#include <gtest/gtest.h>

namespace gateway {
namespace {

TEST(ReconciliationTableTest, PrintsProvidersCountsAndItems) {
  payments::v1::ReconciliationReport report;
  report.mutable_from()->set_seconds(1764547200);  // 2025-12-01T00:00:00Z
  report.mutable_to()->set_seconds(1764550800);
  auto* fintoc = report.add_providers();
  fintoc->set_provider(payments::v1::PROVIDER_FINTOC);
  fintoc->set_orphans_detectable(true);
  fintoc->set_gateway_payouts(3);
  fintoc->set_provider_transfers(3);
  for (const char* name : {"matched", "orphan_at_provider"}) {
    auto* count = fintoc->add_counts();
    count->set_item_class(name);
    count->set_count(std::string(name) == "matched" ? 2 : 1);
  }
  auto* item = fintoc->add_items();
  item->set_item_class("orphan_at_provider");
  item->set_provider_payout_id("tr_123");
  item->mutable_provider_amount()->set_amount_minor(1050);
  item->mutable_provider_amount()->set_currency("MXN");
  item->set_provider_status(payments::v1::PAYOUT_STATUS_SUCCEEDED);
  auto* status = fintoc->add_items();
  status->set_item_class("status_mismatch");
  status->set_payout_id("fintoc.payout.tr_9");
  status->set_status_action("apply");
  status->set_status_applied(payments::v1::PAYOUT_STATUS_RETURNED);
  auto* difference = status->add_differences();
  difference->set_field("status");
  difference->set_gateway_value("SUCCEEDED");
  difference->set_provider_value("RETURNED");

  const std::string text = FormatReconciliationReport(report);
  EXPECT_NE(text.find("reconciliation 2025-12-01T00:00:00Z .. 2025-12-01T01:00:00Z: NOT CLEAN"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("class               fintoc"), std::string::npos) << text;
  EXPECT_NE(text.find("orphan_at_provider  1"), std::string::npos) << text;
  EXPECT_NE(text.find("tr_123"), std::string::npos) << text;
  EXPECT_NE(text.find("10.50 MXN"), std::string::npos) << text;
  EXPECT_NE(text.find("status SUCCEEDED->RETURNED"), std::string::npos) << text;
  EXPECT_NE(text.find("applied RETURNED"), std::string::npos) << text;
}

TEST(ReconciliationTableTest, SaysWhenOrphansCannotBeDetected) {
  payments::v1::ReconciliationReport report;
  report.set_clean(true);
  auto* monato = report.add_providers();
  monato->set_provider(payments::v1::PROVIDER_MONATO);
  monato->set_clean(true);
  const std::string text = FormatReconciliationReport(report);
  EXPECT_NE(text.find(": clean"), std::string::npos) << text;
  EXPECT_NE(text.find("monato: no listing"), std::string::npos) << text;
}

}  // namespace
}  // namespace gateway
