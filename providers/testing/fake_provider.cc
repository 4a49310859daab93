#include "providers/testing/fake_provider.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "vocabulary/proto_time.h"
#include "vocabulary/resource_id.h"

namespace providers {

FakeProvider::FakeProvider(payments::v1::Provider id, Capabilities capabilities)
    : id_(id), capabilities_(std::move(capabilities)) {}

FakeProvider::~FakeProvider() { JoinReplies(); }

void FakeProvider::JoinReplies() {
  std::vector<std::thread> threads;
  {
    absl::MutexLock lock(&mu_);
    threads.swap(delayed_);
  }
  for (auto& thread : threads) thread.join();
}

void FakeProvider::FailNextCall(absl::Status status) {
  absl::MutexLock lock(&mu_);
  next_failure_ = std::move(status);
}

void FakeProvider::SetReplyDelay(absl::Duration delay) {
  absl::MutexLock lock(&mu_);
  reply_delay_ = delay;
}

void FakeProvider::SetPayout(const std::string& native_payout_id, payments::v1::Payout payout) {
  absl::MutexLock lock(&mu_);
  payouts_[native_payout_id] = std::move(payout);
}

void FakeProvider::SetFoundByReference(absl::StatusOr<payments::v1::Payout> found) {
  absl::MutexLock lock(&mu_);
  found_by_reference_ = std::move(found);
}

std::vector<PayoutOrder> FakeProvider::searched_orders() const {
  absl::MutexLock lock(&mu_);
  return searched_;
}

absl::Time FakeProvider::last_sent_after() const {
  absl::MutexLock lock(&mu_);
  return last_sent_after_;
}

int FakeProvider::CallCount(const std::string& method) const {
  absl::MutexLock lock(&mu_);
  auto it = calls_.find(method);
  return it == calls_.end() ? 0 : it->second;
}

std::vector<PayoutOrder> FakeProvider::payout_orders() const {
  absl::MutexLock lock(&mu_);
  return orders_;
}

absl::Time FakeProvider::last_deadline() const {
  absl::MutexLock lock(&mu_);
  return last_deadline_;
}

absl::Status FakeProvider::Enter(const std::string& method) {
  absl::MutexLock lock(&mu_);
  ++calls_[method];
  absl::Status failure = std::move(next_failure_);
  next_failure_ = absl::OkStatus();
  return failure;
}

template <typename T>
void FakeProvider::Reply(Callback<T> done, absl::StatusOr<T> result) {
  absl::Duration delay;
  {
    absl::MutexLock lock(&mu_);
    delay = reply_delay_;
  }
  if (delay == absl::ZeroDuration()) {
    done(std::move(result));
    return;
  }
  absl::MutexLock lock(&mu_);
  delayed_.emplace_back([delay, done = std::move(done), result = std::move(result)]() mutable {
    absl::SleepFor(delay);
    done(std::move(result));
  });
}

std::string FakeProvider::IdFor(absl::string_view kind, absl::string_view native) const {
  return gateway::ResourceId{id_, std::string(kind), std::string(native)}.ToString();
}

void FakeProvider::CreatePayout(const PayoutOrder& order, const CallContext& context,
                                Callback<payments::v1::Payout> done) {
  if (absl::Status failure = Enter("CreatePayout"); !failure.ok()) {
    return Reply<payments::v1::Payout>(std::move(done), failure);
  }
  payments::v1::Payout payout;
  {
    absl::MutexLock lock(&mu_);
    orders_.push_back(order);
    last_deadline_ = context.deadline;
    const std::string native = absl::StrCat("p", orders_.size());
    payout.set_id(IdFor("payout", native));
    payout.set_provider(id_);
    payout.set_source_account_id(order.request.source_account_id());
    *payout.mutable_amount() = order.request.amount();
    *payout.mutable_counterparty() = order.request.counterparty();
    payout.set_description(order.request.description());
    payout.set_numeric_reference(order.request.numeric_reference());
    *payout.mutable_metadata() = order.request.metadata();
    payout.set_idempotency_key(order.request.idempotency_key());
    payout.set_status(payments::v1::PAYOUT_STATUS_PENDING);
    payout.set_provider_payout_id(native);
    payout.set_provider_status("pending");
    payouts_[native] = payout;
  }
  Reply<payments::v1::Payout>(std::move(done), payout);
}

void FakeProvider::GetPayout(const std::string& native_payout_id, const CallContext& context,
                             Callback<payments::v1::Payout> done) {
  if (absl::Status failure = Enter("GetPayout"); !failure.ok()) {
    return Reply<payments::v1::Payout>(std::move(done), failure);
  }
  absl::StatusOr<payments::v1::Payout> result = absl::NotFoundError("no such payout");
  {
    absl::MutexLock lock(&mu_);
    auto it = payouts_.find(native_payout_id);
    if (it != payouts_.end()) result = it->second;
  }
  Reply(std::move(done), std::move(result));
}

void FakeProvider::ListPayouts(const payments::v1::ListPayoutsRequest& filter,
                               const PageQuery& page, const CallContext& context,
                               Callback<payments::v1::ListPayoutsResponse> done) {
  if (absl::Status failure = Enter("ListPayouts"); !failure.ok()) {
    return Reply<payments::v1::ListPayoutsResponse>(std::move(done), failure);
  }
  payments::v1::ListPayoutsResponse response;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [native, payout] : payouts_) {
      if (!filter.source_account_id().empty() &&
          payout.source_account_id() != filter.source_account_id()) {
        continue;
      }
      *response.add_payouts() = payout;
    }
  }
  Reply<payments::v1::ListPayoutsResponse>(std::move(done), std::move(response));
}

