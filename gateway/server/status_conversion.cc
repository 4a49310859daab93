#include "gateway/server/status_conversion.h"

#include <string>

#include "absl/strings/cord.h"
#include "proto/google/rpc/status.pb.h"
#include "vocabulary/error_details.h"

namespace gateway {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbering. The details trailer is a full
  // google.rpc.Status; EncodeStatusDetails gives its details list.
  std::string encoded = EncodeStatusDetails(status);
  if (!encoded.empty()) {
    google::rpc::Status details;
    details.ParseFromString(encoded);
    details.set_code(static_cast<int>(status.code()));
    details.set_message(std::string(status.message()));
    encoded = details.SerializeAsString();
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      encoded);
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  return DecodeStatus(static_cast<int>(status.error_code()), status.error_message(),
                      status.error_details());
}

}  // namespace gateway
