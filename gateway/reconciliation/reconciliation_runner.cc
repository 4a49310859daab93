#include "gateway/reconciliation/reconciliation_runner.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gateway/logging/json_log.h"
#include "gateway/reconciliation/reconciliation_metrics.h"
#include "gateway/reconciliation/report_actions.h"
#include "gateway/reconciliation/slice_merge.h"
#include "gateway/reconciliation/slice_planner.h"
#include "idempotency/payout_store.h"
#include "providers/webhook_event.h"
#include "reconciliation/classifier.h"
#include "reconciliation/payout_views.h"
#include "reconciliation/report_json.h"
#include "vocabulary/resource_id.h"

namespace gateway {
namespace {

using payments::v1::ListPayoutsResponse;
using payments::v1::Payout;

// One provider's run, kept alive by the callbacks it hands out. Slice after slice: plan it
// (slice_planner.h), list its first provider page, index its gateway records, stream its
// provider pages (or read its records by id), keep what it owns in the merged report.
class ProviderRunState : public std::enable_shared_from_this<ProviderRunState> {
 public:
  ProviderRunState(idempotency::StoreExecutor* store, providers::Provider* provider,
                   PayoutEngine* engine, const RunnerOptions& options, absl::Time from,
                   absl::Time to, absl::Time now, providers::Callback<ProviderRun> done)
      : store_(store),
        provider_(provider),
        options_(options),
        from_(from),
        to_(to),
        now_(now),
        done_(std::move(done)),
        merge_(provider->id(), from, to, options.max_items),
        actions_(std::make_shared<ReportActions>(store, engine, provider->id())) {
    limits_.from = from;
    limits_.to = to;
    limits_.grace = options.grace;
    limits_.max_records = std::max<size_t>(1, options.max_records_per_slice);
    limits_.min_length = std::max(2 * options.grace, absl::Seconds(1));
    limits_.store_page_size = options.store_page_size;
  }

  void Start() { PlanNext(from_, to_ - from_); }

 private:
  // The next slice starts at `start`; it first tries `length` (twice the last slice's, so a
  // sparse window is not halved again and again).
  void PlanNext(absl::Time start, absl::Duration length) {
    PlanSlice(store_, provider_->id(), limits_, start, length,
              [self = shared_from_this()](absl::StatusOr<Slice> slice) {
                self->OnSlice(std::move(slice));
              });
  }

  void OnSlice(absl::StatusOr<Slice> slice) {
    if (!slice.ok()) return Fail("the gateway's store", slice.status());
    slice_ = *slice;
    ++slices_;
    if (slice_.over_cap) {
      Log(LogLevel::kWarning, "reconciliation_slice_over_cap",
          {{"provider", ProviderLabel(provider_->id())},
           {"slice_start", absl::FormatTime(slice_.start)},
           {"slice_end", absl::FormatTime(slice_.end)},
           {"records", slice_.records},
           {"max_records_per_slice", static_cast<int64_t>(limits_.max_records)}});
    }
    // The provider's first page comes first: it says whether the provider lists at all (a
    // provider without a listing answers UNIMPLEMENTED), which the classifier must know before
    // it takes the gateway's records. That page (at most provider_page_size transfers) waits.
    if (slices_ > 1 && !lists_) return OnFirstPage(absl::UnimplementedError("no listing"));
    provider_->ListSentPayouts(
        ProviderWindow(), providers::PageQuery{options_.provider_page_size, ""}, CallContext(),
        [self = shared_from_this()](absl::StatusOr<ListPayoutsResponse> page) {
          self->OnFirstPage(std::move(page));
        });
  }

  bool LastSlice() const { return slice_.end >= to_; }

  // The classifier's window: the slice and its neighbours within the grace, inside [from, to)
  // (a whole-window run sees nothing outside it either). Without a listing, the slice alone.
  absl::Time FeedStart() const {
    return lists_ ? gateway::FeedStart(limits_, slice_.start) : slice_.start;
  }
  absl::Time FeedEnd() const { return lists_ ? gateway::FeedEnd(limits_, slice_.end) : slice_.end; }

  // The transfers that can pair with a record fed: the feed widened by the grace.
  providers::TimeWindow ProviderWindow() const {
    return providers::TimeWindow{gateway::FeedStart(limits_, slice_.start) - options_.grace,
                                 gateway::FeedEnd(limits_, slice_.end) + options_.grace};
  }

  providers::CallContext CallContext() const {
    providers::CallContext context;
    context.deadline = absl::Now() + options_.call_timeout;
    return context;
  }

