#include "reconciliation/report.h"

#include <limits>

namespace reconciliation {

void AddToTotals(ClassTotals& totals, const std::string& currency, int64_t amount_minor) {
  // A count cannot realistically overflow, but the check costs nothing.
  if (totals.count < std::numeric_limits<int64_t>::max()) ++totals.count;
  int64_t& sum = totals.amount_minor_by_currency[currency];
  int64_t result;
  if (__builtin_add_overflow(sum, amount_minor, &result)) {
    totals.amount_overflow = true;
    result = amount_minor > 0 ? std::numeric_limits<int64_t>::max()
                              : std::numeric_limits<int64_t>::min();
  }
  sum = result;
}

int64_t Report::Unmatched() const {
  int64_t unmatched = 0;
  for (int i = 0; i < kItemClassCount; ++i) {
    if (i == static_cast<int>(ItemClass::kMatched)) continue;
    unmatched += totals[i].count;
  }
  return unmatched;
}

}  // namespace reconciliation
