#include "providers/common/payout_results.h"

#include "absl/strings/str_cat.h"
#include "vocabulary/resource_id.h"

namespace providers {

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
                                    absl::StrCat("key-", provider_key)}
                    .ToString());
  payout.set_provider(provider);
  payout.set_status(payments::v1::PAYOUT_STATUS_UNKNOWN);
  payout.set_status_reason(std::string(why.substr(0, 300)));
  *payout.mutable_amount() = order.request.amount();
  return WithOrder(std::move(payout), order);
}

}  // namespace providers
