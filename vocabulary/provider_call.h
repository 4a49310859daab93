// What every provider call carries: its completion callback, the per-call context, and what
// a provider accepts. Used by the Provider interface (providers/provider.h), the adapters and
// the gateway core.
#ifndef VOCABULARY_PROVIDER_CALL_H_
#define VOCABULARY_PROVIDER_CALL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace providers {

template <typename T>
using Callback = absl::AnyInvocable<void(absl::StatusOr<T>)>;

// Per-call facts every provider call needs.
struct CallContext {
  // When the caller stops waiting (from its gRPC deadline). Past it, give up.
  absl::Time deadline = absl::InfiniteFuture();
  // The authenticated calling service; scopes idempotency keys and resources.
  std::string caller;
};

// What a provider accepts, so requests are checked before any call.
struct Capabilities {
  std::vector<std::string> currencies;  // ISO 4217, e.g. {"MXN"}
  int64_t max_payout_minor = 0;         // inclusive upper bound on one payout
  bool debit_card_payouts = false;
  // How long the provider remembers an Idempotency-Key, set by each adapter from its documented
  // value (docs/provider-idempotency.md). A re-send after that is a new money movement, so the
  // resolver re-sends an unknown outcome only during the first half of it. Zero (the default)
  // means unknown: an unknown outcome is never re-sent, only searched for by reference.
  absl::Duration idempotency_key_lifetime = absl::ZeroDuration();
};

}  // namespace providers

#endif  // VOCABULARY_PROVIDER_CALL_H_
