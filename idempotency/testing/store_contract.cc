#include "idempotency/testing/store_contract.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace idempotency {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

ClaimRequest Claim(const std::string& key, const std::string& fingerprint = "fp-1",
                   const std::string& owner = "instance-a", const std::string& caller = "billing") {
  ClaimRequest request;
  request.id = RecordKey{caller, "CreatePayout", key};
  request.fingerprint = fingerprint;
  request.request = "serialized-request";
  request.owner = owner;
  request.lease = absl::Seconds(30);
  request.retention = absl::Hours(24);
  return request;
}

IdempotencyRecord Answer(const std::string& response) {
  IdempotencyRecord answer;
  answer.status_code = 0;
  answer.response = response;
  return answer;
}

payments::v1::Payout PayoutWith(const std::string& id, payments::v1::PayoutStatus status) {
  payments::v1::Payout payout;
  payout.set_id(id);
  payout.set_provider(payments::v1::PROVIDER_MONATO);
  payout.set_source_account_id("monato.acct.a1");
  payout.set_status(status);
  payout.mutable_amount()->set_amount_minor(195);
  payout.mutable_amount()->set_currency("MXN");
  return payout;
}

TEST_P(StoreContractTest, ANewKeyIsClaimedThenItsAnswerReplayed) {
  auto first = store_->Claim(Claim("k1"), kNow);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->outcome, ClaimOutcome::kClaimed);
  ASSERT_TRUE(store_->Complete(Claim("k1").id, "instance-a", Answer("payout-bytes")).ok());
  auto again = store_->Claim(Claim("k1", "fp-1", "instance-b"), kNow + absl::Seconds(1));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->outcome, ClaimOutcome::kCompleted);
  EXPECT_EQ(again->record.response, "payout-bytes");
  EXPECT_EQ(again->record.status_code, 0);
  EXPECT_EQ(again->record.request, "serialized-request");
}

TEST_P(StoreContractTest, ErrorsAreStoredAndReplayedToo) {
  ASSERT_TRUE(store_->Claim(Claim("k-err"), kNow).ok());
  IdempotencyRecord error;
  error.status_code = 3;
  error.status_message = "invalid request: counterparty.clabe has a wrong check digit";
  error.status_details = std::string("\x08\x03\x12\x01x", 5);  // binary-safe
  ASSERT_TRUE(store_->Complete(Claim("k-err").id, "instance-a", error).ok());
  auto replay = store_->Claim(Claim("k-err"), kNow);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->outcome, ClaimOutcome::kCompleted);
  EXPECT_EQ(replay->record.status_code, 3);
  EXPECT_EQ(replay->record.status_message, error.status_message);
  EXPECT_EQ(replay->record.status_details, error.status_details);
}

TEST_P(StoreContractTest, ADifferentRequestUnderTheSameKeyIsAMismatch) {
  ASSERT_TRUE(store_->Claim(Claim("k2"), kNow).ok());
  auto in_flight = store_->Claim(Claim("k2", "fp-other"), kNow);
  ASSERT_TRUE(in_flight.ok());
  EXPECT_EQ(in_flight->outcome, ClaimOutcome::kMismatch);
  ASSERT_TRUE(store_->Complete(Claim("k2").id, "instance-a", Answer("x")).ok());
  auto done = store_->Claim(Claim("k2", "fp-other"), kNow);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->outcome, ClaimOutcome::kMismatch);
}

TEST_P(StoreContractTest, InFlightUntilTheLeaseEndsThenTakenOver) {
  ASSERT_TRUE(store_->Claim(Claim("k3", "fp-1", "dead"), kNow).ok());
  auto busy = store_->Claim(Claim("k3", "fp-1", "alive"), kNow + absl::Seconds(29));
  ASSERT_TRUE(busy.ok());
  EXPECT_EQ(busy->outcome, ClaimOutcome::kInFlight);
  auto taken = store_->Claim(Claim("k3", "fp-1", "alive"), kNow + absl::Seconds(31));
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ(taken->outcome, ClaimOutcome::kTakenOver);
  EXPECT_EQ(taken->record.request, "serialized-request");
  // The dead owner can no longer complete; the new one can.
  EXPECT_FALSE(store_->Complete(Claim("k3").id, "dead", Answer("stale")).ok());
  EXPECT_TRUE(store_->Complete(Claim("k3").id, "alive", Answer("fresh")).ok());
  auto replay = store_->Claim(Claim("k3"), kNow + absl::Seconds(40));
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->record.response, "fresh");
}

