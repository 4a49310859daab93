// payments.v1.ReconciliationService on the gRPC callback API: a reconciliation run on demand.
#ifndef GATEWAY_SERVER_RECONCILIATION_SERVICE_H_
#define GATEWAY_SERVER_RECONCILIATION_SERVICE_H_

#include "gateway/core/gateway_core.h"
#include "gateway/reconciliation/reconciliation_runner.h"
#include "gateway/server/caller_auth.h"
#include "proto/payments/v1/reconciliation_service.grpc.pb.h"

namespace gateway {

class ReconciliationService final : public payments::v1::ReconciliationService::CallbackService {
 public:
  // `auth` may be null (every call is the anonymous caller); `runner` may be null (every call is
  // UNIMPLEMENTED: a server built without reconciliation, as some tests build it). The caller
  // policies come from `core`.
  ReconciliationService(GatewayCore* core, ReconciliationRunner* runner,
                        const CallerAuthenticator* auth)
      : core_(core), runner_(runner), auth_(auth) {}

  grpc::ServerUnaryReactor* Reconcile(grpc::CallbackServerContext* context,
                                      const payments::v1::ReconcileRequest* request,
                                      payments::v1::ReconciliationReport* response) override;

 private:
  GatewayCore* core_;
  ReconciliationRunner* runner_;
  const CallerAuthenticator* auth_;
};

}  // namespace gateway

#endif  // GATEWAY_SERVER_RECONCILIATION_SERVICE_H_
