#include "reconciliation/item.h"

namespace reconciliation {

absl::string_view ClassName(ItemClass item_class) {
  switch (item_class) {
    case ItemClass::kMatched:
      return "matched";
    case ItemClass::kMissingAtProvider:
      return "missing_at_provider";
    case ItemClass::kOrphanAtProvider:
      return "orphan_at_provider";
    case ItemClass::kDuplicateAtProvider:
      return "duplicate_at_provider";
    case ItemClass::kAmountMismatch:
      return "amount_mismatch";
    case ItemClass::kCurrencyMismatch:
      return "currency_mismatch";
    case ItemClass::kCounterpartyMismatch:
      return "counterparty_mismatch";
    case ItemClass::kReferenceMismatch:
      return "reference_mismatch";
    case ItemClass::kStatusMismatch:
      return "status_mismatch";
    case ItemClass::kStuck:
      return "stuck";
    case ItemClass::kNotCheckable:
      return "not_checkable";
  }
  return "unknown";
}

absl::string_view FieldName(Field field) {
  switch (field) {
    case Field::kAmount:
      return "amount";
    case Field::kCurrency:
      return "currency";
    case Field::kCounterparty:
      return "counterparty";
    case Field::kReference:
      return "reference";
    case Field::kTrackingKey:
      return "tracking_key";
    case Field::kStatus:
      return "status";
  }
  return "unknown";
}

absl::string_view MatchedByName(MatchedBy matched_by) {
  switch (matched_by) {
    case MatchedBy::kNone:
      return "none";
    case MatchedBy::kProviderId:
      return "provider_id";
    case MatchedBy::kTrackingKey:
      return "tracking_key";
    case MatchedBy::kFingerprint:
      return "fingerprint";
    case MatchedBy::kAbsentAsIntended:
      return "absent_as_intended";
  }
  return "unknown";
}

absl::string_view StatusActionName(StatusAction action) {
  switch (action) {
    case StatusAction::kNone:
      return "none";
    case StatusAction::kApply:
      return "apply";
    case StatusAction::kNeedsOperator:
      return "needs_operator";
  }
  return "unknown";
}

}  // namespace reconciliation
