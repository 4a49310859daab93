#include "tests/third_provider/in_memory_provider.h"

#include <atomic>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "vocabulary/proto_time.h"
#include "vocabulary/resource_id.h"

namespace third_provider {
namespace {

std::atomic<int> transfers_created{0};

absl::Status Unimplemented() {
  return absl::UnimplementedError("the test-only provider moves payouts only");
}

}  // namespace

InMemoryProvider::InMemoryProvider() : capabilities_{{"MXN"}, 100'000'000, false} {}

int InMemoryProvider::TransfersCreated() { return transfers_created.load(); }

void InMemoryProvider::SetApiKey(std::string api_key) {
  absl::MutexLock lock(&mu_);
  api_key_ = std::move(api_key);
}

std::string InMemoryProvider::api_key() {
  absl::MutexLock lock(&mu_);
  return api_key_;
}

void InMemoryProvider::RegisterWebhookUrl(std::string url) {
  absl::MutexLock lock(&mu_);
  webhook_url_ = std::move(url);
}

std::string InMemoryProvider::webhook_url() {
  absl::MutexLock lock(&mu_);
  return webhook_url_;
}

void InMemoryProvider::CreatePayout(const providers::PayoutOrder& order,
                                    const providers::CallContext& context,
                                    providers::Callback<payments::v1::Payout> done) {
  // Like a real provider, one transfer per Idempotency-Key (here: the caller's key).
  const std::string key = absl::StrCat(context.caller, "/", order.request.idempotency_key());
  payments::v1::Payout payout;
  {
    absl::MutexLock lock(&mu_);
    auto known = by_key_.find(key);
    if (known != by_key_.end()) {
      payout = known->second;
    } else {
      ++transfers_created;
      const std::string native = absl::StrCat("t", by_id_.size() + 1);
      payout.set_id(
          gateway::ResourceId{id(), std::string(gateway::kind::kPayout), native}.ToString());
      payout.set_provider(id());
      payout.set_provider_payout_id(native);
      payout.set_source_account_id(order.request.source_account_id());
      *payout.mutable_amount() = order.request.amount();
      *payout.mutable_counterparty() = order.request.counterparty();
      payout.set_description(order.request.description());
      payout.set_numeric_reference(order.request.numeric_reference());
      payout.set_idempotency_key(order.request.idempotency_key());
      payout.set_status(payments::v1::PAYOUT_STATUS_PENDING);
      payout.set_provider_status("accepted");
      *payout.mutable_create_time() = gateway::TimestampOf(absl::Now());
      by_key_[key] = payout;
      by_id_[native] = payout;
    }
  }
  done(std::move(payout));
}

void InMemoryProvider::GetPayout(const std::string& native_payout_id, const providers::CallContext&,
                                 providers::Callback<payments::v1::Payout> done) {
  absl::StatusOr<payments::v1::Payout> found = absl::NotFoundError("no such transfer");
  {
    absl::MutexLock lock(&mu_);
    auto it = by_id_.find(native_payout_id);
    if (it != by_id_.end()) found = it->second;
  }
  done(std::move(found));
}

void InMemoryProvider::ListPayouts(const payments::v1::ListPayoutsRequest&,
                                   const providers::PageQuery&, const providers::CallContext&,
                                   providers::Callback<payments::v1::ListPayoutsResponse> done) {
  payments::v1::ListPayoutsResponse response;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [native, payout] : by_id_) *response.add_payouts() = payout;
  }
  done(std::move(response));
}

void InMemoryProvider::ListSentPayouts(
    const providers::TimeWindow& window, const providers::PageQuery& page,
    const providers::CallContext&, providers::Callback<payments::v1::ListPayoutsResponse> done) {
  // The token is the native id to start at ("t<n>", ids in creation order).
  int next = 1;
  if (!page.page_token.empty() && !absl::SimpleAtoi(page.page_token, &next)) {
    return done(absl::InvalidArgumentError("page_token is not from this provider's listing"));
  }
  const int page_size = page.page_size > 0 ? page.page_size : 50;
  payments::v1::ListPayoutsResponse response;
  {
    absl::MutexLock lock(&mu_);
    const int count = static_cast<int>(by_id_.size());
    for (; next <= count && response.payouts_size() < page_size; ++next) {
      const payments::v1::Payout& payout = by_id_.at(absl::StrCat("t", next));
      const absl::Time created = gateway::TimeOf(payout.create_time());
      if (created < window.from || created >= window.to) continue;
      *response.add_payouts() = payout;
      response.mutable_payouts()->rbegin()->clear_idempotency_key();  // the provider's view
    }
    if (next <= count) response.set_next_page_token(absl::StrCat(next));
  }
  done(std::move(response));
}

void InMemoryProvider::RefundTransaction(const providers::RefundOrder&,
                                         const providers::CallContext&,
                                         providers::Callback<payments::v1::Refund> done) {
  done(Unimplemented());
}
void InMemoryProvider::ListAccounts(const providers::PageQuery&, const providers::CallContext&,
                                    providers::Callback<payments::v1::ListAccountsResponse> done) {
  done(Unimplemented());
}
void InMemoryProvider::GetAccount(const std::string&, const providers::CallContext&,
                                  providers::Callback<payments::v1::Account> done) {
  done(Unimplemented());
}
void InMemoryProvider::CreateAccount(const payments::v1::CreateAccountRequest&, const std::string&,
                                     const providers::CallContext&,
                                     providers::Callback<payments::v1::Account> done) {
  done(Unimplemented());
}
void InMemoryProvider::ListBanks(const providers::PageQuery&, const providers::CallContext&,
                                 providers::Callback<payments::v1::ListBanksResponse> done) {
  done(Unimplemented());
}
void InMemoryProvider::RegisterCounterparty(
    const payments::v1::RegisterCounterpartyRequest&, const providers::CallContext&,
    providers::Callback<payments::v1::RegisteredCounterparty> done) {
  done(Unimplemented());
}
void InMemoryProvider::ListCounterparties(
    const providers::PageQuery&, const providers::CallContext&,
    providers::Callback<payments::v1::ListCounterpartiesResponse> done) {
  done(Unimplemented());
}

}  // namespace third_provider
