// An in-memory GatewayStore for unit tests of the core. Not durable: never used by the
// gateway binary.
#ifndef IDEMPOTENCY_MEMORY_STORE_H_
#define IDEMPOTENCY_MEMORY_STORE_H_

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "idempotency/gateway_store.h"

namespace idempotency {

class MemoryStore final : public GatewayStore {
 public:
  // ClaimStore
  absl::StatusOr<ClaimResult> Claim(const ClaimRequest& request, absl::Time now) override;
  absl::Status Complete(const RecordKey& id, const std::string& owner,
                        const IdempotencyRecord& answer) override;
  absl::Status Release(const RecordKey& id, const std::string& owner) override;
  absl::StatusOr<std::vector<IdempotencyRecord>> Abandoned(absl::Time now, int limit) override;
  absl::StatusOr<int64_t> SweepExpired(absl::Time now) override;
  absl::StatusOr<LimitUsage> SpendUsage(const SpendQuery& query, absl::Time now) override;
  // PayoutStore
  absl::Status SavePayout(const StoredPayout& payout) override;
  absl::StatusOr<absl::optional<payments::v1::Payout>> GetPayout(
      const std::string& caller, const std::string& payout_id) override;
  absl::StatusOr<std::vector<payments::v1::Payout>> ListPayouts(const PayoutQuery& query) override;
  absl::StatusOr<absl::optional<StoredPayout>> FindPayoutByProviderRef(
      payments::v1::Provider provider, const std::string& provider_payout_id,
      const std::string& tracking_key) override;
  absl::StatusOr<std::vector<StoredPayout>> PayoutsDueForResolve(absl::Time now,
                                                                 absl::Time pending_updated_before,
                                                                 int limit) override;
  absl::Status ScheduleResolve(const std::string& caller, const std::string& payout_id,
                               int attempts, absl::Time next_attempt) override;
  absl::StatusOr<PayoutWindowPage> PayoutsCreatedWithin(const PayoutWindowQuery& query) override;
  // PayoutEventLog
  absl::StatusOr<int64_t> AppendPayoutEvent(const payments::v1::PayoutEvent& event) override;
  absl::StatusOr<std::vector<std::pair<int64_t, payments::v1::PayoutEvent>>> EventsAfter(
      int64_t after_sequence, int limit) override;
  absl::StatusOr<int64_t> SweepEvents(absl::Time before) override;
  // ReceivedMoneyStore
  absl::Status SaveReceived(const payments::v1::ReceivedTransaction& received) override;
  absl::StatusOr<std::vector<payments::v1::ReceivedTransaction>> ListReceived(
      payments::v1::Provider provider, const std::string& after_id, int limit) override;
  absl::StatusOr<absl::optional<payments::v1::ReceivedTransaction>> GetReceived(
      const std::string& id) override;
  // LeaseStore
  absl::StatusOr<bool> TryTakeLease(const std::string& name, const std::string& holder,
                                    absl::Time now, absl::Duration ttl) override;

 private:
  using Key = std::tuple<std::string, std::string, std::string>;
  static Key KeyOf(const RecordKey& id) { return {id.caller, id.operation, id.key}; }
  struct PayoutRow {
    StoredPayout stored;
    int64_t sequence;  // creation order
    absl::Time updated;
    absl::Time created;  // PayoutCreationTime at the first save; never changed
    int resolve_attempts = 0;
    absl::Time next_resolve = absl::InfinitePast();
  };
  // A claim's spend (idempotency/spending_limits.h), keyed by its claim's key and creation
  // time (a key claimed again after its retention has a reservation per claim).
  using ReservationKey = std::tuple<std::string, std::string, std::string, absl::Time>;
  struct Reservation {
    Spend spend;  // without its limits
    bool released = false;
  };
  // Running totals (docs/design.md#limit-totals), the same arithmetic as the SQL stores: one
  // per (caller, scope, scope value, currency, window); `amount` and `count` are the sums of
  // that scope's unreleased reservations created after `horizon_us`. 128 bits: no overflow.
  using TotalKey = std::tuple<std::string, int, std::string, std::string, int64_t>;
  struct Total {
    __int128 amount = 0;
    int64_t count = 0;
    int64_t horizon_us = 0;
  };
  // The unreleased reservations of one total's scope created in (after_us, up_to_us].
  Total SumLocked(const TotalKey& key, int64_t after_us, int64_t up_to_us) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // What one limit's window holds at `now`: its total moved to the window's start (created by
  // one full sum on first use). `write`: keep the moved total (claims); reads leave it.
  LimitUsage UsageLocked(const SpendQuery& query, absl::Time now, bool write)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Adds (sign 1) or takes out (sign -1) one reservation from every total that counts it.
  void CountInTotalsLocked(const std::string& caller, const Spend& spend, absl::Time created,
                           int sign) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Marks a reservation released (or erases it), taking it out of the totals once.
  void GiveBackLocked(const ReservationKey& key, bool erase) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A FAILED or REJECTED payout gives its spend back (its newest reservation).
  void ReleaseNewestReservationLocked(const std::string& caller, const std::string& payout_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::map<Key, IdempotencyRecord> records_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, PayoutRow> payouts_ ABSL_GUARDED_BY(mu_);
  std::map<ReservationKey, Reservation> reservations_ ABSL_GUARDED_BY(mu_);
  std::map<TotalKey, Total> totals_ ABSL_GUARDED_BY(mu_);
  int64_t next_sequence_ ABSL_GUARDED_BY(mu_) = 1;
  std::vector<std::tuple<int64_t, absl::Time, payments::v1::PayoutEvent>> events_
      ABSL_GUARDED_BY(mu_);
  int64_t next_event_ ABSL_GUARDED_BY(mu_) = 1;
  std::vector<payments::v1::ReceivedTransaction> received_ ABSL_GUARDED_BY(mu_);
  struct Lease {
    std::string holder;
    absl::Time expires;
  };
  std::map<std::string, Lease> leases_ ABSL_GUARDED_BY(mu_);
};

}  // namespace idempotency

#endif  // IDEMPOTENCY_MEMORY_STORE_H_
