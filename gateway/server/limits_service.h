// payments.v1.LimitsService on the gRPC callback API: a caller reads its own policy and limits.
#ifndef GATEWAY_SERVER_LIMITS_SERVICE_H_
#define GATEWAY_SERVER_LIMITS_SERVICE_H_

#include "gateway/core/gateway_core.h"
#include "gateway/server/caller_auth.h"
#include "proto/payments/v1/limits_service.grpc.pb.h"

namespace gateway {

class LimitsService final : public payments::v1::LimitsService::CallbackService {
 public:
  // `auth` may be null (every call is the anonymous caller).
  LimitsService(GatewayCore* core, const CallerAuthenticator* auth) : core_(core), auth_(auth) {}

  grpc::ServerUnaryReactor* GetCallerLimits(grpc::CallbackServerContext* context,
                                            const payments::v1::GetCallerLimitsRequest* request,
                                            payments::v1::CallerLimits* response) override;

 private:
  GatewayCore* core_;
  const CallerAuthenticator* auth_;
};

}  // namespace gateway

#endif  // GATEWAY_SERVER_LIMITS_SERVICE_H_
