// Identifiers the simulated providers hand out: UUIDs (Monato), prefixed base62 ids like
// "tr_329NGN1M4If6VvcMRALv4gjAQJx" (Fintoc), and random alphanumeric tails.
#ifndef SANDBOX_COMMON_IDS_H_
#define SANDBOX_COMMON_IDS_H_

#include <string>

#include "absl/strings/string_view.h"

namespace sandbox {

// A random (version 4) UUID, lower case.
std::string NewUuid();

// A name-based (version 5) UUID in a fixed sandbox namespace: the same name gives the same id
// in every run, so seeded resources have ids a demo can rely on.
std::string StableUuid(absl::string_view name);

// 8-4-4-4-12 hex digits (either case), any version.
bool IsUuid(absl::string_view text);

// Random characters from [0-9A-Za-z] / [0-9A-Z].
std::string RandomAlphanumeric(size_t length);
std::string RandomUpperAlphanumeric(size_t length);

// prefix + 27 random base62 characters, the shape of Fintoc's ids ("tr_", "acc_", "evt_").
std::string NewPrefixedId(absl::string_view prefix);

}  // namespace sandbox

#endif  // SANDBOX_COMMON_IDS_H_
