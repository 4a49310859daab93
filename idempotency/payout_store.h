// The payout records behind GetPayout and ListPayouts, how provider events find their payout,
// and the resolver's schedule for payouts whose outcome the gateway does not know yet.
#ifndef IDEMPOTENCY_PAYOUT_STORE_H_
#define IDEMPOTENCY_PAYOUT_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "proto/payments/v1/payout_service.pb.h"

namespace idempotency {

// A payout record, scoped to its caller.
struct StoredPayout {
  std::string caller;
  payments::v1::Payout payout;  // payout.id() is the gateway id; status is the latest known
  // The resolver's own schedule for this payout (filled by PayoutsDueForResolve only): how
  // many times it re-asked the provider without learning the outcome since the status last
  // changed.
  int resolve_attempts = 0;
  // The record's creation time (filled by PayoutsDueForResolve and PayoutsCreatedWithin):
  // payout.create_time as first saved, else when it was first saved (about when the provider
  // key was first sent). Later saves never change it.
  absl::Time first_saved = absl::InfinitePast();
};

struct PayoutQuery {
  std::string caller;
  std::string source_account_id;  // "" = any
  payments::v1::Provider provider = payments::v1::PROVIDER_UNSPECIFIED;
  payments::v1::PayoutStatus status = payments::v1::PAYOUT_STATUS_UNSPECIFIED;
  int limit = 50;
  std::string after_id;  // keyset paging: ids in creation order
};

// Reconciliation's selection: one provider's payouts by creation time (StoredPayout's
// first_saved), every caller's.
struct PayoutWindowQuery {
  payments::v1::Provider provider = payments::v1::PROVIDER_UNSPECIFIED;  // required
  absl::Time created_from = absl::InfinitePast();                        // [from, to)
  absl::Time created_to = absl::InfiniteFuture();
  int limit = 500;
  int64_t after_position = 0;  // 0: first page; else the previous page's last_position
};

struct PayoutWindowPage {
  std::vector<StoredPayout> payouts;  // every caller's, in the store's insertion order
  int64_t last_position = 0;          // pass as after_position; 0 when the page is empty
};

// The creation time a payout's record keeps for good: its create_time, else `saved`.
absl::Time PayoutCreationTime(const payments::v1::Payout& payout, absl::Time saved);

class PayoutStore {
 public:
  virtual ~PayoutStore() = default;

  // Inserts or replaces the payout with this id. Status changes are monotonic: a write that
  // would move a final status back (e.g. SUCCEEDED -> PENDING) keeps the stored status.
  virtual absl::Status SavePayout(const StoredPayout& payout) = 0;
  virtual absl::StatusOr<absl::optional<payments::v1::Payout>> GetPayout(
      const std::string& caller, const std::string& payout_id) = 0;
  virtual absl::StatusOr<std::vector<payments::v1::Payout>> ListPayouts(
      const PayoutQuery& query) = 0;
  // The payout a provider's event is about: by the provider's transfer id when given, else by
  // the SPEI tracking key. Empty when the gateway made no such payout.
  virtual absl::StatusOr<absl::optional<StoredPayout>> FindPayoutByProviderRef(
      payments::v1::Provider provider, const std::string& provider_payout_id,
      const std::string& tracking_key) = 0;
  // Payouts not yet final that the resolver should ask the provider about again, most overdue
  // first: UNKNOWN ones whose next attempt is at or before `now`, and PENDING ones that are
  // also not updated since `pending_updated_before` (a webhook normally finishes them).
  virtual absl::StatusOr<std::vector<StoredPayout>> PayoutsDueForResolve(
      absl::Time now, absl::Time pending_updated_before, int limit) = 0;
  // Persists the resolver's schedule of one payout: `attempts` re-asks so far, none before
  // `next_attempt`. A status change (SavePayout) resets both. No-op for an unknown payout.
  virtual absl::Status ScheduleResolve(const std::string& caller, const std::string& payout_id,
                                       int attempts, absl::Time next_attempt) = 0;
  // Reconciliation's view of the gateway: the payouts through `provider` first saved within
  // the window, any caller, in pages (bounded memory for any window). A page shorter than
  // `limit` is not proof of the end: page until one is empty. INVALID_ARGUMENT without a
  // provider or with a limit that is not positive.
  virtual absl::StatusOr<PayoutWindowPage> PayoutsCreatedWithin(const PayoutWindowQuery& query) = 0;
};

// The checks every store applies to a window query.
absl::Status CheckWindowQuery(const PayoutWindowQuery& query);

}  // namespace idempotency

#endif  // IDEMPOTENCY_PAYOUT_STORE_H_
