#include "gateway/server/limits_service.h"

#include "gateway/server/call_context.h"

namespace gateway {

grpc::ServerUnaryReactor* LimitsService::GetCallerLimits(
    grpc::CallbackServerContext* context, const payments::v1::GetCallerLimitsRequest* request,
    payments::v1::CallerLimits* response) {
  auto* reactor = context->DefaultReactor();
  auto call = Authorize(*context, auth_, reactor);
  if (!call) return reactor;
  core_->GetCallerLimits(*request, *call, FinishUnary(reactor, response));
  return reactor;
}

}  // namespace gateway
