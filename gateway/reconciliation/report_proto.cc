#include "gateway/reconciliation/report_proto.h"

#include <string>

#include "gateway/logging/masking.h"
#include "reconciliation/item.h"

namespace gateway {
namespace {

using payments::v1::ReconciliationItem;

payments::v1::Money MoneyOf(int64_t amount_minor, const std::string& currency) {
  payments::v1::Money money;
  money.set_amount_minor(amount_minor);
  money.set_currency(currency);
  return money;
}

ReconciliationItem ItemOf(const reconciliation::Item& item, const ProviderRun& run) {
  ReconciliationItem out;
  out.set_item_class(std::string(reconciliation::ClassName(item.item_class)));
  if (item.gateway.has_value()) {
    out.set_payout_id(item.gateway->payout_id);
    out.set_provider_payout_id(item.gateway->provider_payout_id);
    *out.mutable_gateway_amount() = MoneyOf(item.gateway->amount_minor, item.gateway->currency);
    out.set_gateway_status(item.gateway->status);
  }
  if (item.provider.has_value()) {
    if (!item.provider->provider_transfer_id.empty()) {
      out.set_provider_payout_id(item.provider->provider_transfer_id);
    }
    *out.mutable_provider_amount() = MoneyOf(item.provider->amount_minor, item.provider->currency);
    out.set_provider_status(item.provider->status);
  }
  for (const reconciliation::Difference& difference : item.differences) {
    auto* d = out.add_differences();
    d->set_field(std::string(reconciliation::FieldName(difference.field)));
    // Account numbers never leave unmasked, as in the logs.
    const bool account = difference.field == reconciliation::Field::kCounterparty;
    d->set_gateway_value(account ? MaskAccountNumber(difference.gateway_value)
                                 : difference.gateway_value);
    d->set_provider_value(account ? MaskAccountNumber(difference.provider_value)
                                  : difference.provider_value);
  }
  if (item.matched_by != reconciliation::MatchedBy::kNone) {
    out.set_matched_by(std::string(reconciliation::MatchedByName(item.matched_by)));
  }
  if (item.status_action != reconciliation::StatusAction::kNone) {
    out.set_status_action(std::string(reconciliation::StatusActionName(item.status_action)));
  }
  if (item.gateway.has_value()) {
    auto applied = run.applied.find(item.gateway->payout_id);
    if (applied != run.applied.end()) out.set_status_applied(applied->second);
    auto failed = run.apply_errors.find(item.gateway->payout_id);
    if (failed != run.apply_errors.end()) out.set_apply_error(failed->second);
  }
  out.set_duplicate_of(item.duplicate_of);
  out.set_note(item.note);
  return out;
}

}  // namespace

payments::v1::ProviderReconciliation ProviderReconciliationOf(const ProviderRun& run) {
  const reconciliation::Report& report = run.report;
  payments::v1::ProviderReconciliation out;
  out.set_provider(report.provider);
  out.set_clean(report.Clean());
  out.set_orphans_detectable(report.orphans_detectable);
  for (int i = 0; i < reconciliation::kItemClassCount; ++i) {
    const auto item_class = static_cast<reconciliation::ItemClass>(i);
    const reconciliation::ClassTotals& totals = report.Totals(item_class);
    auto* count = out.add_counts();
    count->set_item_class(std::string(reconciliation::ClassName(item_class)));
    count->set_count(totals.count);
    for (const auto& [currency, amount] : totals.amount_minor_by_currency) {
      *count->add_amounts() = MoneyOf(amount, currency);
    }
    count->set_amount_overflow(totals.amount_overflow);
  }
  for (const reconciliation::Item& item : report.items) *out.add_items() = ItemOf(item, run);
  out.set_truncated(report.items_dropped > 0);
  out.set_items_not_shown(report.items_dropped);
  out.set_gateway_payouts(report.gateway_records);
  out.set_provider_transfers(report.provider_transfers);
  out.set_provider_outside_window(report.provider_outside_window);
  out.set_provider_repeats(report.provider_repeats);
  out.set_peak_held(static_cast<int64_t>(report.peak_held));
  out.set_statuses_applied(static_cast<int64_t>(run.applied.size()));
  return out;
}

}  // namespace gateway
