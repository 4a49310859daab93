#include "reconciliation/classifier.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "vocabulary/payout_status_rules.h"

namespace reconciliation {
namespace {

using payments::v1::PayoutStatus;

constexpr char kPairedWithoutId[] = "(a transfer without id)";

bool NonFinal(PayoutStatus status) {
  return status == payments::v1::PAYOUT_STATUS_UNKNOWN ||
         status == payments::v1::PAYOUT_STATUS_PENDING;
}

std::string StatusName(PayoutStatus status) { return payments::v1::PayoutStatus_Name(status); }

// The primary class of a paired item: the first difference in this order (money first).
ItemClass ClassOf(const std::vector<Difference>& differences) {
  static constexpr std::pair<Field, ItemClass> kOrder[] = {
      {Field::kAmount, ItemClass::kAmountMismatch},
      {Field::kCurrency, ItemClass::kCurrencyMismatch},
      {Field::kCounterparty, ItemClass::kCounterpartyMismatch},
      {Field::kReference, ItemClass::kReferenceMismatch},
      {Field::kTrackingKey, ItemClass::kReferenceMismatch},
      {Field::kStatus, ItemClass::kStatusMismatch},
  };
  for (const auto& [field, item_class] : kOrder) {
    for (const Difference& difference : differences) {
      if (difference.field == field) return item_class;
    }
  }
  return ItemClass::kMatched;
}

// A field the provider does not report (empty) is not compared: Monato's transaction read, for
// one, names no counterparty account.
void CompareText(Field field, const std::string& gateway, const std::string& provider,
                 std::vector<Difference>& differences) {
  if (!gateway.empty() && !provider.empty() && gateway != provider) {
    differences.push_back({field, gateway, provider});
  }
}

}  // namespace

std::string Fingerprint(const std::string& currency, int64_t amount_minor,
                        const std::string& counterparty, const std::string& numeric_reference) {
  return absl::StrCat(absl::AsciiStrToUpper(currency), "|", amount_minor, "|", counterparty, "|",
                      numeric_reference);
}

Classifier::Classifier(payments::v1::Provider provider, ClassifierOptions options)
    : provider_(provider), options_(std::move(options)) {
  report_.provider = provider;
  report_.window_start = options_.window_start;
  report_.window_end = options_.window_end;
  report_.orphans_detectable = options_.provider_lists;
}

bool Classifier::InWindow(absl::Time time) const {
  if (time == absl::InfinitePast()) return true;  // undated: cannot be placed elsewhere
  return time >= options_.window_start && time < options_.window_end;
}

bool Classifier::InWindowWithGrace(absl::Time time) const {
  if (time == absl::InfinitePast()) return true;
  return time >= options_.window_start - options_.grace &&
         time < options_.window_end + options_.grace;
}

bool Classifier::IsStuck(const GatewayRecord& record) const {
  // In this status since its last change; a record that never changed, since its creation.
  const absl::Time since =
      record.status_time != absl::InfinitePast() ? record.status_time : record.create_time;
  return NonFinal(record.status) && since != absl::InfinitePast() &&
         options_.now - since > options_.stuck_after;
}

void Classifier::NoteHeld() { peak_held_ = std::max(peak_held_, held()); }

absl::Status Classifier::AddGatewayRecords(absl::Span<const GatewayRecord> records) {
  if (finished_ || provider_phase_) {
    return absl::FailedPreconditionError(
        "the gateway's records must all be given before the provider's transfers");
  }
  for (const GatewayRecord& record : records) {
    if (record.provider != provider_) {
      return absl::InvalidArgumentError(absl::StrCat(
          "payout ", record.payout_id, " belongs to ", payments::v1::Provider_Name(record.provider),
          ", not to ", payments::v1::Provider_Name(provider_)));
    }
    if (record.payout_id.empty()) return absl::InvalidArgumentError("a record without payout id");
    if (record.create_time == absl::InfinitePast() || !InWindow(record.create_time)) {
      ++report_.gateway_outside_window;
      continue;
    }
    if (by_payout_id_.contains(record.payout_id)) continue;  // a page overlap
    const size_t index = records_.size();
    records_.push_back(Entry{record, "", ""});
    by_payout_id_.emplace(record.payout_id, index);
    if (!record.provider_payout_id.empty())
      by_provider_id_.emplace(record.provider_payout_id, index);
    if (!record.tracking_key.empty()) by_tracking_key_.emplace(record.tracking_key, index);
    by_fingerprint_[Fingerprint(record.currency, record.amount_minor, record.counterparty_clabe,
                                record.numeric_reference)]
        .push_back(index);
    ++report_.gateway_records;
  }
  NoteHeld();
  return absl::OkStatus();
}

absl::Status Classifier::AddProviderTransfers(absl::Span<const ProviderTransfer> transfers) {
  if (finished_) return absl::FailedPreconditionError("the reconciliation has finished");
  provider_phase_ = true;
  for (const ProviderTransfer& transfer : transfers) Classify(transfer);
  return absl::OkStatus();
}

absl::Status Classifier::MarkNotCheckable(const std::string& payout_id, const std::string& reason) {
  auto it = by_payout_id_.find(payout_id);
  if (it == by_payout_id_.end()) {
    return absl::NotFoundError(absl::StrCat("no record of payout ", payout_id, " in the window"));
  }
  records_[it->second].not_checkable_reason = reason.empty() ? "not checkable" : reason;
  return absl::OkStatus();
}

void Classifier::Classify(const ProviderTransfer& transfer) {
  ++report_.provider_transfers;
  const std::string& id = transfer.provider_transfer_id;
  if (!id.empty()) {
    if (reported_transfers_.contains(id)) {
      ++report_.provider_repeats;
      return;
    }
    if (auto it = by_provider_id_.find(id); it != by_provider_id_.end()) {
      Entry& entry = records_[it->second];
      if (entry.paired_with == id) {
        ++report_.provider_repeats;
        return;
      }
      // A record that names its provider id pairs by that id only, whatever its date.
      return Pair(entry, transfer, MatchedBy::kProviderId);
    }
  }
  // A SPEI tracking key names one transfer: a record with that key and no id pairs with it; a
  // record whose key is taken already makes this one a duplicate, whatever its date.
  if (!transfer.tracking_key.empty()) {
    if (auto it = by_tracking_key_.find(transfer.tracking_key); it != by_tracking_key_.end()) {
      Entry& entry = records_[it->second];
      if (entry.record.provider_payout_id.empty() && entry.paired_with.empty()) {
        return Pair(entry, transfer, MatchedBy::kTrackingKey);
      }
      if (entry.paired_with == id && !id.empty()) {
        ++report_.provider_repeats;
        return;
      }
      return ReportUnpaired(transfer, &entry);
    }
  }
  const Entry* twin = nullptr;
  auto it =
      by_fingerprint_.find(Fingerprint(transfer.currency, transfer.amount_minor,
                                       transfer.counterparty_clabe, transfer.numeric_reference));
  if (it != by_fingerprint_.end() && InWindowWithGrace(transfer.create_time)) {
    for (size_t index : it->second) {
      Entry& entry = records_[index];
      if (!id.empty() && entry.paired_with == id) {
        ++report_.provider_repeats;  // paired by fingerprint on an earlier page
        return;
      }
    }
    for (size_t index : it->second) {
      Entry& entry = records_[index];
      if (entry.record.provider_payout_id.empty() && entry.record.tracking_key.empty() &&
          entry.paired_with.empty()) {
        return Pair(entry, transfer, MatchedBy::kFingerprint);  // the oldest unpaired first
      }
    }
    twin = &records_[it->second.front()];
  }
  // Unpaired and outside the window proper: it belongs to a neighbouring window.
  if (!InWindow(transfer.create_time)) {
    ++report_.provider_outside_window;
    return;
  }
  ReportUnpaired(transfer, twin);
}

void Classifier::Pair(Entry& entry, const ProviderTransfer& transfer, MatchedBy matched_by) {
  entry.paired_with =
      transfer.provider_transfer_id.empty() ? kPairedWithoutId : transfer.provider_transfer_id;
  const GatewayRecord& record = entry.record;
  Item item;
  item.gateway = record;
  item.provider = transfer;
  item.matched_by = matched_by;
  if (record.amount_minor != transfer.amount_minor) {
    item.differences.push_back(
        {Field::kAmount, absl::StrCat(record.amount_minor), absl::StrCat(transfer.amount_minor)});
  }
  if (!absl::EqualsIgnoreCase(record.currency, transfer.currency)) {
    item.differences.push_back({Field::kCurrency, record.currency, transfer.currency});
  }
  CompareText(Field::kCounterparty, record.counterparty_clabe, transfer.counterparty_clabe,
              item.differences);
  CompareText(Field::kReference, record.numeric_reference, transfer.numeric_reference,
              item.differences);
  CompareText(Field::kTrackingKey, record.tracking_key, transfer.tracking_key, item.differences);
  std::vector<std::string> notes;
  if (transfer.status != payments::v1::PAYOUT_STATUS_UNSPECIFIED &&
      transfer.status != record.status) {
    item.differences.push_back(
        {Field::kStatus, StatusName(record.status), StatusName(transfer.status)});
    if (idempotency::NextStatus(record.status, transfer.status) == transfer.status) {
      item.status_action = StatusAction::kApply;
      item.status_to_apply = transfer.status;
      notes.push_back(absl::StrCat("the provider's ", StatusName(transfer.status),
                                   " wins: apply it through the monotonic status path"));
    } else {
      item.status_action = StatusAction::kNeedsOperator;
      notes.push_back(absl::StrCat("the gateway says ", StatusName(record.status),
                                   ", the provider ", StatusName(transfer.status),
                                   "; the monotonic status path refuses the change, so an "
                                   "operator must decide"));
    }
  }
  item.item_class = ClassOf(item.differences);
  if (item.item_class == ItemClass::kMatched && IsStuck(record)) {
    item.item_class = ItemClass::kStuck;
    notes.push_back(absl::StrCat(StatusName(record.status), " on both sides for longer than ",
                                 absl::FormatDuration(options_.stuck_after)));
  }
  if (matched_by != MatchedBy::kProviderId) {
    notes.push_back(absl::StrCat("paired by ", MatchedByName(matched_by),
                                 ": record the provider's id on the payout"));
  }
  for (const Difference& difference : item.differences) {
    if (difference.field == Field::kAmount || difference.field == Field::kCurrency ||
        difference.field == Field::kCounterparty) {
      notes.insert(notes.begin(), "the money moved differs from the record: investigate");
      break;
    }
  }
  item.note = absl::StrJoin(notes, "; ");
  Emit(std::move(item));
}

void Classifier::ReportUnpaired(const ProviderTransfer& transfer, const Entry* twin) {
  if (!transfer.provider_transfer_id.empty()) {
    reported_transfers_.insert(transfer.provider_transfer_id);
    NoteHeld();
  }
  Item item;
  item.provider = transfer;
  if (twin != nullptr) {
    item.item_class = ItemClass::kDuplicateAtProvider;
    item.duplicate_of = twin->record.payout_id;
    item.note = absl::StrCat("a second transfer for payout ", twin->record.payout_id,
                             ": possibly the same money paid twice");
  } else {
    item.item_class = ItemClass::kOrphanAtProvider;
    item.note = "no gateway record: money moved outside the gateway, or a record was lost";
  }
  Emit(std::move(item));
}

void Classifier::ClassifyUnpaired(const Entry& entry) {
  const GatewayRecord& record = entry.record;
  Item item;
  item.gateway = record;
  const bool unreadable = !options_.provider_lists && record.provider_payout_id.empty();
  if (!entry.not_checkable_reason.empty() || unreadable) {
    const std::string why = !entry.not_checkable_reason.empty()
                                ? entry.not_checkable_reason
                                : "no provider id, and the provider has no listing to search";
    item.item_class = IsStuck(record) ? ItemClass::kStuck : ItemClass::kNotCheckable;
    item.note = absl::StrCat("not checked at the provider: ", why);
  } else if (record.provider_payout_id.empty() &&
             (record.status == payments::v1::PAYOUT_STATUS_FAILED ||
              record.status == payments::v1::PAYOUT_STATUS_REJECTED)) {
    item.matched_by = MatchedBy::kAbsentAsIntended;  // refused before anything was created
  } else {
    item.item_class = ItemClass::kMissingAtProvider;
    item.note =
        record.provider_payout_id.empty()
            ? absl::StrCat("the provider has no transfer for this ", StatusName(record.status),
                           " payout: most likely it never left; settle it only after "
                           "checking the provider's records")
            : absl::StrCat("the provider acknowledged ", record.provider_payout_id,
                           " but does not report it");
  }
  Emit(std::move(item));
}

void Classifier::Emit(Item item) {
  const bool from_gateway = item.gateway.has_value();
  const std::string& currency = from_gateway ? item.gateway->currency : item.provider->currency;
  const int64_t amount = from_gateway ? item.gateway->amount_minor : item.provider->amount_minor;
  AddToTotals(report_.totals[static_cast<int>(item.item_class)], currency, amount);
  if (item.item_class == ItemClass::kMatched) {
    if (options_.on_matched) options_.on_matched(item);
    return;
  }
  if (options_.on_item) options_.on_item(item);
  if (report_.items.size() < options_.max_items) {
    report_.items.push_back(std::move(item));
  } else {
    ++report_.items_dropped;
  }
}

Report Classifier::Finish() {
  if (finished_) return Report{};
  finished_ = true;
  for (const Entry& entry : records_) {
    if (entry.paired_with.empty()) ClassifyUnpaired(entry);
  }
  report_.peak_held = peak_held_;
  return std::move(report_);
}

}  // namespace reconciliation
