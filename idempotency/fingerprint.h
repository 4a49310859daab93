// A request's fingerprint: SHA-256 (hex) of its deterministic protobuf serialization, so the
// same request always has the same fingerprint and any changed field changes it.
#ifndef IDEMPOTENCY_FINGERPRINT_H_
#define IDEMPOTENCY_FINGERPRINT_H_

#include <string>

#include <google/protobuf/message.h>

namespace idempotency {

// Bytes that are the same for equal messages (map entries in key order).
std::string DeterministicBytes(const google::protobuf::Message& message);
std::string Fingerprint(const google::protobuf::Message& message);

}  // namespace idempotency

#endif  // IDEMPOTENCY_FINGERPRINT_H_
