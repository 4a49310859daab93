#include "gateway/webhooks/money_in_check.h"

#include "absl/strings/str_cat.h"

namespace gateway {

absl::Status CheckMoneyInRead(const providers::WebhookEvent& event,
                              const payments::v1::Payout& read) {
  if (read.provider_payout_id() != event.provider_payout_id) {
    return absl::FailedPreconditionError("the provider's read is about another transaction");
  }
  if (read.amount().currency() != event.currency) {
    return absl::FailedPreconditionError(absl::StrCat("the provider reads currency ",
                                                      read.amount().currency(), ", the event says ",
                                                      event.currency));
  }
  if (read.amount().amount_minor() != event.amount_minor) {
    return absl::FailedPreconditionError(
        absl::StrCat("the provider reads amount ", read.amount().amount_minor(),
                     " (minor units), the event says ", event.amount_minor));
  }
  switch (read.status()) {
    case payments::v1::PAYOUT_STATUS_SUCCEEDED:
      return absl::OkStatus();
    case payments::v1::PAYOUT_STATUS_FAILED:
    case payments::v1::PAYOUT_STATUS_RETURNED:
    case payments::v1::PAYOUT_STATUS_REJECTED:
      return absl::FailedPreconditionError(
          absl::StrCat("the provider reads the transaction as ", read.provider_status()));
    default:
      return absl::UnavailableError(absl::StrCat("the provider reads the transaction as ",
                                                 read.provider_status(), " (not settled yet)"));
  }
}

}  // namespace gateway
