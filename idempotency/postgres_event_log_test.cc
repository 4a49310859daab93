// PostgresStore's payout event log (docs/design.md#the-payout-event-log-on-postgresql) against a
// real server: transactions appending events never wait for each other, yet a reader (the
// WatchPayouts tailer, on any replica) never skips an event, even one committed after a later
// insertion was already read; a store of the previous schema keeps its events' sequences.
// Needs GATEWAY_TEST_POSTGRES_URL (scripts/test.sh); fails without it.
#include <atomic>
#include <cstdlib>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "idempotency/postgres_store.h"

namespace idempotency {
namespace {

// How long a transaction may take to append and commit while another is open. The old log
// held a lock from the append to the commit, so the second waited for the first forever.
constexpr absl::Duration kNoWait = absl::Seconds(10);

std::string ServerUrl() {
  const char* url = std::getenv("GATEWAY_TEST_POSTGRES_URL");
  return url != nullptr ? url : "";
}

std::string FreshSchema() {
  absl::BitGen random;
  return absl::StrFormat("t_%016x", absl::Uniform<uint64_t>(random));
}

std::unique_ptr<PostgresStore> OpenStore(const std::string& schema) {
  if (ServerUrl().empty()) {
    ADD_FAILURE() << "GATEWAY_TEST_POSTGRES_URL is not set: run the tests with scripts/test.sh";
    return nullptr;
  }
  auto store = PostgresStore::Open(ServerUrl(), 4, schema);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

payments::v1::PayoutEvent EventOf(const std::string& payout_id) {
  payments::v1::PayoutEvent event;
  event.mutable_payout()->set_id(payout_id);
  event.mutable_payout()->set_status(payments::v1::PAYOUT_STATUS_PENDING);
  return event;
}

// A StoreExecutor unit of work on its own thread: BEGIN, append, then COMMIT once released.
class OpenBatch {
 public:
  OpenBatch(PostgresStore* store, std::string payout_id)
      : thread_([this, store, payout_id] {
          absl::Status status = store->BeginBatch();
          if (status.ok()) status = store->AppendPayoutEvent(EventOf(payout_id)).status();
          appended_status_ = status;
          appended_.Notify();
          release_.WaitForNotification();
          if (status.ok()) status = store->CommitBatch();
          committed_status_ = status;
          committed_.Notify();
        }) {}
  ~OpenBatch() {
    Release();
    thread_.join();
  }
  // The append returned, within kNoWait.
  bool Appended() {
    return appended_.WaitForNotificationWithTimeout(kNoWait) && appended_status_.ok();
  }
  void Release() {
    if (!release_.HasBeenNotified()) release_.Notify();
  }
  bool Committed() {
    return committed_.WaitForNotificationWithTimeout(kNoWait) && committed_status_.ok();
  }

 private:
  absl::Notification appended_, release_, committed_;
  absl::Status appended_status_, committed_status_;
  std::thread thread_;
};

TEST(PostgresEventLogTest, TwoBatchesAppendingEventsDoNotWaitForEachOther) {
  auto store = OpenStore(FreshSchema());
  ASSERT_NE(store, nullptr);
  OpenBatch first(store.get(), "monato.payout.first");
  ASSERT_TRUE(first.Appended());
  OpenBatch second(store.get(), "monato.payout.second");
  second.Release();
  // The second appends and commits while the first is still open.
  EXPECT_TRUE(second.Appended());
  EXPECT_TRUE(second.Committed());
  first.Release();
  EXPECT_TRUE(first.Committed());
  auto events = store->EventsAfter(0, 10);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->size(), 2u);
}

// The first insertion commits last: a reader that has read the second's event, and so moved
// its cursor past it, must still get the first's afterwards.
TEST(PostgresEventLogTest, AnEventCommittedAfterALaterOneWasReadIsNotSkipped) {
  const std::string schema = FreshSchema();
  auto replica_a = OpenStore(schema);
  auto replica_b = OpenStore(schema);  // the reader: another replica's tailer
  ASSERT_NE(replica_a, nullptr);
  ASSERT_NE(replica_b, nullptr);
  OpenBatch first(replica_a.get(), "monato.payout.first");
  ASSERT_TRUE(first.Appended());
  {
    OpenBatch second(replica_a.get(), "monato.payout.second");
    second.Release();
    ASSERT_TRUE(second.Committed());
  }
  auto seen = replica_b->EventsAfter(0, 10);
  ASSERT_TRUE(seen.ok()) << seen.status();
  ASSERT_EQ(seen->size(), 1u);
  EXPECT_EQ((*seen)[0].second.payout().id(), "monato.payout.second");
  const int64_t cursor = (*seen)[0].first;
  // Still open: the reader sees nothing new, however often it polls.
  for (int poll = 0; poll < 3; ++poll) {
    auto none = replica_b->EventsAfter(cursor, 10);
    ASSERT_TRUE(none.ok()) << none.status();
    EXPECT_TRUE(none->empty());
  }
  first.Release();
  ASSERT_TRUE(first.Committed());
  auto rest = replica_b->EventsAfter(cursor, 10);
  ASSERT_TRUE(rest.ok()) << rest.status();
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].second.payout().id(), "monato.payout.first");
  EXPECT_GT((*rest)[0].first, cursor);
}

