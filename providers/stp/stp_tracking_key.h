// The claveRastreo of a payout (docs/providers/stp.md#idempotency), derived from the
// gateway's idempotency name of the payout, never drawn at random: every retry of the same
// payout, after a timeout, a crash or a restart, sends the same key. STP refuses a reused
// key for the same empresa on the same day ("-1 La clave de rastreo ... ya fue utilizada"),
// so a retry can never create a second order; across days the gateway's own idempotency
// store answers replays before they reach STP, and an unknown outcome is resolved by reading
// the order by this key.
//
// Format: `prefix` (0-9 characters of [A-Z0-9]) + upper-case base32 (A-Z, 2-7) of SHA-256 of
// the name, together exactly kTrackingKeyLength characters: alphanumeric, within STP's limit
// (30; stpmex-python truncates to 29), and at least 20 hash characters (100 bits), so two
// different payouts colliding is not a practical concern.
#ifndef PROVIDERS_STP_STP_TRACKING_KEY_H_
#define PROVIDERS_STP_STP_TRACKING_KEY_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace providers::stp {

inline constexpr size_t kTrackingKeyLength = 29;
inline constexpr size_t kMaxTrackingKeyPrefix = 9;

// `name` is the unambiguous idempotency name of the payout (providers::ProviderKeyName of
// the caller, the operation and the caller's key). INVALID_ARGUMENT when `name` is empty or
// `prefix` is too long or not [A-Z0-9].
absl::StatusOr<std::string> TrackingKeyFor(absl::string_view prefix, absl::string_view name);

// Whether `key` is a tracking key STP accepts from this gateway: 1..30 characters of
// [A-Za-z0-9]. Used to refuse hostile keys in replies and notifications before using them.
bool IsValidTrackingKey(absl::string_view key);

}  // namespace providers::stp

#endif  // PROVIDERS_STP_STP_TRACKING_KEY_H_
