// Why GatewayProcess::Start failed, in the terms the binary reports it: the log event that
// names the failed step (config_invalid, providers_invalid, store_unavailable,
// webhooks_unavailable, admin_unavailable, listen_failed) and the exit code (1 when the gRPC
// port cannot be bound, 2 for everything the configuration or its environment got wrong).
#ifndef GATEWAY_PROCESS_START_FAILURE_H_
#define GATEWAY_PROCESS_START_FAILURE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gateway {

// `status` (not OK) marked as the failure of the step `event`.
absl::Status StartStepFailed(absl::string_view event, absl::Status status);

struct StartFailure {
  std::string event;
  int exit_code = 2;
};

// The step and exit code a status from StartStepFailed carries ("start_failed", 2 otherwise).
StartFailure DescribeStartFailure(const absl::Status& status);

}  // namespace gateway

#endif  // GATEWAY_PROCESS_START_FAILURE_H_
