// The resolver and the engine's claims under unknown outcomes:
// each unresolved payout keeps its own persisted backoff, definite refusals fail the payout,
// old provider keys are never re-sent, unknown refunds keep their key and are resolved, and a
// provider call never outlives its claim's lease.
#include <memory>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "gateway/core/payout_engine.h"
#include "gateway/validation/request_validation.h"
#include "gtest/gtest.h"
#include "idempotency/fingerprint.h"
#include "idempotency/memory_store.h"
#include "idempotency/store_executor.h"
#include "providers/common/await.h"
#include "providers/provider_registry.h"
#include "providers/testing/fake_provider.h"
#include "vocabulary/error_details.h"
#include "vocabulary/outcome_unknown.h"

namespace gateway {
namespace {

using providers::Await;
using providers::FakeProvider;

payments::v1::CreatePayoutRequest Request(const std::string& key) {
  payments::v1::CreatePayoutRequest request;
  request.set_idempotency_key(key);
  request.set_source_account_id("monato.acct.m-1");
  request.set_provider(payments::v1::PROVIDER_MONATO);
  request.mutable_amount()->set_amount_minor(195);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe("014180655091438298");
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.set_description("Test payment");
  request.set_numeric_reference(123456);
  return request;
}

providers::CallContext Billing() {
  providers::CallContext context;
  context.caller = "billing";
  return context;
}

class PayoutResolutionTest : public testing::Test {
 protected:
  PayoutResolutionTest() {
    auto monato = std::make_unique<FakeProvider>(payments::v1::PROVIDER_MONATO);
    monato_ = monato.get();
    registry_.Add(std::move(monato));
  }

  // An UNKNOWN payout as CreatePayout leaves it when the provider's reply was lost, its key
  // first sent `age` ago.
  std::string SaveUnknown(const std::string& key, absl::Duration age = absl::ZeroDuration()) {
    const auto request = Request(key);
    payments::v1::Payout payout;
    payout.set_id(PayoutEngine::PayoutIdFor(payments::v1::PROVIDER_MONATO, "billing", key));
    payout.set_provider(payments::v1::PROVIDER_MONATO);
    payout.set_status(payments::v1::PAYOUT_STATUS_UNKNOWN);
    payout.set_status_reason("the reply was lost");
    payout.set_idempotency_key(key);
    payout.set_source_account_id(request.source_account_id());
    *payout.mutable_amount() = request.amount();
    *payout.mutable_counterparty() = request.counterparty();
    payout.set_description(request.description());
    payout.set_numeric_reference(request.numeric_reference());
    payout.mutable_create_time()->set_seconds(absl::ToUnixSeconds(absl::Now() - age));
    EXPECT_TRUE(store_.SavePayout({"billing", payout}).ok());
    return payout.id();
  }

  int ResolveOnce(absl::Duration pending_recheck = absl::Minutes(2)) {
    absl::Notification done;
    int looked_at = -1;
    engine_->ResolveOnce(pending_recheck, [&](int n) {
      looked_at = n;
      done.Notify();
    });
    done.WaitForNotification();
    return looked_at;
  }

  // Waits for every store call queued so far (the resolver's schedule writes are async).
  void Drain() {
    absl::Notification drained;
    executor_.Run<bool>([](idempotency::GatewayStore&) -> absl::StatusOr<bool> { return true; },
                        [&](absl::StatusOr<bool>) { drained.Notify(); });
    drained.WaitForNotification();
  }

  payments::v1::Payout Stored(const std::string& id) {
    auto stored = store_.GetPayout("billing", id);
    EXPECT_TRUE(stored.ok() && stored->has_value());
    return stored.ok() && stored->has_value() ? **stored : payments::v1::Payout();
  }

  // A claim on (billing, operation, key) taken `age` ago by a replica that died before
  // answering it.
  void AbandonClaim(const std::string& operation, const std::string& key,
                    const google::protobuf::Message& request, absl::Duration age) {
    idempotency::ClaimRequest claim;
    claim.id = {"billing", operation, key};
    claim.fingerprint = idempotency::Fingerprint(request);
    claim.request = idempotency::DeterministicBytes(request);
    claim.owner = "a-replica-that-died";
    claim.lease = absl::Seconds(30);
    claim.retention = absl::Hours(24);
    ASSERT_TRUE(store_.Claim(claim, absl::Now() - age).ok());
  }