TEST_P(StoreContractTest, ReleaseGivesTheKeyBack) {
  ASSERT_TRUE(store_->Claim(Claim("k4"), kNow).ok());
  EXPECT_FALSE(store_->Release(Claim("k4").id, "someone-else").ok());
  ASSERT_TRUE(store_->Release(Claim("k4").id, "instance-a").ok());
  auto again = store_->Claim(Claim("k4", "fp-2"), kNow);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->outcome, ClaimOutcome::kClaimed);
}

TEST_P(StoreContractTest, KeysAreScopedToTheCaller) {
  auto billing = store_->Claim(Claim("shared", "fp-1", "a", "billing"), kNow);
  auto payroll = store_->Claim(Claim("shared", "fp-2", "a", "payroll"), kNow);
  ASSERT_TRUE(billing.ok());
  ASSERT_TRUE(payroll.ok());
  EXPECT_EQ(billing->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(payroll->outcome, ClaimOutcome::kClaimed);
}

TEST_P(StoreContractTest, AbandonedListsOnlyExpiredLeases) {
  ASSERT_TRUE(store_->Claim(Claim("live"), kNow).ok());
  ASSERT_TRUE(store_->Claim(Claim("dead"), kNow - absl::Minutes(5)).ok());
  ASSERT_TRUE(store_->Claim(Claim("done"), kNow - absl::Minutes(5)).ok());
  ASSERT_TRUE(store_->Complete(Claim("done").id, "instance-a", Answer("x")).ok());
  auto abandoned = store_->Abandoned(kNow, 10);
  ASSERT_TRUE(abandoned.ok()) << abandoned.status();
  ASSERT_EQ(abandoned->size(), 1u);
  EXPECT_EQ((*abandoned)[0].id.key, "dead");
}

TEST_P(StoreContractTest, ExpiredRecordsAreSweptAndTheirKeysFree) {
  ASSERT_TRUE(store_->Claim(Claim("old"), kNow - absl::Hours(25)).ok());
  ASSERT_TRUE(store_->Complete(Claim("old").id, "instance-a", Answer("x")).ok());
  ASSERT_TRUE(store_->Claim(Claim("new"), kNow).ok());
  auto swept = store_->SweepExpired(kNow);
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(*swept, 1);
  auto reclaimed = store_->Claim(Claim("old", "fp-new"), kNow);
  ASSERT_TRUE(reclaimed.ok());
  EXPECT_EQ(reclaimed->outcome, ClaimOutcome::kClaimed);
}

TEST_P(StoreContractTest, ConcurrentClaimsOfOneKeyHaveOneWinner) {
  constexpr int kThreads = 16;
  std::atomic<int> claimed{0}, in_flight{0}, errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto result = store_->Claim(Claim("race", "fp-1", absl::StrCat("instance-", i)), kNow);
      if (!result.ok()) {
        ++errors;
      } else if (result->outcome == ClaimOutcome::kClaimed) {
        ++claimed;
      } else if (result->outcome == ClaimOutcome::kInFlight) {
        ++in_flight;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claimed.load(), 1);
  EXPECT_EQ(in_flight.load(), kThreads - 1);
}

TEST_P(StoreContractTest, PayoutsAreSavedReadAndScopedToTheirCaller) {
  ASSERT_TRUE(store_
                  ->SavePayout({"billing", PayoutWith("monato.payout.p1",
                                                      payments::v1::PAYOUT_STATUS_PENDING)})
                  .ok());
  auto read = store_->GetPayout("billing", "monato.payout.p1");
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->amount().amount_minor(), 195);
  auto other = store_->GetPayout("payroll", "monato.payout.p1");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
}

