#include "vocabulary/error_details.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "proto/google/rpc/status.pb.h"

namespace gateway {

void FieldViolations::Add(absl::string_view field, absl::string_view description) {
  auto* violation = bad_request_.add_field_violations();
  violation->set_field(std::string(field));
  violation->set_description(std::string(description));
}

absl::Status FieldViolations::ToStatus() const {
  if (empty()) return absl::OkStatus();
  std::string message = "invalid request: ";
  for (int i = 0; i < bad_request_.field_violations_size(); ++i) {
    const auto& v = bad_request_.field_violations(i);
    absl::StrAppend(&message, i == 0 ? "" : "; ", v.field(), " ", v.description());
  }
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kBadRequestTypeUrl, absl::Cord(bad_request_.SerializeAsString()));
  return status;
}

absl::Status InvalidField(absl::string_view field, absl::string_view description) {
  FieldViolations violations;
  violations.Add(field, description);
  return violations.ToStatus();
}

absl::Status WithReason(absl::Status status, absl::string_view reason,
                        const std::map<std::string, std::string>& metadata) {
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  for (const auto& [key, value] : metadata) (*info.mutable_metadata())[key] = value;
  status.SetPayload(kErrorInfoTypeUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

absl::Status WithQuotaViolation(absl::Status status, absl::string_view subject,
                                absl::string_view description) {
  google::rpc::QuotaFailure failure;
  if (auto existing = status.GetPayload(kQuotaFailureTypeUrl)) {
    failure.ParseFromString(std::string(*existing));
  }
  auto* violation = failure.add_violations();
  violation->set_subject(std::string(subject));
  violation->set_description(std::string(description));
  status.SetPayload(kQuotaFailureTypeUrl, absl::Cord(failure.SerializeAsString()));
  return status;
}

// Every payload travels (BadRequest, ErrorInfo, QuotaFailure, ...), in its google.protobuf.Any.
std::string EncodeStatusDetails(const absl::Status& status) {
  google::rpc::Status details;
  status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& payload) {
    auto* any = details.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(payload));
  });
  return details.details().empty() ? std::string() : details.SerializeAsString();
}

absl::Status DecodeStatus(int code, absl::string_view message, absl::string_view details) {
  absl::Status status(static_cast<absl::StatusCode>(code), message);
  google::rpc::Status decoded;
  if (!status.ok() && !details.empty() && decoded.ParseFromString(std::string(details))) {
    for (const auto& any : decoded.details()) {
      status.SetPayload(any.type_url(), absl::Cord(any.value()));
    }
  }
  return status;
}

std::vector<google::rpc::BadRequest::FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<google::rpc::BadRequest::FieldViolation> out;
  auto payload = status.GetPayload(kBadRequestTypeUrl);
  google::rpc::BadRequest bad_request;
  if (payload && bad_request.ParseFromString(std::string(*payload))) {
    out.assign(bad_request.field_violations().begin(), bad_request.field_violations().end());
  }
  return out;
}

std::string ReasonOf(const absl::Status& status) {
  auto payload = status.GetPayload(kErrorInfoTypeUrl);
  google::rpc::ErrorInfo info;
  if (payload && info.ParseFromString(std::string(*payload))) return info.reason();
  return "";
}

std::map<std::string, std::string> ReasonMetadataOf(const absl::Status& status) {
  auto payload = status.GetPayload(kErrorInfoTypeUrl);
  google::rpc::ErrorInfo info;
  if (!payload || !info.ParseFromString(std::string(*payload))) return {};
  return {info.metadata().begin(), info.metadata().end()};
}

std::vector<google::rpc::QuotaFailure::Violation> QuotaViolationsOf(const absl::Status& status) {
  std::vector<google::rpc::QuotaFailure::Violation> out;
  auto payload = status.GetPayload(kQuotaFailureTypeUrl);
  google::rpc::QuotaFailure failure;
  if (payload && failure.ParseFromString(std::string(*payload))) {
    out.assign(failure.violations().begin(), failure.violations().end());
  }
  return out;
}

}  // namespace gateway
