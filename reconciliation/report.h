// The outcome of one reconciliation run over one provider and window: complete counts and
// amounts per class, and the first items that are not matched (docs/reconciliation.md).
#ifndef RECONCILIATION_REPORT_H_
#define RECONCILIATION_REPORT_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "proto/payments/v1/common.pb.h"
#include "reconciliation/item.h"

namespace reconciliation {

// Count and money of one class. Amounts are per currency (an item of a currency mismatch adds
// to its own currency), in minor units.
struct ClassTotals {
  int64_t count = 0;
  std::map<std::string, int64_t> amount_minor_by_currency;
  // A sum left int64's range: the amount shown is saturated at the limit it passed.
  bool amount_overflow = false;
};

// Adds one item of `amount_minor` in `currency` to `totals`, saturating instead of overflowing.
void AddToTotals(ClassTotals& totals, const std::string& currency, int64_t amount_minor);

struct Report {
  payments::v1::Provider provider = payments::v1::PROVIDER_UNSPECIFIED;
  absl::Time window_start;
  absl::Time window_end;
  // False when the provider offers no listing and each record was read by its id: a transfer
  // the gateway does not know of (an orphan) cannot be seen.
  bool orphans_detectable = true;

  std::array<ClassTotals, kItemClassCount> totals;  // indexed by ItemClass; always complete
  // The items that are not matched, in the order they were found, at most max_items of them.
  std::vector<Item> items;
  int64_t items_dropped = 0;  // non-matched items past the cap (counted in `totals`)

  int64_t gateway_records = 0;          // records of the window taken into account
  int64_t gateway_outside_window = 0;   // records given that were outside the window
  int64_t provider_transfers = 0;       // transfers read from the provider
  int64_t provider_outside_window = 0;  // unpaired transfers outside the window (+ grace)
  int64_t provider_repeats = 0;         // a transfer seen again (page overlap): ignored
  size_t peak_held = 0;                 // the classifier's largest number of held entries

  const ClassTotals& Totals(ItemClass item_class) const {
    return totals[static_cast<int>(item_class)];
  }
  int64_t Count(ItemClass item_class) const { return Totals(item_class).count; }
  // Every item that is not matched.
  int64_t Unmatched() const;
  // Nothing unmatched (for a provider without listing this vouches only for the gateway's
  // records: see orphans_detectable).
  bool Clean() const { return Unmatched() == 0; }
};

}  // namespace reconciliation

#endif  // RECONCILIATION_REPORT_H_
