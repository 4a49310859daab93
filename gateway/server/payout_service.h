// payments.v1.PayoutService on the gRPC callback API: no handler thread ever waits for a
// provider; each call's reactor finishes when the core answers.
#ifndef GATEWAY_SERVER_PAYOUT_SERVICE_H_
#define GATEWAY_SERVER_PAYOUT_SERVICE_H_

#include "gateway/core/gateway_core.h"
#include "gateway/server/caller_auth.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"

namespace gateway {

class PayoutService final : public payments::v1::PayoutService::CallbackService {
 public:
  // `auth` may be null (every call is the anonymous caller).
  PayoutService(GatewayCore* core, const CallerAuthenticator* auth) : core_(core), auth_(auth) {}

  grpc::ServerUnaryReactor* CreatePayout(grpc::CallbackServerContext* context,
                                         const payments::v1::CreatePayoutRequest* request,
                                         payments::v1::Payout* response) override;
  grpc::ServerUnaryReactor* GetPayout(grpc::CallbackServerContext* context,
                                      const payments::v1::GetPayoutRequest* request,
                                      payments::v1::Payout* response) override;
  grpc::ServerUnaryReactor* ListPayouts(grpc::CallbackServerContext* context,
                                        const payments::v1::ListPayoutsRequest* request,
                                        payments::v1::ListPayoutsResponse* response) override;
  grpc::ServerUnaryReactor* RefundTransaction(grpc::CallbackServerContext* context,
                                              const payments::v1::RefundTransactionRequest* request,
                                              payments::v1::Refund* response) override;
  grpc::ServerWriteReactor<payments::v1::PayoutEvent>* WatchPayouts(
      grpc::CallbackServerContext* context,
      const payments::v1::WatchPayoutsRequest* request) override;

 private:
  GatewayCore* core_;
  const CallerAuthenticator* auth_;
};

}  // namespace gateway

#endif  // GATEWAY_SERVER_PAYOUT_SERVICE_H_
