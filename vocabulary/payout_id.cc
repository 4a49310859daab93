#include "vocabulary/payout_id.h"

#include "vocabulary/idempotency_keys.h"
#include "vocabulary/resource_id.h"

namespace gateway {
namespace {

// Gateway payout ids are UUID v5 in this namespace over (caller, key). Never change it: stored
// payouts and callers' references carry ids made with it.
constexpr char kPayoutIdNamespace[] = "8b1f2a47-3c5d-4e6f-9a0b-1c2d3e4f5a6b";

}  // namespace

std::string PayoutIdFor(payments::v1::Provider provider, const std::string& caller,
                        const std::string& key) {
  auto uuid = providers::UuidV5(kPayoutIdNamespace,
                                providers::ProviderKeyName(caller, "CreatePayout", key));
  return ResourceId{provider, std::string(kind::kPayout), uuid.value_or("invalid")}.ToString();
}

}  // namespace gateway
