// The streaming comparison of one provider's transfers with the gateway's payouts over one
// window (docs/reconciliation.md, "How a run works").
//
// Memory: the gateway's records of the window are indexed (by provider id, tracking key and
// fingerprint) and kept until the end, so that a second transfer for a payout already matched
// is still recognised as a duplicate, whatever the order the provider lists them in. The
// provider's transfers are never held: each page is compared as it arrives and only the ids of
// transfers already reported (orphans, duplicates) are remembered, so a provider listing of any
// length costs memory only for what is reported. held()/peak_held() count the entries.
//
// Use: AddGatewayRecords (any number of pages), then AddProviderTransfers (any number of pages)
// and MarkNotCheckable, then Finish once.
#ifndef RECONCILIATION_CLASSIFIER_H_
#define RECONCILIATION_CLASSIFIER_H_

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "proto/payments/v1/common.pb.h"
#include "reconciliation/item.h"
#include "reconciliation/report.h"
#include "reconciliation/views.h"

namespace reconciliation {

struct ClassifierOptions {
  // The window, [start, end), by creation time on both sides.
  absl::Time window_start;
  absl::Time window_end;
  // A provider transfer dated up to this far outside the window still pairs with a record of
  // the window (clocks differ, and the gateway dates a payout just before sending it). An
  // unpaired transfer outside the window proper belongs to the next or previous window and is
  // not reported here.
  absl::Duration grace = absl::Minutes(15);
  // UNKNOWN or PENDING for longer than this, as of `now` (since the record's last status
  // change, or its creation when it has none).
  absl::Duration stuck_after = absl::Hours(1);
  absl::Time now;
  // The provider lists its transfers (Fintoc). False: each record is read by its id (Monato),
  // so a record without a provider id cannot be checked and orphans are undetectable.
  bool provider_lists = true;
  // At most this many non-matched items are kept in the report; the counts stay complete.
  size_t max_items = 1000;
  // Called with each non-matched item as it is found (also past max_items), e.g. to log it.
  std::function<void(const Item&)> on_item;
  // Called with each matched item (the report keeps only their totals), e.g. for a caller that
  // keeps part of the report only (the runner's slices).
  std::function<void(const Item&)> on_matched;
};

class Classifier {
 public:
  Classifier(payments::v1::Provider provider, ClassifierOptions options);

  // The gateway's records of this provider. Records outside the window are counted and left
  // out; a payout id seen again is ignored. INVALID_ARGUMENT for a record of another provider
  // or without an id; FAILED_PRECONDITION once provider transfers have been given.
  absl::Status AddGatewayRecords(absl::Span<const GatewayRecord> records);

  // One page of the provider's transfers (a listing page, or the transfers read by id).
  // FAILED_PRECONDITION after Finish.
  absl::Status AddProviderTransfers(absl::Span<const ProviderTransfer> transfers);

  // The provider could not be asked about this record (e.g. its read by id failed): it is
  // reported NOT_CHECKABLE unless a transfer pairs with it. NOT_FOUND for an unknown id.
  absl::Status MarkNotCheckable(const std::string& payout_id, const std::string& reason);

  // Classifies the records no transfer paired with and returns the report. Once only.
  Report Finish();

  size_t held() const { return records_.size() + reported_transfers_.size(); }
  size_t peak_held() const { return peak_held_; }

 private:
  struct Entry {
    GatewayRecord record;
    std::string paired_with;  // the transfer paired with it, empty while none
    std::string not_checkable_reason;
  };

  void Classify(const ProviderTransfer& transfer);
  // Compares a record with the transfer paired with it and emits the item.
  void Pair(Entry& entry, const ProviderTransfer& transfer, MatchedBy matched_by);
  void ReportUnpaired(const ProviderTransfer& transfer, const Entry* twin);
  void ClassifyUnpaired(const Entry& entry);
  void Emit(Item item);
  bool InWindow(absl::Time time) const;
  bool InWindowWithGrace(absl::Time time) const;
  bool IsStuck(const GatewayRecord& record) const;
  void NoteHeld();

  payments::v1::Provider provider_;
  ClassifierOptions options_;
  Report report_;
  bool provider_phase_ = false;
  bool finished_ = false;
  size_t peak_held_ = 0;

  std::vector<Entry> records_;
  absl::flat_hash_map<std::string, size_t> by_payout_id_;
  absl::flat_hash_map<std::string, size_t> by_provider_id_;
  absl::flat_hash_map<std::string, size_t> by_tracking_key_;
  absl::flat_hash_map<std::string, std::vector<size_t>> by_fingerprint_;
  absl::flat_hash_set<std::string> reported_transfers_;  // orphans and duplicates
};

// The key that pairs a transfer with a record that has no provider id: currency, amount,
// counterparty number and numeric reference.
std::string Fingerprint(const std::string& currency, int64_t amount_minor,
                        const std::string& counterparty, const std::string& numeric_reference);

}  // namespace reconciliation

#endif  // RECONCILIATION_CLASSIFIER_H_
