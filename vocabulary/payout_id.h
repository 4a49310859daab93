// The gateway id of the payout a caller's idempotency key creates: derived, not stored, so it
// is the same on every attempt, replica and restart (docs/design.md#idempotency).
#ifndef VOCABULARY_PAYOUT_ID_H_
#define VOCABULARY_PAYOUT_ID_H_

#include <string>

#include "proto/payments/v1/common.pb.h"

namespace gateway {

// "<provider>.payout.<UUID v5 over (caller, "CreatePayout", key)>".
std::string PayoutIdFor(payments::v1::Provider provider, const std::string& caller,
                        const std::string& key);

}  // namespace gateway

#endif  // VOCABULARY_PAYOUT_ID_H_
