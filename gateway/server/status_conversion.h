// absl::Status inside, gRPC status at the edge: the code and message carry over, and the
// google.rpc details in the status payloads (BadRequest, ErrorInfo) travel as the standard
// grpc-status-details-bin trailer, which grpcurl and every gRPC client library can decode.
#ifndef GATEWAY_SERVER_STATUS_CONVERSION_H_
#define GATEWAY_SERVER_STATUS_CONVERSION_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace gateway {

grpc::Status ToGrpcStatus(const absl::Status& status);

// The inverse, for clients and tests: details decoded back into payloads.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace gateway

#endif  // GATEWAY_SERVER_STATUS_CONVERSION_H_
