// What a reconciliation says about one payout or transfer: one primary class (for the counts)
// and every difference found (docs/reconciliation.md, "Classes").
#ifndef RECONCILIATION_ITEM_H_
#define RECONCILIATION_ITEM_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "proto/payments/v1/common.pb.h"
#include "reconciliation/views.h"

namespace reconciliation {

// The primary class of an item. When an item differs in several ways, its class is the first
// difference in the order amount, currency, counterparty, reference, status; every difference
// is still listed in Item::differences.
enum class ItemClass {
  kMatched = 0,
  // The gateway has a payout the provider acknowledged (or may have), the provider has nothing.
  kMissingAtProvider,
  // A transfer in the window with no gateway record at all.
  kOrphanAtProvider,
  // A second transfer for one gateway payout (same id, tracking key or amount + currency +
  // counterparty + reference as a payout already matched): the signature of a double payout.
  kDuplicateAtProvider,
  kAmountMismatch,
  kCurrencyMismatch,
  kCounterpartyMismatch,
  kReferenceMismatch,  // numeric reference or tracking key
  kStatusMismatch,
  // UNKNOWN or PENDING for longer than the configured age, with nothing else to say.
  kStuck,
  // The provider could not be asked about it (no listing and no provider id, or a read that
  // failed). Orphans are never detectable for such a provider.
  kNotCheckable,
};
inline constexpr int kItemClassCount = 11;

// "matched", "missing_at_provider", ...: the label used in logs and metrics.
absl::string_view ClassName(ItemClass item_class);

enum class Field { kAmount, kCurrency, kCounterparty, kReference, kTrackingKey, kStatus };
absl::string_view FieldName(Field field);  // "amount", "currency", ...

// One field that differs, as text on both sides (amounts in minor units; counterparty numbers
// unmasked here, masked by the JSON summary).
struct Difference {
  Field field;
  std::string gateway_value;
  std::string provider_value;
};

// How a transfer was paired with a gateway record.
enum class MatchedBy {
  kNone,              // not paired (missing, orphan, not checkable)
  kProviderId,        // the record's provider id
  kTrackingKey,       // a record with no provider id, by its tracking key
  kFingerprint,       // a record with no provider id, by amount, currency, counterparty, reference
  kAbsentAsIntended,  // refused before the provider created anything, and nothing is there
};
absl::string_view MatchedByName(MatchedBy matched_by);

// What to do with a status difference. The provider's final status wins only where the
// gateway's monotonic status path (vocabulary/payout_status_rules.h) accepts it.
enum class StatusAction {
  kNone,
  kApply,          // apply `status_to_apply` through the same path as webhooks
  kNeedsOperator,  // the monotonic path would refuse it (e.g. SUCCEEDED here, FAILED there)
};
absl::string_view StatusActionName(StatusAction action);

struct Item {
  ItemClass item_class = ItemClass::kMatched;
  std::vector<Difference> differences;
  MatchedBy matched_by = MatchedBy::kNone;
  std::optional<GatewayRecord> gateway;      // absent for an orphan or a duplicate
  std::optional<ProviderTransfer> provider;  // absent when the provider has nothing
  StatusAction status_action = StatusAction::kNone;
  payments::v1::PayoutStatus status_to_apply = payments::v1::PAYOUT_STATUS_UNSPECIFIED;
  // For a duplicate: the gateway payout whose transfer this one repeats.
  std::string duplicate_of;
  std::string note;  // one sentence for the operator
};

}  // namespace reconciliation

#endif  // RECONCILIATION_ITEM_H_