  // The caller sends `request` again: the stored answer of its key.
  absl::StatusOr<payments::v1::Payout> ReplayPayout(
      const payments::v1::CreatePayoutRequest& request) {
    auto order = ValidateCreatePayout(request, banks_, &monato_->capabilities());
    if (!order.ok()) return order.status();
    return Await<payments::v1::Payout>([&](auto done) {
      engine_->CreatePayout(request, *order, monato_, absl::nullopt, Billing(), std::move(done));
    });
  }

  void UseLease(absl::Duration lease) {
    EngineOptions options{"test-instance"};
    options.lease = lease;
    engine_ = std::make_unique<PayoutEngine>(&executor_, &registry_, &banks_, &events_, options);
  }

  providers::ProviderRegistry registry_;
  FakeProvider* monato_;
  const BankCatalog banks_ = BankCatalog::Builtin();
  PayoutEventHub events_;
  idempotency::MemoryStore store_;
  idempotency::StoreExecutor executor_{&store_, 1};
  std::unique_ptr<PayoutEngine> engine_ = std::make_unique<PayoutEngine>(
      &executor_, &registry_, &banks_, &events_, EngineOptions{"test-instance"});
};

// Fixed: the PENDING re-check (2 min) used to hold back UNKNOWN payouts too.
TEST_F(PayoutResolutionTest, AnUnknownPayoutIsReAskedAtOnceNotAfterThePendingRecheck) {
  const std::string id = SaveUnknown("fresh");
  EXPECT_EQ(ResolveOnce(absl::Minutes(2)), 1);
  Drain();
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 1);
  EXPECT_EQ(Stored(id).status(), payments::v1::PAYOUT_STATUS_PENDING);
}

// Fixed: a failed re-ask saved nothing, so the same rows were re-sent every pass.
TEST_F(PayoutResolutionTest, AFailedReAskPersistsItsBackoffSoTheNextPassAsksOthers) {
  const std::string first = SaveUnknown("first");
  monato_->FailNextCall(absl::UnavailableError("connection reset"));
  EXPECT_EQ(ResolveOnce(), 1);
  Drain();
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 1);
  EXPECT_EQ(Stored(first).status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  const std::string second = SaveUnknown("second");
  EXPECT_EQ(ResolveOnce(), 1);  // only the second: the first waits its own backoff
  Drain();
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 2);
  ASSERT_EQ(monato_->payout_orders().size(), 1u);  // the fake records answered calls only
  EXPECT_EQ(monato_->payout_orders()[0].request.idempotency_key(), "second");
  EXPECT_EQ(Stored(first).status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  auto due = store_.PayoutsDueForResolve(absl::Now() + absl::Seconds(6),
                                         absl::Now() - absl::Minutes(1), 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].payout.id(), first);
  EXPECT_EQ((*due)[0].resolve_attempts, 1);
}

// Fixed: a refusal the provider replays for the key means no money moved.
TEST_F(PayoutResolutionTest, ADefiniteRefusalReplayedForTheKeyFailsThePayoutWithItsReason) {
  const std::string id = SaveUnknown("refused");
  monato_->FailNextCall(absl::FailedPreconditionError(
      "Monato answered HTTP 409: Idempotency-Key reused with a different payload"));
  ResolveOnce();
  Drain();
  const auto payout = Stored(id);
  EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_FAILED);
  EXPECT_TRUE(absl::StrContains(payout.status_reason(), "different payload"))
      << payout.status_reason();
}

// Fixed: after half the provider's key lifetime a re-send could move money a second time.
TEST_F(PayoutResolutionTest, AnOldUnknownPayoutIsNeverReSentAndNeedsReconciliation) {
  const std::string id = SaveUnknown("old", absl::Hours(13));  // Monato keeps keys 24 h
  ResolveOnce();
  Drain();
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 0);
  const auto payout = Stored(id);
  EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_TRUE(absl::StartsWith(payout.status_reason(), "NEEDS_RECONCILIATION"))
      << payout.status_reason();
  ResolveOnce();  // not due again soon, and never re-sent
  Drain();
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 0);
}

