#include "gateway/process/start_failure.h"

#include "absl/strings/cord.h"

namespace gateway {
namespace {

constexpr char kStepPayload[] = "type.googleapis.com/gateway.process.StartStep";

}  // namespace

absl::Status StartStepFailed(absl::string_view event, absl::Status status) {
  status.SetPayload(kStepPayload, absl::Cord(event));
  return status;
}

StartFailure DescribeStartFailure(const absl::Status& status) {
  StartFailure failure;
  const auto step = status.GetPayload(kStepPayload);
  failure.event = step.has_value() ? std::string(*step) : "start_failed";
  failure.exit_code = failure.event == "listen_failed" ? 1 : 2;
  return failure;
}

}  // namespace gateway
