// Boost.JSON helpers for request bodies: parse without throwing, typed field access, and a
// canonical form (keys sorted, compact) so idempotency can compare "the same body" regardless
// of key order and whitespace.
#ifndef SANDBOX_COMMON_JSON_UTIL_H_
#define SANDBOX_COMMON_JSON_UTIL_H_

#include <string>

#include <boost/json.hpp>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace sandbox {

// A JSON object, or nullopt for invalid JSON or any other kind of value.
absl::optional<boost::json::object> ParseJsonObject(absl::string_view text);

// The member `key` when it is present and of the asked kind; nullptr otherwise.
const boost::json::value* JsonMember(const boost::json::object& object, absl::string_view key);
const boost::json::string* JsonString(const boost::json::object& object, absl::string_view key);
const boost::json::object* JsonObject(const boost::json::object& object, absl::string_view key);

// A view of a Boost.JSON string for absl APIs (Debian's absl::string_view is its own type).
inline absl::string_view AsView(const boost::json::string& text) {
  return absl::string_view(text.data(), text.size());
}

// Serialized with object keys sorted (recursively), no whitespace.
std::string CanonicalJson(const boost::json::value& value);

// Fingerprint of a request body for idempotency: the canonical JSON when the body parses,
// else the raw bytes; hashed with SHA-256 (hex) after `scope` (e.g. the path).
std::string BodyFingerprint(absl::string_view scope, absl::string_view body);

std::string ToJson(const boost::json::value& value);

}  // namespace sandbox

#endif  // SANDBOX_COMMON_JSON_UTIL_H_