// Many batches on two replicas append and commit in any order while readers on both poll
// like tailers: each reader gets every event exactly once, in increasing sequence order.
TEST(PostgresEventLogTest, TailersOnTwoReplicasGetEveryEventOnceUnderConcurrentBatches) {
  const std::string schema = FreshSchema();
  auto replica_a = OpenStore(schema);
  auto replica_b = OpenStore(schema);
  ASSERT_NE(replica_a, nullptr);
  ASSERT_NE(replica_b, nullptr);
  constexpr int kWriters = 3;  // per replica; each replica also has a reader (4 connections)
  constexpr int kEvents = 40;  // per writer
  std::atomic<int> writers_left{2 * kWriters};
  std::atomic<int> errors{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2 * kWriters; ++w) {
    PostgresStore* store = w % 2 == 0 ? replica_a.get() : replica_b.get();
    writers.emplace_back([&, store, w] {
      for (int e = 0; e < kEvents; ++e) {
        bool ok = store->BeginBatch().ok();
        ok =
            ok && store->AppendPayoutEvent(EventOf(absl::StrCat("monato.payout.", w, ".", e))).ok();
        // Some commit at once, some after others had the time to commit around them.
        if (e % 3 == w % 3) std::this_thread::yield();
        ok = store->CommitBatch().ok() && ok;
        if (!ok) ++errors;
      }
      --writers_left;
    });
  }
  // A tailer: polls from its cursor until the writers are done. An event is skipped only if
  // it gets a sequence at or below a cursor that has passed; then no later read from that
  // cursor returns it.
  struct Tail {
    int64_t cursor = 0;
    std::map<std::string, int> got;
    bool Read(PostgresStore* store) {
      auto page = store->EventsAfter(cursor, 50);
      if (!page.ok()) return false;
      for (const auto& [sequence, event] : *page) {
        if (sequence <= cursor) return false;  // out of order
        cursor = sequence;
        ++got[event.payout().id()];
      }
      return true;
    }
  };
  auto tail = [&](PostgresStore* store, Tail* tail) {
    while (writers_left.load() > 0) {
      if (!tail->Read(store)) ++errors;
    }
  };
  Tail tail_a, tail_b;
  std::thread reader_a(tail, replica_a.get(), &tail_a);
  std::thread reader_b(tail, replica_b.get(), &tail_b);
  for (auto& writer : writers) writer.join();
  reader_a.join();
  reader_b.join();
  // Everything committed: catch up from where each cursor stopped.
  for (int page = 0; page < 2 * kWriters * kEvents / 50 + 1; ++page) {
    EXPECT_TRUE(tail_a.Read(replica_a.get()));
    EXPECT_TRUE(tail_b.Read(replica_b.get()));
  }
  EXPECT_EQ(errors.load(), 0);
  for (const Tail* tail : {&tail_a, &tail_b}) {
    EXPECT_EQ(tail->got.size(), static_cast<size_t>(2 * kWriters * kEvents));
    for (const auto& [id, times] : tail->got) EXPECT_EQ(times, 1) << id;
  }
}

// A store of schema version 6 (sequences drawn at insertion) keeps its events' sequences, and
// new events are numbered past every sequence it handed out, swept ones included.
TEST(PostgresEventLogTest, AVersionSixLogKeepsItsSequences) {
  const std::string schema = FreshSchema();
  ASSERT_FALSE(ServerUrl().empty());
  SecretRedactor redactor(ServerUrl());
  auto admin = PgConnection::Connect({ServerUrl(), schema}, &redactor);
  ASSERT_TRUE(admin.ok()) << admin.status();
  const std::string create = "CREATE SCHEMA " + (*admin)->QuoteIdentifier(schema);
  ASSERT_TRUE((*admin)->ExecScript(create.c_str()).ok());
  // The event log as versions 2 to 6 created it; of the other tables only the payouts
  // columns that version 8 indexes are needed here.
  ASSERT_TRUE((*admin)
                  ->ExecScript("CREATE TABLE schema_version (singleton BOOLEAN PRIMARY KEY "
                               "DEFAULT TRUE CHECK (singleton), version INTEGER NOT NULL); "
                               "INSERT INTO schema_version (version) VALUES (6); "
                               "CREATE TABLE payouts (provider INTEGER NOT NULL, created_us "
                               "BIGINT NOT NULL); "
                               "CREATE TABLE payout_events (seq BIGSERIAL PRIMARY KEY, event "
                               "BYTEA NOT NULL, created_us BIGINT NOT NULL); "
                               "CREATE INDEX payout_events_by_time ON payout_events (created_us);")
                  .ok());
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE((*admin)
                    ->Exec("INSERT INTO payout_events (event, created_us) VALUES ($1, 0)",
                           PgParams().Bytes(
                               EventOf(absl::StrCat("monato.payout.v6.", i)).SerializeAsString()))
                    .ok());
  }
  ASSERT_TRUE((*admin)->Exec("DELETE FROM payout_events WHERE seq = 3").ok());  // swept
  auto store = OpenStore(schema);
  ASSERT_NE(store, nullptr);
  auto kept = store->EventsAfter(0, 10);
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_EQ(kept->size(), 2u);
  EXPECT_EQ((*kept)[0].first, 1);
  EXPECT_EQ((*kept)[1].first, 2);
  EXPECT_EQ((*kept)[1].second.payout().id(), "monato.payout.v6.2");
  auto next = store->AppendPayoutEvent(EventOf("monato.payout.v7"));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(*next, 4);
  auto version = (*admin)->Exec("SELECT version FROM schema_version");
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(version->Int(0, 0), PostgresStore::kSchemaVersion);
}

}  // namespace
}  // namespace idempotency