// Past half the key lifetime the payout is read by reference instead: one match at
// the provider settles it with the provider's id, and nothing is ever re-sent.
TEST_F(PayoutResolutionTest, AnOldUnknownPayoutFoundByReferenceTakesTheProvidersView) {
  const std::string id = SaveUnknown("found", absl::Hours(13));
  payments::v1::Payout transfer;
  transfer.set_id("monato.payout.tx-77");
  transfer.set_provider(payments::v1::PROVIDER_MONATO);
  transfer.set_provider_payout_id("tx-77");
  transfer.set_status(payments::v1::PAYOUT_STATUS_SUCCEEDED);
  transfer.set_provider_status("LIQUIDATED");
  transfer.set_tracking_key("FINCH0001");
  monato_->SetFoundByReference(transfer);
  EXPECT_EQ(ResolveOnce(), 1);
  Drain();
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 0);
  const std::vector<providers::PayoutOrder> orders = monato_->searched_orders();
  ASSERT_EQ(orders.size(), 1u);
  const auto& searched = orders[0].request;
  EXPECT_EQ(searched.amount().amount_minor(), 195);
  EXPECT_EQ(searched.counterparty().clabe(), "014180655091438298");
  EXPECT_EQ(searched.numeric_reference(), 123456u);
  EXPECT_EQ(searched.description(), "Test payment");
  // Searched from when the key was first sent.
  EXPECT_LT(absl::AbsDuration(monato_->last_sent_after() - (absl::Now() - absl::Hours(13))),
            absl::Minutes(1));
  const auto payout = Stored(id);
  EXPECT_EQ(payout.id(), id);  // still the gateway's payout, now with the provider's id
  EXPECT_EQ(payout.provider_payout_id(), "tx-77");
  EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ(payout.tracking_key(), "FINCH0001");
  EXPECT_FALSE(absl::StartsWith(payout.status_reason(), "NEEDS_RECONCILIATION"))
      << payout.status_reason();
  EXPECT_EQ(payout.idempotency_key(), "found");
}

// A search that finds nothing leaves the payout for a person, says so, backs off,
// and never re-sends.
TEST_F(PayoutResolutionTest, AnOldUnknownPayoutNotFoundByReferenceNeedsReconciliation) {
  const std::string id = SaveUnknown("missing", absl::Hours(13));
  monato_->SetFoundByReference(absl::NotFoundError("no transfer matches"));
  ResolveOnce();
  Drain();
  auto payout = Stored(id);
  EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_TRUE(absl::StartsWith(payout.status_reason(), "NEEDS_RECONCILIATION"))
      << payout.status_reason();
  EXPECT_TRUE(absl::StrContains(payout.status_reason(), "no matching transfer"))
      << payout.status_reason();
  EXPECT_EQ(monato_->CallCount("FindPayoutByReference"), 1);
  ResolveOnce();  // its next search waits its own backoff
  Drain();
  EXPECT_EQ(monato_->CallCount("FindPayoutByReference"), 1);
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 0);
  auto due = store_.PayoutsDueForResolve(absl::Now() + absl::Minutes(20),
                                         absl::Now() - absl::Minutes(1), 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].resolve_attempts, 1);
}

// Several matching transfers are for a person to tell apart; a provider without a
// search says so too.
TEST_F(PayoutResolutionTest, AnAmbiguousOrImpossibleSearchSaysWhyInTheReason) {
  const std::string ambiguous = SaveUnknown("ambiguous", absl::Hours(13));
  monato_->SetFoundByReference(
      absl::FailedPreconditionError("2 transfers match (tx-1, tx-2); a person must decide"));
  ResolveOnce();
  Drain();
  auto payout = Stored(ambiguous);
  EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_TRUE(absl::StartsWith(payout.status_reason(), "NEEDS_RECONCILIATION"));
  EXPECT_TRUE(absl::StrContains(payout.status_reason(), "tx-1, tx-2")) << payout.status_reason();
  EXPECT_TRUE(payout.provider_payout_id().empty());

  const std::string unsearchable = SaveUnknown("unsearchable", absl::Hours(13));
  monato_->SetFoundByReference(absl::UnimplementedError("no listing"));
  ResolveOnce();
  Drain();
  payout = Stored(unsearchable);
  EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_TRUE(absl::StrContains(payout.status_reason(), "offers no search"))
      << payout.status_reason();
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 0);
}

