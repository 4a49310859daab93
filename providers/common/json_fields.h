// Reading provider JSON: tolerant where providers drift (Monato's "None" for null, missing
// fields, numbers as strings), strict where money is concerned.
#ifndef PROVIDERS_COMMON_JSON_FIELDS_H_
#define PROVIDERS_COMMON_JSON_FIELDS_H_

#include <cstdint>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace providers {

// Parses a whole document; INVALID_ARGUMENT (with no body echoed) when it is not JSON.
absl::StatusOr<boost::json::value> ParseJson(absl::string_view text);
// Parses a document that must be an object.
absl::StatusOr<boost::json::object> ParseJsonObject(absl::string_view text);

// A string field; absent, null, "", "None" and "null" all read as nullopt. Numbers and
// booleans are turned into their text (ids sometimes arrive as numbers).
absl::optional<std::string> OptionalString(const boost::json::object& object,
                                           absl::string_view key);
// As OptionalString, "" when absent.
std::string StringOr(const boost::json::object& object, absl::string_view key,
                     absl::string_view fallback = "");
// A nested object; nullptr when absent or not an object.
const boost::json::object* OptionalObject(const boost::json::object& object, absl::string_view key);
// An integer field: a JSON integer, or a string of digits. Never a float.
absl::optional<int64_t> OptionalInt(const boost::json::object& object, absl::string_view key);

// Money as a decimal string with the currency's exponent ("1.95" -> 195). A JSON number is
// refused (floats lose cents); so is any string that is not an exact decimal.
absl::StatusOr<int64_t> DecimalAmountField(const boost::json::object& object, absl::string_view key,
                                           int exponent);
// Money as integer minor units (Fintoc). Floats and strings are refused.
absl::StatusOr<int64_t> MinorUnitsField(const boost::json::object& object, absl::string_view key);

}  // namespace providers

#endif  // PROVIDERS_COMMON_JSON_FIELDS_H_
