// Structured error details carried inside absl::Status payloads, so that core code can say
// *which* field is wrong (google.rpc.BadRequest), *why* a call failed (google.rpc.ErrorInfo) or
// *which limit* it reached (google.rpc.QuotaFailure), and the gRPC edge can send them as
// standard status details.
#ifndef VOCABULARY_ERROR_DETAILS_H_
#define VOCABULARY_ERROR_DETAILS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "proto/google/rpc/error_details.pb.h"

namespace gateway {

inline constexpr absl::string_view kBadRequestTypeUrl = "type.googleapis.com/google.rpc.BadRequest";
inline constexpr absl::string_view kErrorInfoTypeUrl = "type.googleapis.com/google.rpc.ErrorInfo";
inline constexpr absl::string_view kQuotaFailureTypeUrl =
    "type.googleapis.com/google.rpc.QuotaFailure";
inline constexpr absl::string_view kErrorDomain = "payments-gateway";

// Collects every problem of a request before answering, so a caller fixes them all at once.
class FieldViolations {
 public:
  void Add(absl::string_view field, absl::string_view description);
  bool empty() const { return bad_request_.field_violations().empty(); }
  // OK when empty; otherwise INVALID_ARGUMENT whose message lists the fields and whose
  // payload is the google.rpc.BadRequest.
  absl::Status ToStatus() const;

 private:
  google::rpc::BadRequest bad_request_;
};

// A single-field INVALID_ARGUMENT.
absl::Status InvalidField(absl::string_view field, absl::string_view description);

// Attaches a google.rpc.ErrorInfo with `reason` (UPPER_SNAKE_CASE) to `status`.
absl::Status WithReason(absl::Status status, absl::string_view reason,
                        const std::map<std::string, std::string>& metadata = {});

// Appends a google.rpc.QuotaFailure violation (which quota, what is left) to `status`.
absl::Status WithQuotaViolation(absl::Status status, absl::string_view subject,
                                absl::string_view description);

// A status's payloads as serialized google.rpc.Status details (for storing an answer), and
// back. Code and message travel separately.
std::string EncodeStatusDetails(const absl::Status& status);
absl::Status DecodeStatus(int code, absl::string_view message, absl::string_view details);

// The field violations inside a status (empty when it carries none).
std::vector<google::rpc::BadRequest::FieldViolation> FieldViolationsOf(const absl::Status& status);
// The ErrorInfo reason inside a status ("" when none).
std::string ReasonOf(const absl::Status& status);
// The ErrorInfo metadata inside a status (empty when none).
std::map<std::string, std::string> ReasonMetadataOf(const absl::Status& status);
// The quota violations inside a status (empty when it carries none).
std::vector<google::rpc::QuotaFailure::Violation> QuotaViolationsOf(const absl::Status& status);

}  // namespace gateway

#endif  // VOCABULARY_ERROR_DETAILS_H_
