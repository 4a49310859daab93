#include "reconciliation/report_json.h"

#include <algorithm>

#include <boost/json/array.hpp>

#include "absl/time/time.h"

namespace reconciliation {
namespace {

std::string TimeText(absl::Time time) {
  if (time == absl::InfinitePast()) return "";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", time, absl::UTCTimeZone());
}

std::string StatusText(payments::v1::PayoutStatus status) {
  return payments::v1::PayoutStatus_Name(status);
}

boost::json::object GatewayJson(const GatewayRecord& record) {
  boost::json::object out;
  out["payout_id"] = record.payout_id;
  out["provider_payout_id"] = record.provider_payout_id;
  out["tracking_key"] = record.tracking_key;
  out["amount_minor"] = record.amount_minor;
  out["currency"] = record.currency;
  out["counterparty"] = MaskAccountNumber(record.counterparty_clabe);
  out["numeric_reference"] = record.numeric_reference;
  out["status"] = StatusText(record.status);
  out["create_time"] = TimeText(record.create_time);
  out["status_time"] = TimeText(record.status_time);
  return out;
}

boost::json::object ProviderJson(const ProviderTransfer& transfer) {
  boost::json::object out;
  out["provider_transfer_id"] = transfer.provider_transfer_id;
  out["tracking_key"] = transfer.tracking_key;
  out["amount_minor"] = transfer.amount_minor;
  out["currency"] = transfer.currency;
  out["counterparty"] = MaskAccountNumber(transfer.counterparty_clabe);
  out["numeric_reference"] = transfer.numeric_reference;
  out["status"] = StatusText(transfer.status);
  out["create_time"] = TimeText(transfer.create_time);
  return out;
}

}  // namespace

std::string MaskAccountNumber(absl::string_view number) {
  std::string masked(number.size(), '*');
  if (number.size() > 4) {
    for (size_t i = number.size() - 4; i < number.size(); ++i) masked[i] = number[i];
  }
  return masked;
}

boost::json::object ItemJson(const Item& item) {
  boost::json::object out;
  out["class"] = std::string(ClassName(item.item_class));
  out["matched_by"] = std::string(MatchedByName(item.matched_by));
  if (item.gateway) out["gateway"] = GatewayJson(*item.gateway);
  if (item.provider) out["provider"] = ProviderJson(*item.provider);
  boost::json::array differences;
  for (const Difference& difference : item.differences) {
    const bool account = difference.field == Field::kCounterparty;
    differences.push_back(boost::json::object{
        {"field", std::string(FieldName(difference.field))},
        {"gateway",
         account ? MaskAccountNumber(difference.gateway_value) : difference.gateway_value},
        {"provider",
         account ? MaskAccountNumber(difference.provider_value) : difference.provider_value},
    });
  }
  out["differences"] = std::move(differences);
  if (item.status_action != StatusAction::kNone) {
    out["status_action"] = std::string(StatusActionName(item.status_action));
  }
  if (item.status_action == StatusAction::kApply) {
    out["status_to_apply"] = StatusText(item.status_to_apply);
  }
  if (!item.duplicate_of.empty()) out["duplicate_of"] = item.duplicate_of;
  out["note"] = item.note;
  return out;
}

boost::json::object SummaryJson(const Report& report, size_t max_items) {
  boost::json::object out;
  out["event"] = "reconciliation_summary";
  out["provider"] = payments::v1::Provider_Name(report.provider);
  out["window_start"] = TimeText(report.window_start);
  out["window_end"] = TimeText(report.window_end);
  out["clean"] = report.Clean();
  out["orphans_detectable"] = report.orphans_detectable;
  out["gateway_records"] = report.gateway_records;
  out["gateway_outside_window"] = report.gateway_outside_window;
  out["provider_transfers"] = report.provider_transfers;
  out["provider_outside_window"] = report.provider_outside_window;
  out["provider_repeats"] = report.provider_repeats;
  out["peak_held"] = static_cast<uint64_t>(report.peak_held);
  boost::json::object counts;
  boost::json::object amounts;
  boost::json::array overflow;
  for (int i = 0; i < kItemClassCount; ++i) {
    const std::string name(ClassName(static_cast<ItemClass>(i)));
    const ClassTotals& totals = report.totals[i];
    counts[name] = totals.count;
    if (totals.count > 0) {
      boost::json::object by_currency;
      for (const auto& [currency, amount] : totals.amount_minor_by_currency) {
        by_currency[currency] = amount;
      }
      amounts[name] = std::move(by_currency);
    }
    if (totals.amount_overflow) overflow.push_back(boost::json::string(name));
  }
  out["counts"] = std::move(counts);
  out["amounts_minor"] = std::move(amounts);
  if (!overflow.empty()) out["amount_overflow"] = std::move(overflow);
  boost::json::array items;
  for (size_t i = 0; i < report.items.size() && i < max_items; ++i) {
    items.push_back(ItemJson(report.items[i]));
  }
  out["items"] = std::move(items);
  out["items_not_shown"] =
      report.Unmatched() - static_cast<int64_t>(std::min(report.items.size(), max_items));
  return out;
}

}  // namespace reconciliation