// A provider whose key lifetime is unknown (zero) is never re-sent to, even at once.
TEST_F(PayoutResolutionTest, AnUnknownKeyLifetimeMeansNeverReSend) {
  providers::ProviderRegistry registry;
  auto fintoc = std::make_unique<FakeProvider>(
      payments::v1::PROVIDER_MONATO, providers::Capabilities{{"MXN"}, 99'999'999'999, true});
  FakeProvider* provider = fintoc.get();
  registry.Add(std::move(fintoc));
  PayoutEngine engine(&executor_, &registry, &banks_, &events_, EngineOptions{"test-instance"});
  const std::string id = SaveUnknown("no-lifetime");  // sent just now
  absl::Notification done;
  engine.ResolveOnce(absl::Minutes(2), [&](int) { done.Notify(); });
  done.WaitForNotification();
  Drain();
  EXPECT_EQ(provider->CallCount("CreatePayout"), 0);
  EXPECT_EQ(provider->CallCount("FindPayoutByReference"), 1);
  EXPECT_TRUE(absl::StartsWith(Stored(id).status_reason(), "NEEDS_RECONCILIATION"));
}

// An abandoned CreatePayout claim past half the key lifetime is searched by
// reference before it is given up; a match answers the key with the provider's transfer.
TEST_F(PayoutResolutionTest, AnOldAbandonedPayoutClaimFoundByReferenceIsAnswered) {
  const auto request = Request("claim-old");
  AbandonClaim("CreatePayout", "claim-old", request, absl::Hours(13));
  payments::v1::Payout transfer;
  transfer.set_id("monato.payout.tx-9");
  transfer.set_provider(payments::v1::PROVIDER_MONATO);
  transfer.set_provider_payout_id("tx-9");
  transfer.set_status(payments::v1::PAYOUT_STATUS_PENDING);
  monato_->SetFoundByReference(transfer);
  EXPECT_EQ(ResolveOnce(), 1);
  Drain();
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 0);
  EXPECT_EQ(monato_->CallCount("FindPayoutByReference"), 1);
  auto replay = ReplayPayout(request);
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->provider_payout_id(), "tx-9");
  EXPECT_EQ(replay->id(),
            PayoutEngine::PayoutIdFor(payments::v1::PROVIDER_MONATO, "billing", "claim-old"));
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 0);
}

// When that search settles nothing, the claim is answered NEEDS_RECONCILIATION with
// what the search found.
TEST_F(PayoutResolutionTest, AnOldAbandonedPayoutClaimNotFoundNeedsReconciliation) {
  const auto request = Request("claim-lost");
  AbandonClaim("CreatePayout", "claim-lost", request, absl::Hours(13));
  EXPECT_EQ(ResolveOnce(), 1);
  Drain();
  auto replay = ReplayPayout(request);
  EXPECT_EQ(replay.status().code(), absl::StatusCode::kUnknown);
  EXPECT_TRUE(absl::StartsWith(replay.status().message(), "NEEDS_RECONCILIATION"))
      << replay.status();
  EXPECT_TRUE(absl::StrContains(replay.status().message(), "no matching transfer"))
      << replay.status();
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 0);
}