  void OnFirstPage(absl::StatusOr<ListPayoutsResponse> page) {
    if (!page.ok() && page.status().code() != absl::StatusCode::kUnimplemented) {
      return Fail("the provider's listing", page.status());
    }
    if (slices_ == 1) {
      lists_ = page.ok();
      merge_.report().orphans_detectable = lists_;
    }
    if (lists_) first_page_ = *std::move(page);
    merge_.BeginSlice(slice_.start, slice_.end, lists_);
    reconciliation::ClassifierOptions options;
    options.window_start = FeedStart();
    options.window_end = FeedEnd();
    options.grace = options_.grace;
    options.stuck_after = options_.stuck_after;
    options.now = now_;
    options.provider_lists = lists_;
    options.max_items = 0;  // the merged report keeps the items
    // Both run inside AddProviderTransfers/Finish, under mu_.
    options.on_item = [this](const reconciliation::Item& item) { Seen(item); };
    options.on_matched = [this](const reconciliation::Item& item) { Seen(item); };
    {
      absl::MutexLock lock(&mu_);
      classifier_.emplace(provider_->id(), std::move(options));
    }
    ReadStorePage(0);
  }

  void ReadStorePage(int64_t after_position) {
    idempotency::PayoutWindowQuery query;
    query.provider = provider_->id();
    query.created_from = FeedStart();
    query.created_to = FeedEnd();
    query.limit = options_.store_page_size;
    query.after_position = after_position;
    store_->Run<idempotency::PayoutWindowPage>(
        [query](idempotency::PayoutStore& s) { return s.PayoutsCreatedWithin(query); },
        [self = shared_from_this()](absl::StatusOr<idempotency::PayoutWindowPage> page) {
          self->OnStorePage(std::move(page));
        });
  }

  // On a store thread: index the page, then ask for the next (an empty page ends the side).
  void OnStorePage(absl::StatusOr<idempotency::PayoutWindowPage> page) {
    if (!page.ok()) return Fail("the gateway's store", page.status());
    if (page->payouts.empty()) return ProviderSide();
    std::vector<reconciliation::GatewayRecord> records;
    records.reserve(page->payouts.size());
    for (const idempotency::StoredPayout& stored : page->payouts) {
      records.push_back(RecordOf(stored));
      if (!merge_.OwnsRecord(records.back().create_time)) continue;  // a neighbour: indexed
      merge_.RecordFed();
      if (stored.payout.provider_payout_id().empty()) {
        // Few (payouts whose reply was lost): kept to save what a pairing teaches about them.
        callers_[stored.payout.id()] = stored.caller;
      } else if (!lists_) {
        reads_.emplace_back(stored.payout.id(), stored.payout.provider_payout_id());
      }
    }
    absl::Status added;
    {
      absl::MutexLock lock(&mu_);
      added = classifier_->AddGatewayRecords(records);
    }
    if (!added.ok()) return Fail("the gateway's records", added);
    ReadStorePage(page->last_position);
  }

  // The store chose the record by its creation time (first_saved, never changed); the
  // payout's create_time may since hold the provider's date (a refresh merges it), a little
  // off. The store's choice wins: it places the record in its slice, and in the classifier's
  // window.
  reconciliation::GatewayRecord RecordOf(const idempotency::StoredPayout& stored) const {
    reconciliation::GatewayRecord record = reconciliation::GatewayRecordOf(stored.payout);
    if (stored.first_saved != absl::InfinitePast()) record.create_time = stored.first_saved;
    if (record.create_time < FeedStart()) record.create_time = FeedStart();
    if (record.create_time >= FeedEnd()) record.create_time = FeedEnd() - absl::Microseconds(1);
    if (record.status_time == absl::InfinitePast()) record.status_time = record.create_time;
    return record;
  }

  void ProviderSide() {
    if (!lists_) return ReadById();
    ListPayoutsResponse page = *std::move(first_page_);
    first_page_.reset();
    OnProviderPage(std::move(page));
  }

  void OnProviderPage(absl::StatusOr<ListPayoutsResponse> page) {
    if (!page.ok()) return Fail("the provider's listing", page.status());
    absl::Status added = AddTransfers(page->payouts());
    if (!added.ok()) return Fail("the provider's transfers", added);
    if (page->next_page_token().empty() || page->payouts().empty()) return FinishSlice();
    provider_->ListSentPayouts(
        ProviderWindow(),
        providers::PageQuery{options_.provider_page_size, page->next_page_token()}, CallContext(),
        [self = shared_from_this()](absl::StatusOr<ListPayoutsResponse> next) {
          self->OnProviderPage(std::move(next));
        });
  }

