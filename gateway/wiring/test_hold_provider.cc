#include "gateway/wiring/test_hold_provider.h"

#include <sys/stat.h>

#include <cstdlib>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/logging/json_log.h"

namespace gateway {
namespace {

using payments::v1::Payout;
using providers::Callback;
using providers::CallContext;

bool Exists(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0;
}

// Runs `next` at once when `path` is absent; else on a thread of its own once it is gone (a
// held call must not occupy a store or network thread: the other payouts go on).
void HoldWhile(const std::string& path, const char* point, absl::AnyInvocable<void()> next) {
  if (!Exists(path)) return next();
  Log(LogLevel::kWarning, "test_hold", {{"point", point}});
  std::thread([path, next = std::move(next)]() mutable {
    while (Exists(path)) absl::SleepFor(absl::Milliseconds(10));
    next();
  }).detach();
}

class TestHoldProvider final : public providers::Provider {
 public:
  TestHoldProvider(std::unique_ptr<providers::Provider> inner, std::string dir)
      : inner_(std::move(inner)), dir_(std::move(dir)) {}

  payments::v1::Provider id() const override { return inner_->id(); }
  const providers::Capabilities& capabilities() const override { return inner_->capabilities(); }

  void CreatePayout(const providers::PayoutOrder& order, const CallContext& context,
                    Callback<Payout> done) override {
    HoldWhile(dir_ + "/before_send", "before_send",
              [this, order, context, done = std::move(done)]() mutable {
                inner_->CreatePayout(
                    order, context,
                    [this, done = std::move(done)](absl::StatusOr<Payout> reply) mutable {
                      HoldWhile(dir_ + "/after_reply", "after_reply",
                                [reply = std::move(reply), done = std::move(done)]() mutable {
                                  done(std::move(reply));
                                });
                    });
              });
  }
  void GetPayout(const std::string& id, const CallContext& context,
                 Callback<Payout> done) override {
    inner_->GetPayout(id, context, std::move(done));
  }
  void ListPayouts(const payments::v1::ListPayoutsRequest& filter, const providers::PageQuery& page,
                   const CallContext& context,
                   Callback<payments::v1::ListPayoutsResponse> done) override {
    inner_->ListPayouts(filter, page, context, std::move(done));
  }
  void RefundTransaction(const providers::RefundOrder& order, const CallContext& context,
                         Callback<payments::v1::Refund> done) override {
    inner_->RefundTransaction(order, context, std::move(done));
  }
  void FindPayoutByReference(const providers::PayoutOrder& order, absl::Time sent_after,
                             const CallContext& context, Callback<Payout> done) override {
    inner_->FindPayoutByReference(order, sent_after, context, std::move(done));
  }
  void ListSentPayouts(const providers::TimeWindow& window, const providers::PageQuery& page,
                       const CallContext& context,
                       Callback<payments::v1::ListPayoutsResponse> done) override {
    inner_->ListSentPayouts(window, page, context, std::move(done));
  }
  void ListAccounts(const providers::PageQuery& page, const CallContext& context,
                    Callback<payments::v1::ListAccountsResponse> done) override {
    inner_->ListAccounts(page, context, std::move(done));
  }
  void GetAccount(const std::string& id, const CallContext& context,
                  Callback<payments::v1::Account> done) override {
    inner_->GetAccount(id, context, std::move(done));
  }
  void CreateAccount(const payments::v1::CreateAccountRequest& request,
                     const std::string& parent_native_id, const CallContext& context,
                     Callback<payments::v1::Account> done) override {
    inner_->CreateAccount(request, parent_native_id, context, std::move(done));
  }
  void ListBanks(const providers::PageQuery& page, const CallContext& context,
                 Callback<payments::v1::ListBanksResponse> done) override {
    inner_->ListBanks(page, context, std::move(done));
  }
  void RegisterCounterparty(const payments::v1::RegisterCounterpartyRequest& request,
                            const CallContext& context,
                            Callback<payments::v1::RegisteredCounterparty> done) override {
    inner_->RegisterCounterparty(request, context, std::move(done));
  }
  void ListCounterparties(const providers::PageQuery& page, const CallContext& context,
                          Callback<payments::v1::ListCounterpartiesResponse> done) override {
    inner_->ListCounterparties(page, context, std::move(done));
  }

 private:
  std::unique_ptr<providers::Provider> inner_;
  std::string dir_;
};

}  // namespace

std::unique_ptr<providers::Provider> WithTestHolds(std::unique_ptr<providers::Provider> adapter) {
  const char* dir = std::getenv("GATEWAY_TEST_HOLD_DIR");
  if (dir == nullptr || *dir == '\0') return adapter;
  Log(LogLevel::kWarning, "test_holds_enabled", {{"dir", dir}});
  return std::make_unique<TestHoldProvider>(std::move(adapter), dir);
}

}  // namespace gateway
