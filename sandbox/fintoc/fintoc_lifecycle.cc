// Settlement of Fintoc transfers and the signed webhook events each change produces
// (docs/providers/fintoc.md#statuses, #webhooks, #test-mode):
//   outbound pending -> succeeded | rejected (kFintocRejectedCounterparty) | failed
//   inbound  pending -> succeeded (funds credited)
//   return_pending   -> returned, or back to succeeded when the return fails
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sandbox/common/json_util.h"
#include "sandbox/fintoc/fintoc_json.h"
#include "sandbox/fintoc/fintoc_simulator.h"
#include "sandbox/fintoc/webhook_signature.h"

namespace sandbox {

void FintocSimulator::ScheduleSettlement(const std::string& transfer_id) {
  if (config_.settle_after < absl::ZeroDuration()) return;  // manual settlement only
  scheduler_.RunAfter(config_.settle_after,
                      [this, transfer_id] { SettlePending(transfer_id, ""); });
}

int FintocSimulator::SettlePending(const std::string& transfer_id, const std::string& outcome) {
  std::vector<WebhookDelivery> outbox;
  int settled = 0;
  {
    absl::MutexLock lock(&mu_);
    if (!transfer_id.empty()) {
      // One transfer (each one's scheduled settlement): a lookup, not a scan of them all.
      auto it = transfers_.find(transfer_id);
      if (it != transfers_.end() && SettleLocked(it->second, outcome, &outbox)) ++settled;
    } else {
      // transfer_order_ is oldest first, so events go out in creation order.
      for (const std::string& id : transfer_order_) {
        if (SettleLocked(transfers_.at(id), outcome, &outbox)) ++settled;
      }
    }
  }
  SendAll(std::move(outbox));
  return settled;
}

bool FintocSimulator::SettleLocked(FintocTransfer& transfer, const std::string& outcome,
                                   std::vector<WebhookDelivery>* outbox) {
  FintocAccount& account = accounts_.at(transfer.account_id);
  const bool forced_failure = outcome == "rejected" || outcome == "failed";
  std::string event;
  if (transfer.status == "return_pending") {
    if (forced_failure) {
      transfer.status = "succeeded";
      account.available_balance += transfer.amount;  // the return did not happen
      event = "transfer.inbound.return_failed";
    } else {
      transfer.status = "returned";
      event = "transfer.inbound.returned";
    }
  } else if (transfer.status != "pending") {
    return false;
  } else if (transfer.direction == "inbound") {
    if (forced_failure) {
      transfer.status = outcome;
    } else {
      transfer.status = "succeeded";
      transfer.posted = true;
      account.available_balance += transfer.amount;
    }
    event = absl::StrCat("transfer.inbound.", transfer.status);
  } else {
    std::string status = outcome;
    if (status.empty()) {
      status = transfer.counterparty.account_number == kFintocRejectedCounterparty ? "rejected"
                                                                                   : "succeeded";
    }
    transfer.status = status;
    if (status == "succeeded") {
      transfer.posted = true;
    } else {
      account.available_balance += transfer.amount;  // the held amount comes back
    }
    event = absl::StrCat("transfer.outbound.", status);
  }
  transfer.updated_at = clock_->Now();
  QueueEventLocked(event, transfer, outbox);
  return true;
}

void FintocSimulator::QueueEventLocked(const std::string& type, const FintocTransfer& transfer,
                                       std::vector<WebhookDelivery>* outbox) {
  if (config_.webhook_url.empty()) {
    ++events_skipped_;
    return;
  }
  WebhookDelivery delivery;
  delivery.url = config_.webhook_url;
  delivery.body = ToJson(EventJson(type, TransferJsonLocked(transfer), clock_->Now()));
  delivery.kind = type;
  // Signed at every attempt, so the receiver's 300 s tolerance holds for retries too.
  delivery.per_attempt_headers = [secret = config_.webhook_secret,
                                  clock = clock_](const std::string& body) {
    return HeaderList{{"Fintoc-Signature",
                       FintocSignatureHeader(secret, absl::ToUnixSeconds(clock->Now()), body)}};
  };
  outbox->push_back(std::move(delivery));
}

void FintocSimulator::SendAll(std::vector<WebhookDelivery> outbox) {
  for (WebhookDelivery& delivery : outbox) webhook_sender_.Send(std::move(delivery));
}

}  // namespace sandbox
