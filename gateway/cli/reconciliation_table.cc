#include "gateway/cli/reconciliation_table.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gateway/cli/limits_table.h"
#include "proto/payments/v1/common.pb.h"

namespace gateway {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// Columns padded to their widest cell, two spaces apart.
std::string Table(const Rows& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      absl::StrAppend(&line, row[i]);
      if (i + 1 < row.size()) line.append(widths[i] - row[i].size() + 2, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

std::string TimeText(const google::protobuf::Timestamp& timestamp) {
  return absl::FormatTime(
      "%Y-%m-%dT%H:%M:%SZ",
      absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos()),
      absl::UTCTimeZone());
}

std::string ProviderText(payments::v1::Provider provider) {
  std::string name = payments::v1::Provider_Name(provider);
  const std::string prefix = "PROVIDER_";
  if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
  std::transform(name.begin(), name.end(), name.begin(), ::tolower);
  return name;
}

std::string StatusText(payments::v1::PayoutStatus status) {
  if (status == payments::v1::PAYOUT_STATUS_UNSPECIFIED) return "-";
  std::string name = payments::v1::PayoutStatus_Name(status);
  const std::string prefix = "PAYOUT_STATUS_";
  return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

std::string AmountText(bool present, const payments::v1::Money& money) {
  if (!present) return "-";
  return absl::StrCat(FormatMinorUnits(money.amount_minor()), " ", money.currency());
}

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

std::string DifferencesText(const payments::v1::ReconciliationItem& item) {
  std::vector<std::string> parts;
  for (const auto& d : item.differences()) {
    parts.push_back(
        absl::StrCat(d.field(), " ", OrDash(d.gateway_value()), "->", OrDash(d.provider_value())));
  }
  return parts.empty() ? "-" : absl::StrJoin(parts, "; ");
}

std::string ActionText(const payments::v1::ReconciliationItem& item) {
  if (item.status_action().empty()) return "-";
  if (!item.apply_error().empty()) {
    return absl::StrCat(item.status_action(), " FAILED: ", item.apply_error());
  }
  if (item.status_applied() != payments::v1::PAYOUT_STATUS_UNSPECIFIED) {
    return absl::StrCat("applied ", StatusText(item.status_applied()));
  }
  return item.status_action();
}

}  // namespace

std::string FormatReconciliationReport(const payments::v1::ReconciliationReport& report) {
  std::string out =
      absl::StrCat("reconciliation ", TimeText(report.from()), " .. ", TimeText(report.to()), ": ",
                   report.clean() ? "clean" : "NOT CLEAN", "\n\n");
  Rows providers = {{"provider", "clean", "orphans_detectable", "gateway_payouts",
                     "provider_transfers", "outside_window", "peak_held", "statuses_applied"}};
  for (const auto& p : report.providers()) {
    providers.push_back({ProviderText(p.provider()), p.clean() ? "yes" : "NO",
                         p.orphans_detectable() ? "yes" : "no (no listing)",
                         absl::StrCat(p.gateway_payouts()), absl::StrCat(p.provider_transfers()),
                         absl::StrCat(p.provider_outside_window()), absl::StrCat(p.peak_held()),
                         absl::StrCat(p.statuses_applied())});
  }
  absl::StrAppend(&out, Table(providers), "\n");

  // Every class, one column per provider.
  Rows counts = {{"class"}};
  for (const auto& p : report.providers()) counts[0].push_back(ProviderText(p.provider()));
  if (!report.providers().empty()) {
    for (int i = 0; i < report.providers(0).counts_size(); ++i) {
      std::vector<std::string> row = {report.providers(0).counts(i).item_class()};
      for (const auto& p : report.providers()) {
        row.push_back(i < p.counts_size() ? absl::StrCat(p.counts(i).count()) : "-");
      }
      counts.push_back(std::move(row));
    }
  }
  absl::StrAppend(&out, Table(counts));

  Rows items = {{"provider", "class", "payout_id", "provider_payout_id", "gateway", "provider",
                 "status", "differs", "action", "note"}};
  for (const auto& p : report.providers()) {
    for (const auto& item : p.items()) {
      items.push_back(
          {ProviderText(p.provider()), item.item_class(), OrDash(item.payout_id()),
           OrDash(item.provider_payout_id()),
           AmountText(item.has_gateway_amount(), item.gateway_amount()),
           AmountText(item.has_provider_amount(), item.provider_amount()),
           absl::StrCat(StatusText(item.gateway_status()), "/", StatusText(item.provider_status())),
           DifferencesText(item), ActionText(item),
           OrDash(item.duplicate_of().empty()
                      ? item.note()
                      : absl::StrCat("duplicate of ", item.duplicate_of(), ": ", item.note()))});
    }
  }
  if (items.size() > 1) absl::StrAppend(&out, "\n", Table(items));
  for (const auto& p : report.providers()) {
    if (p.truncated()) {
      absl::StrAppend(&out, ProviderText(p.provider()), ": ", p.items_not_shown(),
                      " more items not shown (counted above)\n");
    }
    if (!p.orphans_detectable()) {
      absl::StrAppend(&out, ProviderText(p.provider()),
                      ": no listing; each payout was read by its id, and transfers the gateway "
                      "does not know (orphans) cannot be detected\n");
    }
  }
  return out;
}

}  // namespace gateway
