// The resolver loop stops waiting for a pass that outlasts its wait; the pass still finishes
// later and must not touch the loop's (by then gone) state. Under ASan the old code's stack
// Notification, notified after its scope ended, is a use-after-scope.
#include "gateway/core/periodic_resolver.h"

#include <memory>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "idempotency/memory_store.h"
#include "idempotency/store_executor.h"
#include "providers/provider_registry.h"
#include "providers/testing/fake_provider.h"

namespace gateway {
namespace {

TEST(PeriodicResolverTest, APassThatOutlastsTheWaitFinishesSafelyAfterTheLoopMovedOn) {
  providers::ProviderRegistry registry;
  auto owned = std::make_unique<providers::FakeProvider>(payments::v1::PROVIDER_MONATO);
  providers::FakeProvider* monato = owned.get();
  registry.Add(std::move(owned));
  const BankCatalog banks = BankCatalog::Builtin();
  PayoutEventHub events;
  idempotency::MemoryStore store;
  idempotency::StoreExecutor executor(&store, 1);
  PayoutEngine engine(&executor, &registry, &banks, &events, EngineOptions{"test-instance"});

  // A payout the resolver reads (it has the provider's id); the read answers late.
  payments::v1::Payout payout;
  payout.set_id("monato.payout.slow");
  payout.set_provider(payments::v1::PROVIDER_MONATO);
  payout.set_status(payments::v1::PAYOUT_STATUS_UNKNOWN);
  payout.set_provider_payout_id("native-slow");
  ASSERT_TRUE(store.SavePayout({"billing", payout}).ok());
  monato->SetReplyDelay(absl::Milliseconds(200));

  PeriodicResolver resolver(&engine, &executor, absl::Milliseconds(1), absl::Minutes(2),
                            /*pass_wait=*/absl::Milliseconds(1));
  resolver.Start();
  // The late answer (NOT_FOUND) makes the resolver persist the payout's next attempt: once that
  // is stored, the pass that outlasted the wait has finished while the loop kept going.
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  while (absl::Now() < give_up) {
    auto due = store.PayoutsDueForResolve(absl::Now(), absl::Now(), 10);
    ASSERT_TRUE(due.ok());
    if (due->empty() && monato->CallCount("GetPayout") > 0) break;
    absl::SleepFor(absl::Milliseconds(5));  // polling a condition set by another thread
  }
  EXPECT_GE(monato->CallCount("GetPayout"), 1);
  auto due = store.PayoutsDueForResolve(absl::Now(), absl::Now(), 10);
  ASSERT_TRUE(due.ok());
  EXPECT_TRUE(due->empty());  // the late answer was applied
  resolver.Stop();
  // Delayed replies call back into the ledger and the executor, which are destroyed before the
  // registry that owns the provider (ThreadSanitizer caught a late reply posting to the
  // destroyed executor). Finish the queued store work first (it may start more replies), then
  // wait for every reply; a reply after Shutdown finds the executor closed but alive.
  executor.Shutdown();
  monato->JoinReplies();
}

}  // namespace
}  // namespace gateway