TEST_P(StoreContractTest, StatusOnlyMovesForward) {
  const std::string id = "monato.payout.p2";
  ASSERT_TRUE(
      store_->SavePayout({"billing", PayoutWith(id, payments::v1::PAYOUT_STATUS_UNKNOWN)}).ok());
  ASSERT_TRUE(
      store_->SavePayout({"billing", PayoutWith(id, payments::v1::PAYOUT_STATUS_PENDING)}).ok());
  ASSERT_TRUE(
      store_->SavePayout({"billing", PayoutWith(id, payments::v1::PAYOUT_STATUS_SUCCEEDED)}).ok());
  ASSERT_TRUE(
      store_->SavePayout({"billing", PayoutWith(id, payments::v1::PAYOUT_STATUS_PENDING)}).ok());
  EXPECT_EQ((*store_->GetPayout("billing", id))->status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  ASSERT_TRUE(
      store_->SavePayout({"billing", PayoutWith(id, payments::v1::PAYOUT_STATUS_RETURNED)}).ok());
  EXPECT_EQ((*store_->GetPayout("billing", id))->status(), payments::v1::PAYOUT_STATUS_RETURNED);
  ASSERT_TRUE(
      store_->SavePayout({"billing", PayoutWith(id, payments::v1::PAYOUT_STATUS_SUCCEEDED)}).ok());
  EXPECT_EQ((*store_->GetPayout("billing", id))->status(), payments::v1::PAYOUT_STATUS_RETURNED);
}

TEST_P(StoreContractTest, ListingFiltersAndPagesInCreationOrder) {
  for (int i = 0; i < 5; ++i) {
    auto payout = PayoutWith(
        absl::StrCat("monato.payout.l", i),
        i % 2 == 0 ? payments::v1::PAYOUT_STATUS_PENDING : payments::v1::PAYOUT_STATUS_SUCCEEDED);
    ASSERT_TRUE(store_->SavePayout({"billing", payout}).ok());
  }
  ASSERT_TRUE(store_
                  ->SavePayout({"payroll",
                                PayoutWith("monato.payout.x", payments::v1::PAYOUT_STATUS_PENDING)})
                  .ok());
  PayoutQuery query;
  query.caller = "billing";
  query.limit = 2;
  auto page1 = store_->ListPayouts(query);
  ASSERT_TRUE(page1.ok()) << page1.status();
  ASSERT_EQ(page1->size(), 2u);
  EXPECT_EQ((*page1)[0].id(), "monato.payout.l0");
  query.after_id = page1->back().id();
  auto page2 = store_->ListPayouts(query);
  ASSERT_TRUE(page2.ok());
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_EQ((*page2)[0].id(), "monato.payout.l2");
  PayoutQuery pending;
  pending.caller = "billing";
  pending.status = payments::v1::PAYOUT_STATUS_PENDING;
  EXPECT_EQ(store_->ListPayouts(pending)->size(), 3u);
  PayoutQuery fintoc;
  fintoc.caller = "billing";
  fintoc.provider = payments::v1::PROVIDER_FINTOC;
  EXPECT_TRUE(store_->ListPayouts(fintoc)->empty());
}

TEST_P(StoreContractTest, PayoutsDueForResolveAreTheNonFinalOnes) {
  ASSERT_TRUE(store_
                  ->SavePayout({"billing", PayoutWith("monato.payout.u1",
                                                      payments::v1::PAYOUT_STATUS_UNKNOWN)})
                  .ok());
  ASSERT_TRUE(store_
                  ->SavePayout({"billing", PayoutWith("monato.payout.u2",
                                                      payments::v1::PAYOUT_STATUS_PENDING)})
                  .ok());
  ASSERT_TRUE(store_
                  ->SavePayout({"billing", PayoutWith("monato.payout.u3",
                                                      payments::v1::PAYOUT_STATUS_SUCCEEDED)})
                  .ok());
  const absl::Time later = absl::Now() + absl::Seconds(1);
  auto due = store_->PayoutsDueForResolve(later, later, 10);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_EQ(due->size(), 2u);
  for (const auto& stored : *due) {
    EXPECT_EQ(stored.caller, "billing");
    EXPECT_NE(stored.payout.status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
    EXPECT_EQ(stored.resolve_attempts, 0);
    EXPECT_LE(stored.first_saved, later);
    EXPECT_GT(stored.first_saved, later - absl::Minutes(1));
  }
}

// The PENDING re-check applies to PENDING payouts only: an UNKNOWN one is due whenever its own
// schedule says so, however recently it was updated.
TEST_P(StoreContractTest, OnlyPendingPayoutsWaitForThePendingRecheck) {
  ASSERT_TRUE(store_
                  ->SavePayout({"billing", PayoutWith("monato.payout.unknown",
                                                      payments::v1::PAYOUT_STATUS_UNKNOWN)})
                  .ok());
  ASSERT_TRUE(store_
                  ->SavePayout({"billing", PayoutWith("monato.payout.pending",
                                                      payments::v1::PAYOUT_STATUS_PENDING)})
                  .ok());
  const absl::Time now = absl::Now() + absl::Seconds(1);
  auto due = store_->PayoutsDueForResolve(now, now - absl::Minutes(2), 10);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].payout.id(), "monato.payout.unknown");
}