void FakeProvider::RefundTransaction(const RefundOrder& order, const CallContext& context,
                                     Callback<payments::v1::Refund> done) {
  if (absl::Status failure = Enter("RefundTransaction"); !failure.ok()) {
    return Reply<payments::v1::Refund>(std::move(done), failure);
  }
  payments::v1::Refund refund;
  refund.set_id(IdFor("refund", order.transaction_native_id));
  refund.set_provider(id_);
  refund.set_transaction_id(order.request.transaction_id());
  *refund.mutable_amount() = order.request.amount();
  refund.set_status(payments::v1::PAYOUT_STATUS_PENDING);
  Reply<payments::v1::Refund>(std::move(done), std::move(refund));
}

void FakeProvider::FindPayoutByReference(const PayoutOrder& order, absl::Time sent_after,
                                         const CallContext& context,
                                         Callback<payments::v1::Payout> done) {
  if (absl::Status failure = Enter("FindPayoutByReference"); !failure.ok()) {
    return Reply<payments::v1::Payout>(std::move(done), failure);
  }
  absl::StatusOr<payments::v1::Payout> found;
  {
    absl::MutexLock lock(&mu_);
    searched_.push_back(order);
    last_sent_after_ = sent_after;
    found = found_by_reference_;
  }
  Reply(std::move(done), std::move(found));
}

void FakeProvider::SetSentPayouts(std::vector<payments::v1::Payout> payouts) {
  absl::MutexLock lock(&mu_);
  sent_payouts_ = std::move(payouts);
}

TimeWindow FakeProvider::last_sent_window() const {
  absl::MutexLock lock(&mu_);
  return last_sent_window_;
}

void FakeProvider::ListSentPayouts(const TimeWindow& window, const PageQuery& page,
                                   const CallContext& context,
                                   Callback<payments::v1::ListPayoutsResponse> done) {
  using Response = payments::v1::ListPayoutsResponse;
  if (absl::Status failure = Enter("ListSentPayouts"); !failure.ok()) {
    return Reply<Response>(std::move(done), failure);
  }
  size_t index = 0;
  if (!page.page_token.empty() && !absl::SimpleAtoi(page.page_token, &index)) {
    return Reply<Response>(std::move(done),
                           absl::InvalidArgumentError("page_token is not a FakeProvider token"));
  }
  const size_t page_size = page.page_size > 0 ? static_cast<size_t>(page.page_size) : 50;
  Response response;
  {
    absl::MutexLock lock(&mu_);
    last_sent_window_ = window;
    for (; index < sent_payouts_.size() && static_cast<size_t>(response.payouts_size()) < page_size;
         ++index) {
      const payments::v1::Payout& payout = sent_payouts_[index];
      if (payout.has_create_time()) {
        const absl::Time created = gateway::TimeOf(payout.create_time());
        if (created < window.from || created >= window.to) continue;
      }
      *response.add_payouts() = payout;
    }
    if (index < sent_payouts_.size()) response.set_next_page_token(absl::StrCat(index));
  }
  Reply<Response>(std::move(done), std::move(response));
}

