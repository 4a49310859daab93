// One JSON log line per RPC: method, status code, duration, peer, the request with account
// numbers and names masked and secrets removed, and the id/status of what was answered.
// Health checks are not logged (probes would drown everything else).
#ifndef GATEWAY_SERVER_RPC_LOGGING_H_
#define GATEWAY_SERVER_RPC_LOGGING_H_

#include <grpcpp/support/server_interceptor.h>

namespace gateway {

class RpcLoggingInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace gateway

#endif  // GATEWAY_SERVER_RPC_LOGGING_H_