// Each payout's next attempt is persisted: a payout scheduled for later is not due, so the
// others are not starved by it; a status change resets the schedule.
TEST_P(StoreContractTest, EachPayoutDueForResolveKeepsItsOwnSchedule) {
  for (const char* id : {"monato.payout.s1", "monato.payout.s2"}) {
    ASSERT_TRUE(
        store_->SavePayout({"billing", PayoutWith(id, payments::v1::PAYOUT_STATUS_UNKNOWN)}).ok());
  }
  const absl::Time now = absl::Now() + absl::Seconds(1);
  ASSERT_TRUE(
      store_->ScheduleResolve("billing", "monato.payout.s1", 3, now + absl::Minutes(5)).ok());
  auto due = store_->PayoutsDueForResolve(now, now, 10);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].payout.id(), "monato.payout.s2");
  auto later = store_->PayoutsDueForResolve(now + absl::Minutes(6), now, 10);
  ASSERT_TRUE(later.ok()) << later.status();
  ASSERT_EQ(later->size(), 2u);
  EXPECT_EQ((*later)[0].payout.id(), "monato.payout.s2");  // the most overdue first
  EXPECT_EQ((*later)[1].payout.id(), "monato.payout.s1");
  EXPECT_EQ((*later)[1].resolve_attempts, 3);
  // Saving the same status keeps the schedule; a new status resets it.
  ASSERT_TRUE(store_
                  ->SavePayout({"billing", PayoutWith("monato.payout.s1",
                                                      payments::v1::PAYOUT_STATUS_UNKNOWN)})
                  .ok());
  EXPECT_EQ(store_->PayoutsDueForResolve(now, now, 10)->size(), 1u);
  ASSERT_TRUE(store_
                  ->SavePayout({"billing", PayoutWith("monato.payout.s1",
                                                      payments::v1::PAYOUT_STATUS_PENDING)})
                  .ok());
  auto reset = store_->PayoutsDueForResolve(now, now, 10);
  ASSERT_TRUE(reset.ok()) << reset.status();
  ASSERT_EQ(reset->size(), 2u);
  for (const auto& stored : *reset) EXPECT_EQ(stored.resolve_attempts, 0);
}

TEST_P(StoreContractTest, PayoutsAreFoundByTheProvidersReference) {
  auto payout = PayoutWith("monato.payout.ref", payments::v1::PAYOUT_STATUS_PENDING);
  payout.set_provider_payout_id("tx-123");
  payout.set_tracking_key("20250306FINCHVLIKQ5SKUM");
  ASSERT_TRUE(store_->SavePayout({"billing", payout}).ok());
  auto by_id = store_->FindPayoutByProviderRef(payments::v1::PROVIDER_MONATO, "tx-123", "");
  ASSERT_TRUE(by_id.ok()) << by_id.status();
  ASSERT_TRUE(by_id->has_value());
  EXPECT_EQ((*by_id)->caller, "billing");
  EXPECT_EQ((*by_id)->payout.id(), "monato.payout.ref");
  auto by_key =
      store_->FindPayoutByProviderRef(payments::v1::PROVIDER_MONATO, "", "20250306FINCHVLIKQ5SKUM");
  ASSERT_TRUE(by_key.ok());
  ASSERT_TRUE(by_key->has_value());
  EXPECT_EQ((*by_key)->payout.id(), "monato.payout.ref");
  auto other_provider =
      store_->FindPayoutByProviderRef(payments::v1::PROVIDER_FINTOC, "tx-123", "");
  ASSERT_TRUE(other_provider.ok());
  EXPECT_FALSE(other_provider->has_value());
  auto nothing = store_->FindPayoutByProviderRef(payments::v1::PROVIDER_MONATO, "", "");
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->has_value());
}

