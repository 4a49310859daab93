// What of a request may reach a log line: account and card numbers keep their last 4 digits,
// names and RFCs their first letters, and secrets nothing at all. Driven by field names, so
// new messages are masked without code changes.
#ifndef GATEWAY_LOGGING_MASKING_H_
#define GATEWAY_LOGGING_MASKING_H_

#include <google/protobuf/message.h>
#include <boost/json/value.hpp>

namespace gateway {

// A masked copy of `message` as JSON (proto field names).
boost::json::value MaskedJson(const google::protobuf::Message& message);

// Masks `message` in place (recursively, maps and repeated fields included).
void MaskSensitiveFields(google::protobuf::Message& message);

}  // namespace gateway

#endif  // GATEWAY_LOGGING_MASKING_H_
