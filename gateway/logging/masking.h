// What of a request may reach a log line: account and card numbers keep their last 4 digits,
// names and RFCs their first letters, and secrets nothing at all. Driven by field names, so
// new messages are masked without code changes.
#ifndef GATEWAY_LOGGING_MASKING_H_
#define GATEWAY_LOGGING_MASKING_H_

#include <string>

#include <google/protobuf/message.h>
#include <boost/json/value.hpp>

#include "absl/strings/string_view.h"

namespace gateway {

// A masked copy of `message` as JSON (proto field names).
boost::json::value MaskedJson(const google::protobuf::Message& message);
// The same through protobuf's JSON printer (what MaskedJson must equal; for tests).
boost::json::value MaskedJsonByPrinterForTesting(const google::protobuf::Message& message);

// An account or card number as it may be shown: its last 4 characters, the rest as '*'
// ("002010077777777771" -> "**************7771"); 4 or fewer characters are all masked.
std::string MaskAccountNumber(absl::string_view number);

// Masks `message` in place (recursively, maps and repeated fields included).
void MaskSensitiveFields(google::protobuf::Message& message);

}  // namespace gateway

#endif  // GATEWAY_LOGGING_MASKING_H_