void FakeProvider::ListAccounts(const PageQuery& page, const CallContext& context,
                                Callback<payments::v1::ListAccountsResponse> done) {
  if (absl::Status failure = Enter("ListAccounts"); !failure.ok()) {
    return Reply<payments::v1::ListAccountsResponse>(std::move(done), failure);
  }
  // Two pages of one account each, to exercise paging.
  payments::v1::ListAccountsResponse response;
  auto* account = response.add_accounts();
  const bool second = page.page_token == "page2";
  account->set_id(IdFor("acct", second ? "a2" : "a1"));
  account->set_provider(id_);
  account->set_kind(payments::v1::ACCOUNT_KIND_MAIN);
  account->mutable_available_balance()->set_amount_minor(second ? 0 : 21960000);
  account->mutable_available_balance()->set_currency("MXN");
  if (!second) response.set_next_page_token("page2");
  Reply<payments::v1::ListAccountsResponse>(std::move(done), std::move(response));
}

void FakeProvider::GetAccount(const std::string& native_account_id, const CallContext& context,
                              Callback<payments::v1::Account> done) {
  if (absl::Status failure = Enter("GetAccount"); !failure.ok()) {
    return Reply<payments::v1::Account>(std::move(done), failure);
  }
  payments::v1::Account account;
  account.set_id(IdFor("acct", native_account_id));
  account.set_provider(id_);
  Reply<payments::v1::Account>(std::move(done), std::move(account));
}

void FakeProvider::CreateAccount(const payments::v1::CreateAccountRequest& request,
                                 const std::string& parent_native_id, const CallContext& context,
                                 Callback<payments::v1::Account> done) {
  if (absl::Status failure = Enter("CreateAccount"); !failure.ok()) {
    return Reply<payments::v1::Account>(std::move(done), failure);
  }
  payments::v1::Account account;
  account.set_id(IdFor("acct", "new"));
  account.set_provider(id_);
  account.set_description(request.description());
  Reply<payments::v1::Account>(std::move(done), std::move(account));
}

void FakeProvider::ListBanks(const PageQuery& page, const CallContext& context,
                             Callback<payments::v1::ListBanksResponse> done) {
  if (absl::Status failure = Enter("ListBanks"); !failure.ok()) {
    return Reply<payments::v1::ListBanksResponse>(std::move(done), failure);
  }
  payments::v1::ListBanksResponse response;
  auto* bank = response.add_banks();
  bank->set_banxico_code("40012");
  bank->set_clabe_prefix("012");
  bank->set_name("BBVA México");
  Reply<payments::v1::ListBanksResponse>(std::move(done), std::move(response));
}

void FakeProvider::RegisterCounterparty(const payments::v1::RegisterCounterpartyRequest& request,
                                        const CallContext& context,
                                        Callback<payments::v1::RegisteredCounterparty> done) {
  if (absl::Status failure = Enter("RegisterCounterparty"); !failure.ok()) {
    return Reply<payments::v1::RegisteredCounterparty>(std::move(done), failure);
  }
  payments::v1::RegisteredCounterparty registered;
  registered.set_id(IdFor("cpty", "c1"));
  registered.set_provider(id_);
  *registered.mutable_counterparty() = request.counterparty();
  Reply<payments::v1::RegisteredCounterparty>(std::move(done), std::move(registered));
}

void FakeProvider::ListCounterparties(const PageQuery& page, const CallContext& context,
                                      Callback<payments::v1::ListCounterpartiesResponse> done) {
  if (absl::Status failure = Enter("ListCounterparties"); !failure.ok()) {
    return Reply<payments::v1::ListCounterpartiesResponse>(std::move(done), failure);
  }
  Reply<payments::v1::ListCounterpartiesResponse>(std::move(done),
                                                  payments::v1::ListCounterpartiesResponse());
}

}  // namespace providers
