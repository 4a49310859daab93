// The JSON summary of a report for the run's log line (docs/reconciliation.md, "The log line"):
// counts and amounts per class, and the first items with their account numbers masked.
#ifndef RECONCILIATION_REPORT_JSON_H_
#define RECONCILIATION_REPORT_JSON_H_

#include <cstddef>
#include <string>

#include <boost/json/object.hpp>

#include "absl/strings/string_view.h"
#include "reconciliation/report.h"

namespace reconciliation {

// An account or card number as a log may show it: its last 4 characters, the rest as '*'; 4 or
// fewer characters are all masked. The same form as gateway/logging/masking.h's
// MaskAccountNumber, which this layer may not include (it sits above reconciliation/).
std::string MaskAccountNumber(absl::string_view number);

// {"event":"reconciliation_summary", "provider", "window_start", "window_end", "clean",
//  "orphans_detectable", "gateway_records", "provider_transfers", "provider_outside_window",
//  "provider_repeats", "gateway_outside_window", "peak_held", "counts":{class:n} (every class),
//  "amounts_minor":{class:{currency:n}} (classes with items), "amount_overflow":[class...],
//  "items":[...] (at most max_items), "items_not_shown":n}
boost::json::object SummaryJson(const Report& report, size_t max_items = 20);

// One item as JSON, account numbers masked (also what SummaryJson lists).
boost::json::object ItemJson(const Item& item);

}  // namespace reconciliation

#endif  // RECONCILIATION_REPORT_JSON_H_
