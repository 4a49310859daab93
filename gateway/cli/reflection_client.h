// Lists a server's services through gRPC server reflection (grpc.reflection.v1alpha), the way
// grpcurl's "list" does. Debian ships no reflection .proto for clients, and linking one next
// to libgrpc++_reflection would register its messages twice, so the few fields needed are
// encoded and decoded by hand on the wire.
#ifndef GATEWAY_CLI_REFLECTION_CLIENT_H_
#define GATEWAY_CLI_REFLECTION_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/channel.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gateway {

absl::StatusOr<std::vector<std::string>> ListServicesByReflection(
    const std::shared_ptr<grpc::Channel>& channel, absl::Duration timeout = absl::Seconds(5));

}  // namespace gateway

#endif  // GATEWAY_CLI_REFLECTION_CLIENT_H_
