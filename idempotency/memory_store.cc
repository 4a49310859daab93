#include "idempotency/memory_store.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <tuple>

#include "absl/time/clock.h"
#include "idempotency/claim_rules.h"
#include "idempotency/spend_check.h"
#include "vocabulary/payout_status_rules.h"

namespace idempotency {

absl::StatusOr<ClaimResult> MemoryStore::Claim(const ClaimRequest& request, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto it = records_.find(KeyOf(request.id));
  ClaimResult result = DecideClaim(
      request, it == records_.end() ? absl::nullopt : absl::make_optional(it->second), now);
  if (result.outcome == ClaimOutcome::kClaimed && request.spend.has_value()) {
    // Checked and reserved under the same lock as the claim: nothing can slip in between.
    const Spend& spend = *request.spend;
    // The totals are moved on a copy: a refused claim leaves the store as it was, like the
    // SQL stores' rolled-back transaction.
    const std::map<TotalKey, Total> before = totals_;
    auto check = CheckSpend(request.id.caller, spend, [&](const SpendQuery& query) {
      mu_.AssertHeld();
      return absl::StatusOr<LimitUsage>(UsageLocked(query, now, /*write=*/true));
    });
    if (!check.ok() || check->reached.has_value()) totals_ = before;
    if (!check.ok()) return check.status();
    if (check->reached.has_value()) {
      return LimitReachedResult(request.id, *std::move(check->reached));  // nothing stored
    }
    Reservation reservation{spend, false};
    reservation.spend.limits.clear();
    CountInTotalsLocked(request.id.caller, reservation.spend, now, 1);
    reservations_[{request.id.caller, request.id.operation, request.id.key, now}] =
        std::move(reservation);
    result.usage = std::move(check->usage);
  }
  if (result.outcome == ClaimOutcome::kClaimed || result.outcome == ClaimOutcome::kTakenOver) {
    records_[KeyOf(request.id)] = result.record;
  }
  return result;
}

namespace {

bool Counts(const std::tuple<std::string, int, std::string, std::string, int64_t>& scope,
            const std::string& caller, const Spend& spend) {
  if (std::get<0>(scope) != caller || std::get<3>(scope) != spend.currency) return false;
  switch (static_cast<LimitScope>(std::get<1>(scope))) {
    case LimitScope::kSourceAccount:
      return spend.source_account_id == std::get<2>(scope);
    case LimitScope::kDestination:
      return spend.destination == std::get<2>(scope);
    case LimitScope::kCaller:
      break;
  }
  return true;
}

int64_t Saturated(__int128 amount) {
  if (amount > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (amount < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(amount);
}

}  // namespace

MemoryStore::Total MemoryStore::SumLocked(const TotalKey& key, int64_t after_us,
                                          int64_t up_to_us) const {
  Total sum;
  for (const auto& [reserved, reservation] : reservations_) {
    const int64_t created_us = absl::ToUnixMicros(std::get<3>(reserved));
    if (reservation.released || created_us <= after_us || created_us > up_to_us) continue;
    if (!Counts(key, std::get<0>(reserved), reservation.spend)) continue;
    sum.amount += reservation.spend.amount_minor;
    ++sum.count;
  }
  return sum;
}

LimitUsage MemoryStore::UsageLocked(const SpendQuery& query, absl::Time now, bool write) {
  LimitUsage usage;
  usage.rule = query.rule;
  usage.scope_value = query.rule.scope == LimitScope::kCaller ? query.caller : query.scope_value;
  const TotalKey key{query.caller, static_cast<int>(query.rule.scope), usage.scope_value,
                     query.rule.currency, absl::ToInt64Microseconds(query.rule.window)};
  const int64_t horizon_us = WindowStartMicros(query.rule, now);
  Total total;
  auto it = totals_.find(key);
  if (it == totals_.end()) {  // first use: the one full sum
    total = SumLocked(key, horizon_us, std::numeric_limits<int64_t>::max());
  } else {
    total = it->second;
    // Forward: what left the window; backward (an earlier `now`): what is back in it.
    const int sign = horizon_us > total.horizon_us ? -1 : 1;
    const Total moved = SumLocked(key, std::min(total.horizon_us, horizon_us),
                                  std::max(total.horizon_us, horizon_us));
    total.amount += sign * moved.amount;
    total.count += sign * moved.count;
  }
  total.horizon_us = horizon_us;
  if (write) totals_[key] = total;
  usage.used_amount_minor = Saturated(total.amount);
  usage.used_count = total.count;
  return usage;
}

void MemoryStore::CountInTotalsLocked(const std::string& caller, const Spend& spend,
                                      absl::Time created, int sign) {
  const int64_t created_us = absl::ToUnixMicros(created);
  for (auto& [key, total] : totals_) {
    if (total.horizon_us >= created_us || !Counts(key, caller, spend)) continue;
    total.amount += sign * static_cast<__int128>(spend.amount_minor);
    total.count += sign;
  }
}

void MemoryStore::GiveBackLocked(const ReservationKey& key, bool erase) {
  auto it = reservations_.find(key);
  if (it == reservations_.end()) return;
  if (!it->second.released) {
    CountInTotalsLocked(std::get<0>(key), it->second.spend, std::get<3>(key), -1);
  }
  if (erase) {
    reservations_.erase(it);
  } else {
    it->second.released = true;
  }
}

absl::StatusOr<LimitUsage> MemoryStore::SpendUsage(const SpendQuery& query, absl::Time now) {
  absl::MutexLock lock(&mu_);
  return UsageLocked(query, now, /*write=*/false);
}

absl::Status MemoryStore::Complete(const RecordKey& id, const std::string& owner,
                                   const IdempotencyRecord& answer) {
  absl::MutexLock lock(&mu_);
  auto it = records_.find(KeyOf(id));
  if (it == records_.end() || it->second.state != RecordState::kInProgress ||
      it->second.owner != owner) {
    return absl::FailedPreconditionError("the idempotency record is no longer ours");
  }
  IdempotencyRecord& record = it->second;
  if (answer.status_code != 0) {  // the provider definitely refused: the spend is given back
    GiveBackLocked({id.caller, id.operation, id.key, record.created}, /*erase=*/false);
  }
  record.state = RecordState::kCompleted;
  record.status_code = answer.status_code;
  record.status_message = answer.status_message;
  record.status_details = answer.status_details;
  record.response = answer.response;
  return absl::OkStatus();
}

absl::Status MemoryStore::Release(const RecordKey& id, const std::string& owner) {
  absl::MutexLock lock(&mu_);
  auto it = records_.find(KeyOf(id));
  if (it == records_.end() || it->second.state != RecordState::kInProgress ||
      it->second.owner != owner) {
    return absl::FailedPreconditionError("the idempotency record is no longer ours");
  }
  GiveBackLocked({id.caller, id.operation, id.key, it->second.created}, /*erase=*/true);
  records_.erase(it);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<IdempotencyRecord>> MemoryStore::Abandoned(absl::Time now, int limit) {
  absl::MutexLock lock(&mu_);
  std::vector<IdempotencyRecord> out;
  for (const auto& [key, record] : records_) {
    if (static_cast<int>(out.size()) >= limit) break;
    if (record.state == RecordState::kInProgress && record.lease_expiry <= now) {
      out.push_back(record);
    }
  }
  return out;
}

absl::StatusOr<int64_t> MemoryStore::SweepExpired(absl::Time now) {
  absl::MutexLock lock(&mu_);
  int64_t swept = 0;
  for (auto it = records_.begin(); it != records_.end();) {
    if (it->second.expires <= now) {
      it = records_.erase(it);
      ++swept;
    } else {
      ++it;
    }
  }
  const absl::Time oldest = now - kLongestLimitWindow;
  for (auto it = reservations_.begin(); it != reservations_.end();) {
    it = std::get<3>(it->first) < oldest ? reservations_.erase(it) : std::next(it);
  }
  // A total whose horizon is before the swept ones may have counted them: it goes, and its
  // next use sums afresh.
  for (auto it = totals_.begin(); it != totals_.end();) {
    it = it->second.horizon_us < absl::ToUnixMicros(oldest) ? totals_.erase(it) : std::next(it);
  }
  return swept;
}

absl::Status MemoryStore::SavePayout(const StoredPayout& payout) {
  absl::MutexLock lock(&mu_);
  auto key = std::make_pair(payout.caller, payout.payout.id());
  auto it = payouts_.find(key);
  if (it == payouts_.end()) {
    const absl::Time now = absl::Now();
    // Whole microseconds, as the SQL stores keep it.
    const absl::Time created =
        absl::FromUnixMicros(absl::ToUnixMicros(PayoutCreationTime(payout.payout, now)));
    payouts_[key] = PayoutRow{payout, next_sequence_++, now, created};
    const auto status = payout.payout.status();
    if (status == payments::v1::PAYOUT_STATUS_FAILED ||
        status == payments::v1::PAYOUT_STATUS_REJECTED) {
      ReleaseNewestReservationLocked(payout.caller, payout.payout.id());
    }
    return absl::OkStatus();
  }
  const auto before = it->second.stored.payout.status();
  const auto kept = NextStatus(before, payout.payout.status());
  const bool advanced = kept == payout.payout.status();
  if (kept != before) {  // a new status starts a new resolver schedule
    it->second.resolve_attempts = 0;
    it->second.next_resolve = absl::InfinitePast();
  }
  if (advanced) {
    it->second.stored = payout;
  }
  it->second.stored.payout.set_status(kept);
  it->second.updated = absl::Now();
  if (kept == payments::v1::PAYOUT_STATUS_FAILED || kept == payments::v1::PAYOUT_STATUS_REJECTED) {
    ReleaseNewestReservationLocked(payout.caller, payout.payout.id());
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::optional<payments::v1::Payout>> MemoryStore::GetPayout(
    const std::string& caller, const std::string& payout_id) {
  absl::MutexLock lock(&mu_);
  auto it = payouts_.find({caller, payout_id});
  if (it == payouts_.end()) return absl::optional<payments::v1::Payout>();
  return absl::optional<payments::v1::Payout>(it->second.stored.payout);
}

absl::StatusOr<std::vector<payments::v1::Payout>> MemoryStore::ListPayouts(
    const PayoutQuery& query) {
  absl::MutexLock lock(&mu_);
  std::vector<const PayoutRow*> rows;
  for (const auto& [key, row] : payouts_) {
    const auto& payout = row.stored.payout;
    if (row.stored.caller != query.caller) continue;
    if (!query.source_account_id.empty() && payout.source_account_id() != query.source_account_id) {
      continue;
    }
    if (query.provider != payments::v1::PROVIDER_UNSPECIFIED &&
        payout.provider() != query.provider) {
      continue;
    }
    if (query.status != payments::v1::PAYOUT_STATUS_UNSPECIFIED &&
        payout.status() != query.status) {
      continue;
    }
    rows.push_back(&row);
  }
  std::sort(rows.begin(), rows.end(),
            [](const PayoutRow* a, const PayoutRow* b) { return a->sequence < b->sequence; });
  int64_t after = 0;
  if (!query.after_id.empty()) {
    auto it = payouts_.find({query.caller, query.after_id});
    if (it != payouts_.end()) after = it->second.sequence;
  }
  std::vector<payments::v1::Payout> out;
  for (const PayoutRow* row : rows) {
    if (row->sequence <= after) continue;
    if (static_cast<int>(out.size()) >= query.limit) break;
    out.push_back(row->stored.payout);
  }
  return out;
}

absl::StatusOr<absl::optional<StoredPayout>> MemoryStore::FindPayoutByProviderRef(
    payments::v1::Provider provider, const std::string& provider_payout_id,
    const std::string& tracking_key) {
  absl::MutexLock lock(&mu_);
  for (const auto& [key, row] : payouts_) {
    const auto& payout = row.stored.payout;
    if (payout.provider() != provider) continue;
    const bool match = !provider_payout_id.empty()
                           ? payout.provider_payout_id() == provider_payout_id
                           : !tracking_key.empty() && payout.tracking_key() == tracking_key;
    if (match) return absl::optional<StoredPayout>(row.stored);
  }
  return absl::optional<StoredPayout>();
}

absl::StatusOr<std::vector<StoredPayout>> MemoryStore::PayoutsDueForResolve(
    absl::Time now, absl::Time pending_updated_before, int limit) {
  absl::MutexLock lock(&mu_);
  std::vector<const PayoutRow*> rows;
  for (const auto& [key, row] : payouts_) {
    const auto status = row.stored.payout.status();
    if (row.next_resolve > now) continue;
    if (status == payments::v1::PAYOUT_STATUS_UNKNOWN ||
        (status == payments::v1::PAYOUT_STATUS_PENDING && row.updated <= pending_updated_before)) {
      rows.push_back(&row);
    }
  }
  std::sort(rows.begin(), rows.end(), [](const PayoutRow* a, const PayoutRow* b) {
    return std::tie(a->next_resolve, a->updated) < std::tie(b->next_resolve, b->updated);
  });
  std::vector<StoredPayout> out;
  for (const PayoutRow* row : rows) {
    if (static_cast<int>(out.size()) >= limit) break;
    StoredPayout stored = row->stored;
    stored.resolve_attempts = row->resolve_attempts;
    stored.first_saved = row->created;
    out.push_back(std::move(stored));
  }
  return out;
}

absl::StatusOr<PayoutWindowPage> MemoryStore::PayoutsCreatedWithin(const PayoutWindowQuery& query) {
  if (absl::Status checked = CheckWindowQuery(query); !checked.ok()) return checked;
  absl::MutexLock lock(&mu_);
  std::vector<const PayoutRow*> rows;
  for (const auto& [key, row] : payouts_) {
    if (row.stored.payout.provider() == query.provider && row.sequence > query.after_position &&
        row.created >= query.created_from && row.created < query.created_to) {
      rows.push_back(&row);
    }
  }
  std::sort(rows.begin(), rows.end(),
            [](const PayoutRow* a, const PayoutRow* b) { return a->sequence < b->sequence; });
  PayoutWindowPage page;
  for (const PayoutRow* row : rows) {
    if (static_cast<int>(page.payouts.size()) >= query.limit) break;
    StoredPayout stored = row->stored;
    stored.first_saved = row->created;
    page.payouts.push_back(std::move(stored));
    page.last_position = row->sequence;
  }
  return page;
}

absl::StatusOr<bool> MemoryStore::TryTakeLease(const std::string& name, const std::string& holder,
                                               absl::Time now, absl::Duration ttl) {
  if (absl::Status checked = CheckLeaseRequest(name, holder, ttl); !checked.ok()) return checked;
  absl::MutexLock lock(&mu_);
  auto it = leases_.find(name);
  if (it != leases_.end() && it->second.holder != holder && it->second.expires > now) {
    return false;  // another holder's, still live
  }
  // Whole microseconds, as the SQL stores keep it.
  leases_[name] = Lease{holder, absl::FromUnixMicros(absl::ToUnixMicros(now + ttl))};
  return true;
}

absl::Status MemoryStore::ScheduleResolve(const std::string& caller, const std::string& payout_id,
                                          int attempts, absl::Time next_attempt) {
  absl::MutexLock lock(&mu_);
  auto it = payouts_.find({caller, payout_id});
  if (it == payouts_.end()) return absl::OkStatus();
  it->second.resolve_attempts = attempts;
  it->second.next_resolve = next_attempt;
  return absl::OkStatus();
}

}  // namespace idempotency

namespace idempotency {

absl::StatusOr<int64_t> MemoryStore::AppendPayoutEvent(const payments::v1::PayoutEvent& event) {
  absl::MutexLock lock(&mu_);
  const int64_t sequence = next_event_++;
  events_.emplace_back(sequence, absl::Now(), event);
  return sequence;
}

absl::StatusOr<std::vector<std::pair<int64_t, payments::v1::PayoutEvent>>> MemoryStore::EventsAfter(
    int64_t after_sequence, int limit) {
  absl::MutexLock lock(&mu_);
  std::vector<std::pair<int64_t, payments::v1::PayoutEvent>> out;
  for (const auto& [sequence, when, event] : events_) {
    if (sequence <= after_sequence) continue;
    if (static_cast<int>(out.size()) >= limit) break;
    out.emplace_back(sequence, event);
  }
  return out;
}

absl::StatusOr<int64_t> MemoryStore::SweepEvents(absl::Time before) {
  absl::MutexLock lock(&mu_);
  const size_t size = events_.size();
  events_.erase(std::remove_if(events_.begin(), events_.end(),
                               [before](const auto& e) { return std::get<1>(e) < before; }),
                events_.end());
  return static_cast<int64_t>(size - events_.size());
}

}  // namespace idempotency

namespace idempotency {

absl::Status MemoryStore::SaveReceived(const payments::v1::ReceivedTransaction& received) {
  absl::MutexLock lock(&mu_);
  for (auto& existing : received_) {
    if (existing.id() == received.id()) {
      existing = received;
      return absl::OkStatus();
    }
  }
  received_.push_back(received);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<payments::v1::ReceivedTransaction>> MemoryStore::ListReceived(
    payments::v1::Provider provider, const std::string& after_id, int limit) {
  absl::MutexLock lock(&mu_);
  std::vector<payments::v1::ReceivedTransaction> out;
  bool started = after_id.empty();
  for (const auto& received : received_) {
    if (!started) {
      started = received.id() == after_id;
      continue;
    }
    if (provider != payments::v1::PROVIDER_UNSPECIFIED && received.provider() != provider) continue;
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back(received);
  }
  return out;
}

void MemoryStore::ReleaseNewestReservationLocked(const std::string& caller,
                                                 const std::string& payout_id) {
  const ReservationKey* newest = nullptr;
  for (const auto& [key, reservation] : reservations_) {
    if (std::get<0>(key) != caller || reservation.spend.payout_id != payout_id) continue;
    if (newest == nullptr || std::get<3>(key) > std::get<3>(*newest)) newest = &key;
  }
  if (newest != nullptr) GiveBackLocked(ReservationKey(*newest), /*erase=*/false);
}

absl::StatusOr<absl::optional<payments::v1::ReceivedTransaction>> MemoryStore::GetReceived(
    const std::string& id) {
  absl::MutexLock lock(&mu_);
  for (const auto& received : received_) {
    if (received.id() == id) return received;
  }
  return absl::nullopt;
}

}  // namespace idempotency
