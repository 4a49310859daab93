#include "gateway/cli/limits_table.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace gateway {
namespace {

std::string AmountOf(const payments::v1::Money& money) {
  return absl::StrCat(FormatMinorUnits(money.amount_minor()), " ", money.currency());
}

std::string WindowOf(const google::protobuf::Duration& window) {
  return absl::FormatDuration(absl::Seconds(window.seconds()) + absl::Nanoseconds(window.nanos()));
}

// Columns padded to their widest cell, two spaces apart.
std::string Table(const std::vector<std::vector<std::string>>& rows) {
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

// Usage is kept per account and per destination: with none asked for there is none to show.
std::string ScopeValueOf(const payments::v1::LimitStatus& limit) {
  if (!limit.scope_value().empty()) return limit.scope_value();
  if (limit.scope() == "destination") return "(ask with --destination)";
  if (limit.scope() == "source_account") return "(ask with --source)";
  return "";
}

}  // namespace

std::string FormatMinorUnits(int64_t amount_minor) {
  // Magnitude in uint64: -INT64_MIN does not fit an int64.
  const bool negative = amount_minor < 0;
  const uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(amount_minor) : static_cast<uint64_t>(amount_minor);
  const uint64_t cents = magnitude % 100;
  return absl::StrCat(negative ? "-" : "", magnitude / 100, ".", cents < 10 ? "0" : "", cents);
}

std::string FormatCallerLimits(const payments::v1::CallerLimits& limits) {
  std::string out =
      absl::StrCat("caller: ", limits.caller().empty() ? "(anonymous)" : limits.caller(), "\n");
  if (!limits.policies_enabled()) {
    absl::StrAppend(&out,
                    "policies: not enabled (no policies file: the gateway is open, no limits)\n");
    return out;
  }
  absl::StrAppend(&out, "policies: enabled\n");
  absl::StrAppend(&out, "operations: ",
                  limits.operations().empty() ? "none" : absl::StrJoin(limits.operations(), ", "),
                  "\n");
  absl::StrAppend(
      &out, "source accounts: ",
      limits.source_accounts().empty() ? "none" : absl::StrJoin(limits.source_accounts(), ", "),
      "\n");
  absl::StrAppend(&out, "max per payout: ",
                  limits.has_max_per_payout() ? AmountOf(limits.max_per_payout()) : "no maximum",
                  "\n");
  if (limits.limits().empty()) {
    absl::StrAppend(&out, "limits: none\n");
    return out;
  }
  std::vector<std::vector<std::string>> rows = {
      {"limit", "per", "window", "used/allowed amount", "used/allowed count", "scope value"}};
  for (const payments::v1::LimitStatus& limit : limits.limits()) {
    const std::string currency = limit.used_amount().currency();
    rows.push_back({
        limit.name(),
        limit.scope(),
        WindowOf(limit.window()),
        absl::StrCat(
            FormatMinorUnits(limit.used_amount().amount_minor()), "/",
            limit.has_max_amount() ? FormatMinorUnits(limit.max_amount().amount_minor()) : "-",
            currency.empty() ? "" : " ", currency),
        absl::StrCat(limit.used_count(), "/",
                     limit.has_max_count() ? absl::StrCat(limit.max_count()) : "-"),
        ScopeValueOf(limit),
    });
  }
  absl::StrAppend(&out, Table(rows));
  return out;
}

}  // namespace gateway
