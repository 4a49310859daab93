#include "gateway/server/payout_service.h"

#include <deque>
#include <memory>
#include <optional>

#include "absl/synchronization/mutex.h"
#include "gateway/server/call_context.h"

namespace gateway {
namespace {

// Streams hub events to one subscriber, one write in flight at a time. The hub's callbacks
// reach the reactor through a shared handle that OnDone clears, so a late event never
// touches a finished stream.
class WatchReactor : public grpc::ServerWriteReactor<payments::v1::PayoutEvent> {
 public:
  // `caller` is the authenticated caller, or an error to end the stream with at once.
  WatchReactor(PayoutEventHub* hub, const payments::v1::WatchPayoutsRequest& request,
               const absl::StatusOr<std::string>& caller)
      : hub_(hub), handle_(std::make_shared<Handle>()) {
    handle_->reactor = this;
    std::shared_ptr<Handle> handle = handle_;
    if (!caller.ok()) {
      absl::MutexLock lock(&handle_->mu);
      constructed_ = true;
      FinishLocked(ToGrpcStatus(caller.status()));
      return;
    }
    auto subscription = hub_->Subscribe(
        request, *caller,
        [handle](const payments::v1::PayoutEvent& event) {
          absl::MutexLock lock(&handle->mu);
          if (handle->reactor != nullptr) handle->reactor->EnqueueLocked(event);
        },
        [handle] {
          absl::MutexLock lock(&handle->mu);
          if (handle->reactor != nullptr) {
            handle->reactor->FinishLocked(
                grpc::Status(grpc::StatusCode::UNAVAILABLE,
                             "the server is shutting down; reconnect with your last cursor"));
          }
        });
    absl::MutexLock lock(&handle_->mu);
    if (subscription.ok()) {
      subscription_ = *subscription;
      subscribed_ = true;
    }
    // Until now Finish was deferred: OnDone (which deletes this) must not run mid-constructor.
    constructed_ = true;
    if (!subscription.ok()) {
      FinishLocked(ToGrpcStatus(subscription.status()));
    } else if (deferred_finish_) {
      finished_ = false;
      FinishLocked(*deferred_finish_);
    } else {
      // Tells the client it is subscribed: every event from now on reaches it.
      StartSendInitialMetadata();
    }
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&handle_->mu);
    writing_ = false;
    if (!ok) return FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "stream broken"));
    pending_.pop_front();
    WriteNextLocked();
  }

  void OnCancel() override {
    absl::MutexLock lock(&handle_->mu);
    FinishLocked(grpc::Status::CANCELLED);
  }

  void OnDone() override {
    bool subscribed;
    {
      absl::MutexLock lock(&handle_->mu);
      subscribed = subscribed_;
    }
    if (subscribed) hub_->Unsubscribe(subscription_);  // waits out a Publish in progress
    {
      absl::MutexLock lock(&handle_->mu);
      handle_->reactor = nullptr;
    }
    delete this;
  }

 private:
  struct Handle {
    absl::Mutex mu;
    WatchReactor* reactor = nullptr;
  };

  void EnqueueLocked(const payments::v1::PayoutEvent& event) {
    if (finished_) return;
    pending_.push_back(event);
    if (!writing_) WriteNextLocked();
  }

  void WriteNextLocked() {
    if (finished_ || pending_.empty()) return;
    writing_ = true;
    StartWrite(&pending_.front());
  }

  void FinishLocked(const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    if (!constructed_) {
      deferred_finish_ = status;
      return;
    }
    Finish(status);
  }

  PayoutEventHub* hub_;
  std::shared_ptr<Handle> handle_;
  uint64_t subscription_ = 0;
  bool subscribed_ = false;
  // Guarded by handle_->mu.
  std::deque<payments::v1::PayoutEvent> pending_;
  bool writing_ = false;
  bool finished_ = false;
  bool constructed_ = false;
  std::optional<grpc::Status> deferred_finish_;
};

}  // namespace

grpc::ServerUnaryReactor* PayoutService::CreatePayout(
    grpc::CallbackServerContext* context, const payments::v1::CreatePayoutRequest* request,
    payments::v1::Payout* response) {
  auto* reactor = context->DefaultReactor();
  auto call = Authorize(*context, auth_, reactor);
  if (!call) return reactor;
  core_->CreatePayout(*request, *call, FinishUnary(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* PayoutService::GetPayout(grpc::CallbackServerContext* context,
                                                   const payments::v1::GetPayoutRequest* request,
                                                   payments::v1::Payout* response) {
  auto* reactor = context->DefaultReactor();
  auto call = Authorize(*context, auth_, reactor);
  if (!call) return reactor;
  core_->GetPayout(*request, *call, FinishUnary(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* PayoutService::ListPayouts(
    grpc::CallbackServerContext* context, const payments::v1::ListPayoutsRequest* request,
    payments::v1::ListPayoutsResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto call = Authorize(*context, auth_, reactor);
  if (!call) return reactor;
  core_->ListPayouts(*request, *call, FinishUnary(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* PayoutService::RefundTransaction(
    grpc::CallbackServerContext* context, const payments::v1::RefundTransactionRequest* request,
    payments::v1::Refund* response) {
  auto* reactor = context->DefaultReactor();
  auto call = Authorize(*context, auth_, reactor);
  if (!call) return reactor;
  core_->RefundTransaction(*request, *call, FinishUnary(reactor, response));
  return reactor;
}

grpc::ServerWriteReactor<payments::v1::PayoutEvent>* PayoutService::WatchPayouts(
    grpc::CallbackServerContext* context, const payments::v1::WatchPayoutsRequest* request) {
  absl::StatusOr<std::string> caller =
      auth_ != nullptr ? auth_->Authenticate(*context) : absl::StatusOr<std::string>("");
  return new WatchReactor(&core_->events(), *request, caller);
}

}  // namespace gateway