TEST_P(StoreContractTest, TheEventLogIsOrderedAndResumable) {
  std::vector<int64_t> sequences;
  for (int i = 0; i < 5; ++i) {
    payments::v1::PayoutEvent event;
    *event.mutable_payout() =
        PayoutWith(absl::StrCat("monato.payout.e", i), payments::v1::PAYOUT_STATUS_PENDING);
    auto sequence = store_->AppendPayoutEvent(event);
    ASSERT_TRUE(sequence.ok()) << sequence.status();
    if (!sequences.empty()) {
      EXPECT_GT(*sequence, sequences.back());
    }
    sequences.push_back(*sequence);
  }
  auto all = store_->EventsAfter(0, 100);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ((*all)[0].second.payout().id(), "monato.payout.e0");
  auto rest = store_->EventsAfter(sequences[1], 2);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 2u);
  EXPECT_EQ((*rest)[0].first, sequences[2]);
  EXPECT_EQ((*rest)[1].second.payout().id(), "monato.payout.e3");
  auto swept = store_->SweepEvents(absl::Now() + absl::Seconds(1));
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 5);
  EXPECT_TRUE(store_->EventsAfter(0, 100)->empty());
}

TEST_P(StoreContractTest, ReceivedMoneyIsRecordedOnceAndListedInOrder) {
  for (int i = 0; i < 3; ++i) {
    payments::v1::ReceivedTransaction received;
    received.set_id(absl::StrCat(i == 1 ? "fintoc" : "monato", ".txn.r", i));
    received.set_provider(i == 1 ? payments::v1::PROVIDER_FINTOC : payments::v1::PROVIDER_MONATO);
    received.mutable_amount()->set_amount_minor(500 + i);
    received.mutable_amount()->set_currency("MXN");
    received.set_provider_status("pending");
    ASSERT_TRUE(store_->SaveReceived(received).ok());
  }
  payments::v1::ReceivedTransaction update;
  update.set_id("monato.txn.r0");
  update.set_provider(payments::v1::PROVIDER_MONATO);
  update.mutable_amount()->set_amount_minor(500);
  update.set_provider_status("LIQUIDATED");
  ASSERT_TRUE(store_->SaveReceived(update).ok());  // a redelivery updates, never duplicates
  auto all = store_->ListReceived(payments::v1::PROVIDER_UNSPECIFIED, "", 10);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id(), "monato.txn.r0");
  EXPECT_EQ((*all)[0].provider_status(), "LIQUIDATED");
  auto monato = store_->ListReceived(payments::v1::PROVIDER_MONATO, "", 10);
  ASSERT_TRUE(monato.ok());
  EXPECT_EQ(monato->size(), 2u);
  auto after = store_->ListReceived(payments::v1::PROVIDER_UNSPECIFIED, "monato.txn.r0", 1);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].id(), "fintoc.txn.r1");
}

TEST_P(StoreContractTest, ReceivedMoneyIsReadBackByIdWithTheAccountItCameInto) {
  payments::v1::ReceivedTransaction received;
  received.set_id("fintoc.txn.tr_get1");
  received.set_provider(payments::v1::PROVIDER_FINTOC);
  received.mutable_amount()->set_amount_minor(12345);
  received.mutable_amount()->set_currency("MXN");
  received.set_account_id("fintoc.acct.acc_123");
  received.set_provider_status("succeeded");
  ASSERT_TRUE(store_->SaveReceived(received).ok());
  auto found = store_->GetReceived("fintoc.txn.tr_get1");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->amount().amount_minor(), 12345);
  EXPECT_EQ((*found)->account_id(), "fintoc.acct.acc_123");
  // A redelivery's update is what is read back.
  received.set_provider_status("returned");
  ASSERT_TRUE(store_->SaveReceived(received).ok());
  found = store_->GetReceived("fintoc.txn.tr_get1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->provider_status(), "returned");
  for (const char* missing : {"fintoc.txn.tr_other", "", "fintoc.txn.tr_get"}) {
    auto none = store_->GetReceived(missing);
    ASSERT_TRUE(none.ok()) << none.status();
    EXPECT_FALSE(none->has_value()) << missing;
  }
}

}  // namespace
}  // namespace idempotency
