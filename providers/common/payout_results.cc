#include "providers/common/payout_results.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "vocabulary/resource_id.h"

namespace providers {
namespace {

// The native id of an UNKNOWN payout; providers' own ids never start so (docs/providers/ids.md).
constexpr absl::string_view kUnknownOutcomePrefix = "key-";

}  // namespace

payments::v1::Payout WithOrder(payments::v1::Payout payout, const PayoutOrder& order) {
  const auto& request = order.request;
  payout.set_source_account_id(request.source_account_id());
  *payout.mutable_counterparty() = request.counterparty();
  *payout.mutable_metadata() = request.metadata();
  payout.set_idempotency_key(request.idempotency_key());
  if (payout.description().empty()) payout.set_description(request.description());
  if (payout.numeric_reference() == 0) payout.set_numeric_reference(request.numeric_reference());
  if (!payout.has_amount()) *payout.mutable_amount() = request.amount();
  return payout;
}

payments::v1::Payout UnknownOutcome(payments::v1::Provider provider, const PayoutOrder& order,
                                    const std::string& provider_key, absl::string_view why) {
  payments::v1::Payout payout;
  payout.set_id(gateway::ResourceId{provider, std::string(gateway::kind::kPayout),
                                    absl::StrCat(kUnknownOutcomePrefix, provider_key)}
                    .ToString());
  payout.set_provider(provider);
  payout.set_status(payments::v1::PAYOUT_STATUS_UNKNOWN);
  payout.set_status_reason(std::string(why.substr(0, 300)));
  *payout.mutable_amount() = order.request.amount();
  return WithOrder(std::move(payout), order);
}

absl::Status CheckReadablePayoutId(absl::string_view native_payout_id) {
  if (!absl::StartsWith(native_payout_id, kUnknownOutcomePrefix)) return absl::OkStatus();
  return absl::FailedPreconditionError(
      "this payout's outcome is unknown; retry CreatePayout with the same idempotency key to "
      "resolve it");
}

payments::v1::Refund UnknownRefund(payments::v1::Provider provider, const RefundOrder& order) {
  payments::v1::Refund refund;
  refund.set_provider(provider);
  refund.set_transaction_id(order.request.transaction_id());
  *refund.mutable_amount() = order.request.amount();
  refund.set_status(payments::v1::PAYOUT_STATUS_UNKNOWN);
  return refund;
}

}  // namespace providers
