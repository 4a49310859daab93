// Per-call facts taken from the gRPC server context for the core and the providers.
#ifndef GATEWAY_SERVER_CALL_CONTEXT_H_
#define GATEWAY_SERVER_CALL_CONTEXT_H_

#include <grpcpp/server_context.h>

#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "gateway/server/caller_auth.h"
#include "gateway/server/status_conversion.h"
#include "providers/provider.h"

namespace gateway {

// The call's context with its authenticated caller; when authentication fails, the reactor is
// finished with UNAUTHENTICATED and nullopt comes back.
inline absl::optional<providers::CallContext> Authorize(const grpc::CallbackServerContext& context,
                                                        const CallerAuthenticator* auth,
                                                        grpc::ServerUnaryReactor* reactor);

inline providers::CallContext MakeCallContext(const grpc::CallbackServerContext& context) {
  providers::CallContext call;
  const auto deadline = context.deadline();
  // gRPC reports "no deadline" as the clock's maximum.
  if (deadline != std::chrono::system_clock::time_point::max()) {
    call.deadline = absl::FromChrono(deadline);
  }
  return call;
}

inline absl::optional<providers::CallContext> Authorize(const grpc::CallbackServerContext& context,
                                                        const CallerAuthenticator* auth,
                                                        grpc::ServerUnaryReactor* reactor) {
  providers::CallContext call = MakeCallContext(context);
  if (auth != nullptr) {
    auto caller = auth->Authenticate(context);
    if (!caller.ok()) {
      reactor->Finish(ToGrpcStatus(caller.status()));
      return absl::nullopt;
    }
    call.caller = *std::move(caller);
  }
  return call;
}

// A callback that answers a unary reactor with the core's result.
template <typename Response>
providers::Callback<Response> FinishUnary(grpc::ServerUnaryReactor* reactor, Response* response) {
  return [reactor, response](absl::StatusOr<Response> result) {
    if (result.ok()) *response = *std::move(result);
    reactor->Finish(ToGrpcStatus(result.status()));
  };
}

}  // namespace gateway

#endif  // GATEWAY_SERVER_CALL_CONTEXT_H_