  absl::Status AddTransfers(const google::protobuf::RepeatedPtrField<Payout>& payouts) {
    std::vector<reconciliation::ProviderTransfer> transfers;
    transfers.reserve(payouts.size());
    absl::MutexLock lock(&mu_);
    page_statuses_.clear();
    for (const Payout& payout : payouts) {
      transfers.push_back(reconciliation::ProviderTransferOf(payout));
      page_statuses_[payout.provider_payout_id()] = payout.provider_status();
      merge_.TransferFed(transfers.back());
    }
    return classifier_->AddProviderTransfers(transfers);
  }

  // A provider without a listing: each record of the slice with a provider id is read by it, a
  // few at a time. A reply may come inline (on this thread): the pump loops instead of
  // recursing.
  void ReadById() {
    {
      absl::MutexLock lock(&mu_);
      next_read_ = 0;
      finishing_ = false;
    }
    Pump();
  }

  void Pump() {
    mu_.Lock();
    if (pumping_) {
      repump_ = true;
      mu_.Unlock();
      return;
    }
    pumping_ = true;
    do {
      repump_ = false;
      while (next_read_ < reads_.size() && in_flight_ < options_.max_reads_in_flight) {
        const auto [payout_id, native] = reads_[next_read_++];
        ++in_flight_;
        mu_.Unlock();
        provider_->GetPayout(
            native, CallContext(),
            [self = shared_from_this(), payout_id = payout_id, native = native](
                absl::StatusOr<Payout> read) { self->OnRead(payout_id, native, std::move(read)); });
        mu_.Lock();
      }
    } while (repump_);
    pumping_ = false;
    const bool all_read = next_read_ == reads_.size() && in_flight_ == 0 && !finishing_;
    if (all_read) finishing_ = true;
    mu_.Unlock();
    if (all_read) {
      reads_.clear();
      FinishSlice();
    }
  }

  void OnRead(const std::string& payout_id, const std::string& native,
              absl::StatusOr<Payout> read) {
    {
      absl::MutexLock lock(&mu_);
      --in_flight_;
      if (read.ok()) {
        if (read->provider_payout_id().empty()) read->set_provider_payout_id(native);
        page_statuses_.clear();
        page_statuses_[native] = read->provider_status();
        const reconciliation::ProviderTransfer transfer = reconciliation::ProviderTransferOf(*read);
        merge_.TransferFed(transfer);
        // Only the result for this record; an error cannot happen before Finish.
        classifier_->AddProviderTransfers({&transfer, 1}).IgnoreError();
      } else if (read.status().code() != absl::StatusCode::kNotFound) {
        // NOT_FOUND: the provider does not know the id (missing_at_provider, by the classifier).
        classifier_
            ->MarkNotCheckable(payout_id,
                               absl::StrCat("the read by id failed: ", read.status().message()))
            .IgnoreError();
      }
    }
    Pump();
  }

  // Every item of the slice, as it is found (under mu_): only the slice's own are reported.
  void Seen(const reconciliation::Item& item) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (merge_.Seen(item)) Noted(item);
  }

  // The slice's classifier is done: its counts of what the slice owns join the run's.
  void FinishSlice() {
    reconciliation::Report slice_report;
    {
      absl::MutexLock lock(&mu_);
      slice_report = classifier_->Finish();
      classifier_.reset();  // the index goes now
    }
    callers_.clear();
    merge_.EndSlice(slice_report);
    if (LastSlice()) return Finish();
    PlanNext(slice_.end, 2 * (slice_.end - slice_.start));
  }

  // Every non-matched item the run owns (under mu_).
  void Noted(const reconciliation::Item& item) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::string provider_status;
    if (item.provider.has_value()) {
      auto status = page_statuses_.find(item.provider->provider_transfer_id);
      if (status != page_statuses_.end()) provider_status = status->second;
    }
    const std::string* caller = nullptr;
    if (item.gateway.has_value()) {
      auto found = callers_.find(item.gateway->payout_id);
      if (found != callers_.end()) caller = &found->second;
    }
    actions_->Note(item, provider_status, caller);
  }

  // Every slice is done: the statuses to apply, then the report.
  void Finish() {
    result_.report = std::move(merge_.report());
    result_.slices = slices_;
    actions_->Run([self = shared_from_this()] {
      self->result_.applied = std::move(self->actions_->applied);
      self->result_.apply_errors = std::move(self->actions_->apply_errors);
      self->Done();
    });
  }

