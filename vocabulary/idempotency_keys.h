// The idempotency key a provider sees is derived deterministically from the caller's key, so
// a retry after a crash or a timeout reaches the provider with the same key and the provider
// deduplicates too (docs/design.md#idempotency).
#ifndef VOCABULARY_IDEMPOTENCY_KEYS_H_
#define VOCABULARY_IDEMPOTENCY_KEYS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace providers {

// RFC 4122 name-based UUID, version 5 (SHA-1), lower-case canonical text.
// INVALID_ARGUMENT when `namespace_uuid` is not a UUID.
absl::StatusOr<std::string> UuidV5(absl::string_view namespace_uuid, absl::string_view name);

// The unambiguous name a provider key is derived from: the calling service, the operation and
// the caller's key, length-prefixed so no two different triples give the same name.
std::string ProviderKeyName(absl::string_view caller, absl::string_view operation,
                            absl::string_view caller_key);

}  // namespace providers

#endif  // VOCABULARY_IDEMPOTENCY_KEYS_H_
