#include "providers/common/json_fields.h"

#include <boost/json/parse.hpp>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "vocabulary/money.h"
#include "vocabulary/status_macros.h"

namespace providers {
namespace {

const boost::json::value* Find(const boost::json::object& object, absl::string_view key) {
  return object.if_contains(boost::json::string_view(key.data(), key.size()));
}

}  // namespace

absl::StatusOr<boost::json::value> ParseJson(absl::string_view text) {
  boost::system::error_code ec;
  boost::json::value value =
      boost::json::parse(boost::json::string_view(text.data(), text.size()), ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("not JSON (", ec.message(), ")"));
  return value;
}

absl::StatusOr<boost::json::object> ParseJsonObject(absl::string_view text) {
  ASSIGN_OR_RETURN(auto value, ParseJson(text));
  if (!value.is_object()) return absl::InvalidArgumentError("JSON is not an object");
  return std::move(value.as_object());
}

absl::optional<std::string> OptionalString(const boost::json::object& object,
                                           absl::string_view key) {
  const boost::json::value* value = Find(object, key);
  if (value == nullptr || value->is_null()) return absl::nullopt;
  if (value->is_string()) {
    std::string text(value->as_string());
    if (text.empty() || text == "None" || text == "null") return absl::nullopt;
    return text;
  }
  if (value->is_int64()) return absl::StrCat(value->as_int64());
  if (value->is_uint64()) return absl::StrCat(value->as_uint64());
  if (value->is_bool()) return std::string(value->as_bool() ? "true" : "false");
  return absl::nullopt;
}

std::string StringOr(const boost::json::object& object, absl::string_view key,
                     absl::string_view fallback) {
  return OptionalString(object, key).value_or(std::string(fallback));
}

const boost::json::object* OptionalObject(const boost::json::object& object,
                                          absl::string_view key) {
  const boost::json::value* value = Find(object, key);
  return value != nullptr && value->is_object() ? &value->as_object() : nullptr;
}

absl::optional<int64_t> OptionalInt(const boost::json::object& object, absl::string_view key) {
  const boost::json::value* value = Find(object, key);
  if (value == nullptr) return absl::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64() && value->as_uint64() <= INT64_MAX) {
    return static_cast<int64_t>(value->as_uint64());
  }
  if (value->is_string()) {
    int64_t parsed;
    if (absl::SimpleAtoi(std::string(value->as_string()), &parsed)) return parsed;
  }
  return absl::nullopt;
}

absl::StatusOr<int64_t> DecimalAmountField(const boost::json::object& object, absl::string_view key,
                                           int exponent) {
  const boost::json::value* value = Find(object, key);
  if (value == nullptr || value->is_null()) {
    return absl::InvalidArgumentError(absl::StrCat("amount field \"", key, "\" is missing"));
  }
  if (!value->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat("amount field \"", key, "\" is not a decimal string"));
  }
  auto amount = gateway::DecimalToMinorUnits(std::string(value->as_string()), exponent);
  if (!amount.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("amount field \"", key, "\": ", amount.status().message()));
  }
  return amount;
}

absl::StatusOr<int64_t> MinorUnitsField(const boost::json::object& object, absl::string_view key) {
  const boost::json::value* value = Find(object, key);
  if (value != nullptr && value->is_int64()) return value->as_int64();
  if (value != nullptr && value->is_uint64() && value->as_uint64() <= INT64_MAX) {
    return static_cast<int64_t>(value->as_uint64());
  }
  return absl::InvalidArgumentError(
      absl::StrCat("amount field \"", key, "\" is not an integer of minor units"));
}

}  // namespace providers