// Fixed: a refund that may have reached the provider kept neither its claim nor a chance.
TEST_F(PayoutResolutionTest, ARefundThatMayHaveBeenSentKeepsItsKeyAndTheResolverFinishesIt) {
  UseLease(absl::ZeroDuration());  // the claim is abandoned at once
  payments::v1::RefundTransactionRequest request;
  request.set_idempotency_key("refund-1");
  request.set_transaction_id("monato.txn.t-1");
  request.mutable_amount()->set_amount_minor(500);
  request.mutable_amount()->set_currency("MXN");
  request.set_description("Devolucion");
  providers::RefundOrder order;
  order.request = request;
  order.transaction_native_id = "t-1";
  monato_->FailNextCall(
      net::http::MarkRequestSent(absl::UnavailableError("reply lost after sending")));
  auto first = Await<payments::v1::Refund>([&](auto done) {
    engine_->RefundTransaction(request, order, monato_, Billing(), std::move(done));
  });
  EXPECT_FALSE(first.ok());
  EXPECT_EQ(ResolveOnce(), 1);  // taken over and re-sent with the same key
  EXPECT_EQ(monato_->CallCount("RefundTransaction"), 2);
  auto replay = Await<payments::v1::Refund>([&](auto done) {
    engine_->RefundTransaction(request, order, monato_, Billing(), std::move(done));
  });
  ASSERT_TRUE(replay.ok()) << replay.status();  // the resolver's answer, not the lost one
  EXPECT_EQ(monato_->CallCount("RefundTransaction"), 2);
}

// Fixed: an abandoned refund claim whose key is too old is not re-sent either.
TEST_F(PayoutResolutionTest, AnOldAbandonedRefundIsNotReSentAndNeedsReconciliation) {
  payments::v1::RefundTransactionRequest request;
  request.set_idempotency_key("refund-old");
  request.set_transaction_id("monato.txn.t-2");
  request.mutable_amount()->set_amount_minor(500);
  request.mutable_amount()->set_currency("MXN");
  request.set_description("Devolucion");
  AbandonClaim("RefundTransaction", "refund-old", request, absl::Hours(13));  // Monato: 24 h keys
  EXPECT_EQ(ResolveOnce(), 1);
  EXPECT_EQ(monato_->CallCount("RefundTransaction"), 0);
  providers::RefundOrder order;
  order.request = request;
  order.transaction_native_id = "t-2";
  auto replay = Await<payments::v1::Refund>([&](auto done) {
    engine_->RefundTransaction(request, order, monato_, Billing(), std::move(done));
  });
  EXPECT_EQ(replay.status().code(), absl::StatusCode::kUnknown);
  EXPECT_TRUE(absl::StartsWith(replay.status().message(), "NEEDS_RECONCILIATION"))
      << replay.status();
  EXPECT_EQ(monato_->CallCount("RefundTransaction"), 0);
}

// Fixed: the whole provider call ends before the claim's lease does.
TEST_F(PayoutResolutionTest, TheProviderCallIsBoundedBelowTheLease) {
  UseLease(absl::Seconds(30));
  const auto request = Request("bounded");
  auto order = ValidateCreatePayout(request, banks_, &monato_->capabilities());
  ASSERT_TRUE(order.ok()) << order.status();
  const absl::Time before = absl::Now();
  auto payout = Await<payments::v1::Payout>([&](auto done) {
    engine_->CreatePayout(request, *order, monato_, absl::nullopt, providers::CallContext{},
                          std::move(done));
  });
  ASSERT_TRUE(payout.ok()) << payout.status();
  EXPECT_LT(monato_->last_deadline(), before + absl::Seconds(30));
}

// Fixed: the provider's "in progress" answer means another attempt is still running there.
TEST_F(PayoutResolutionTest, AnInProgressAnswerKeepsTheClaimInsteadOfGivingTheKeyBack) {
  const auto request = Request("busy");
  auto order = ValidateCreatePayout(request, banks_, &monato_->capabilities());
  ASSERT_TRUE(order.ok()) << order.status();
  monato_->FailNextCall(absl::AbortedError("Monato answered HTTP 409: operation_in_progress"));
  auto create = [&] {
    return Await<payments::v1::Payout>([&](auto done) {
      engine_->CreatePayout(request, *order, monato_, absl::nullopt, providers::CallContext{},
                            std::move(done));
    });
  };
  EXPECT_EQ(create().status().code(), absl::StatusCode::kAborted);
  auto retry = create();
  EXPECT_EQ(retry.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(ReasonOf(retry.status()), "IDEMPOTENCY_KEY_IN_USE");
  EXPECT_EQ(monato_->CallCount("CreatePayout"), 1);  // the gateway's own claim held
}

}  // namespace
}  // namespace gateway
