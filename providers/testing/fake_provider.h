// A test double of Provider for unit tests of the core and the gRPC layer: keeps payouts in
// memory, counts calls, and can fail or delay its replies on demand. Never used in production.
#ifndef PROVIDERS_TESTING_FAKE_PROVIDER_H_
#define PROVIDERS_TESTING_FAKE_PROVIDER_H_

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "providers/provider.h"

namespace providers {

class FakeProvider : public Provider {
 public:
  explicit FakeProvider(payments::v1::Provider id,
                        Capabilities capabilities = {
                            {"MXN"}, 99'999'999'999, true, absl::Hours(24)});
  ~FakeProvider() override;  // joins delayed replies

  // The next call (any method) answers this error instead of succeeding.
  void FailNextCall(absl::Status status);
  // Replies arrive on another thread after `delay` (zero: inline, on the calling thread).
  void SetReplyDelay(absl::Duration delay);
  // Waits for every delayed reply started so far, e.g. before the objects its callbacks use are
  // destroyed (the destructor does the same, but may run too late for them).
  void JoinReplies();
  // What GetPayout answers for `native_payout_id` from now on (a transfer made elsewhere, or
  // one whose status moved on).
  void SetPayout(const std::string& native_payout_id, payments::v1::Payout payout);
  // What FindPayoutByReference answers from now on (by default NOT_FOUND: no transfer
  // matches). Its calls are counted as "FindPayoutByReference" and their orders recorded.
  void SetFoundByReference(absl::StatusOr<payments::v1::Payout> found);
  std::vector<PayoutOrder> searched_orders() const;
  // What ListSentPayouts serves from now on: those created within the window (create_time in
  // [from, to); one without create_time is always served), page_size at a time, the page
  // token being the index of the next one. Counted as "ListSentPayouts".
  void SetSentPayouts(std::vector<payments::v1::Payout> payouts);
  // The window of the most recent ListSentPayouts call.
  TimeWindow last_sent_window() const;
  // The `sent_after` of the most recent FindPayoutByReference call.
  absl::Time last_sent_after() const;
  // How many times `method` ("CreatePayout", "ListAccounts", ...) was called.
  int CallCount(const std::string& method) const;
  std::vector<PayoutOrder> payout_orders() const;
  // The deadline of the most recent CreatePayout call.
  absl::Time last_deadline() const;

  payments::v1::Provider id() const override { return id_; }
  const Capabilities& capabilities() const override { return capabilities_; }
  void CreatePayout(const PayoutOrder& order, const CallContext& context,
                    Callback<payments::v1::Payout> done) override;
  void GetPayout(const std::string& native_payout_id, const CallContext& context,
                 Callback<payments::v1::Payout> done) override;
  void ListPayouts(const payments::v1::ListPayoutsRequest& filter, const PageQuery& page,
                   const CallContext& context,
                   Callback<payments::v1::ListPayoutsResponse> done) override;
  void RefundTransaction(const RefundOrder& order, const CallContext& context,
                         Callback<payments::v1::Refund> done) override;
  void FindPayoutByReference(const PayoutOrder& order, absl::Time sent_after,
                             const CallContext& context,
                             Callback<payments::v1::Payout> done) override;
  void ListSentPayouts(const TimeWindow& window, const PageQuery& page, const CallContext& context,
                       Callback<payments::v1::ListPayoutsResponse> done) override;
  void ListAccounts(const PageQuery& page, const CallContext& context,
                    Callback<payments::v1::ListAccountsResponse> done) override;
  void GetAccount(const std::string& native_account_id, const CallContext& context,
                  Callback<payments::v1::Account> done) override;
  void CreateAccount(const payments::v1::CreateAccountRequest& request,
                     const std::string& parent_native_id, const CallContext& context,
                     Callback<payments::v1::Account> done) override;
  void ListBanks(const PageQuery& page, const CallContext& context,
                 Callback<payments::v1::ListBanksResponse> done) override;
  void RegisterCounterparty(const payments::v1::RegisterCounterpartyRequest& request,
                            const CallContext& context,
                            Callback<payments::v1::RegisteredCounterparty> done) override;
  void ListCounterparties(const PageQuery& page, const CallContext& context,
                          Callback<payments::v1::ListCounterpartiesResponse> done) override;

 private:
  // Records the call; returns the injected failure, if any.
  absl::Status Enter(const std::string& method);
  template <typename T>
  void Reply(Callback<T> done, absl::StatusOr<T> result);
  std::string IdFor(absl::string_view kind, absl::string_view native) const;

  const payments::v1::Provider id_;
  const Capabilities capabilities_;
  mutable absl::Mutex mu_;
  absl::Status next_failure_ ABSL_GUARDED_BY(mu_);
  absl::Duration reply_delay_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> calls_ ABSL_GUARDED_BY(mu_);
  std::vector<PayoutOrder> orders_ ABSL_GUARDED_BY(mu_);
  absl::Time last_deadline_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, payments::v1::Payout> payouts_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> delayed_ ABSL_GUARDED_BY(mu_);
  absl::StatusOr<payments::v1::Payout> found_by_reference_ ABSL_GUARDED_BY(mu_) =
      absl::NotFoundError("no transfer matches");
  std::vector<PayoutOrder> searched_ ABSL_GUARDED_BY(mu_);
  absl::Time last_sent_after_ ABSL_GUARDED_BY(mu_);
  std::vector<payments::v1::Payout> sent_payouts_ ABSL_GUARDED_BY(mu_);
  TimeWindow last_sent_window_ ABSL_GUARDED_BY(mu_);
};

}  // namespace providers

#endif  // PROVIDERS_TESTING_FAKE_PROVIDER_H_