  void Done() {
    const reconciliation::Report& report = result_.report;
    RecordRun(report, actions_->stuck(), absl::Now());
    boost::json::object summary = reconciliation::SummaryJson(report);
    summary.erase("event");
    summary["statuses_applied"] = static_cast<int64_t>(result_.applied.size());
    summary["apply_errors"] = static_cast<int64_t>(result_.apply_errors.size());
    summary["slices"] = static_cast<int64_t>(result_.slices);
    Log(report.Clean() ? LogLevel::kInfo : LogLevel::kWarning, "reconciliation_summary",
        std::move(summary));
    Log(LogLevel::kInfo, "reconciliation_run",
        {{"provider", ProviderLabel(provider_->id())},
         {"result", "ok"},
         {"clean", report.Clean()}});
    auto done = std::move(done_);
    done(std::move(result_));
  }

  void Fail(absl::string_view what, const absl::Status& status) {
    RecordFailedRun(provider_->id());
    Log(LogLevel::kError, "reconciliation_run",
        {{"provider", ProviderLabel(provider_->id())},
         {"result", "error"},
         {"error", absl::StrCat(what, ": ", status.message())}});
    auto done = std::move(done_);
    done(
        absl::UnavailableError(absl::StrCat("reconciliation of ", ProviderLabel(provider_->id()),
                                            ": ", what, " could not be read: ", status.message())));
  }

  idempotency::StoreExecutor* const store_;
  providers::Provider* const provider_;
  const RunnerOptions options_;
  const absl::Time from_;
  const absl::Time to_;
  const absl::Time now_;
  providers::Callback<ProviderRun> done_;
  SliceLimits limits_;
  SliceMerge merge_;  // the report of the slices done (items under mu_ while a slice runs)

  // The slice being reconciled, and what it owns so far.
  Slice slice_;
  int slices_ = 0;

  bool lists_ = true;
  std::optional<ListPayoutsResponse> first_page_;
  // Without a listing: (payout id, provider id) of each record to read.
  std::vector<std::pair<std::string, std::string>> reads_;

  absl::Mutex mu_;
  std::optional<reconciliation::Classifier> classifier_ ABSL_GUARDED_BY(mu_);
  // The provider_status text of the page being classified, by transfer id.
  absl::flat_hash_map<std::string, std::string> page_statuses_ ABSL_GUARDED_BY(mu_);
  size_t next_read_ ABSL_GUARDED_BY(mu_) = 0;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  bool pumping_ ABSL_GUARDED_BY(mu_) = false;
  bool repump_ ABSL_GUARDED_BY(mu_) = false;
  bool finishing_ ABSL_GUARDED_BY(mu_) = false;

  // Callers of the records without a provider id, by payout id.
  absl::flat_hash_map<std::string, std::string> callers_;
  std::shared_ptr<ReportActions> actions_;
  ProviderRun result_;
};

}  // namespace

ReconciliationRunner::ReconciliationRunner(idempotency::StoreExecutor* store,
                                           const providers::ProviderRegistry* providers,
                                           PayoutEngine* engine, RunnerOptions options)
    : store_(store), providers_(providers), engine_(engine), options_(std::move(options)) {}

void ReconciliationRunner::Run(payments::v1::Provider provider, absl::Time from, absl::Time to,
                               absl::Time now, providers::Callback<ProviderRun> done) {
  auto found = providers_->Find(provider);
  if (!found.ok()) {
    return done(absl::FailedPreconditionError(
        absl::StrCat("provider ", payments::v1::Provider_Name(provider), " is not configured")));
  }
  std::make_shared<ProviderRunState>(store_, *found, engine_, options_, from, to, now,
                                     std::move(done))
      ->Start();
}

namespace {

// Runs the providers one after the other, collecting their runs.
struct AllRuns : std::enable_shared_from_this<AllRuns> {
  ReconciliationRunner* runner;
  std::vector<payments::v1::Provider> providers;
  absl::Time from, to, now;
  std::vector<ProviderRun> runs;
  providers::Callback<std::vector<ProviderRun>> done;

  void Next() {
    if (runs.size() == providers.size()) {
      auto finish = std::move(done);
      return finish(std::move(runs));
    }
    runner->Run(providers[runs.size()], from, to, now,
                [self = shared_from_this()](absl::StatusOr<ProviderRun> run) {
                  if (!run.ok()) {
                    auto finish = std::move(self->done);
                    return finish(run.status());
                  }
                  self->runs.push_back(*std::move(run));
                  self->Next();
                });
  }
};

}  // namespace

void ReconciliationRunner::RunAll(absl::Time from, absl::Time to, absl::Time now,
                                  providers::Callback<std::vector<ProviderRun>> done) {
  auto all = std::make_shared<AllRuns>();
  all->runner = this;
  for (providers::Provider* provider : providers_->All()) all->providers.push_back(provider->id());
  all->from = from;
  all->to = to;
  all->now = now;
  all->done = std::move(done);
  all->Next();
}

}  // namespace gateway
