// payments.v1.AccountService on the gRPC callback API.
#ifndef GATEWAY_SERVER_ACCOUNT_SERVICE_H_
#define GATEWAY_SERVER_ACCOUNT_SERVICE_H_

#include "gateway/core/gateway_core.h"
#include "gateway/server/caller_auth.h"
#include "proto/payments/v1/account_service.grpc.pb.h"

namespace gateway {

class AccountService final : public payments::v1::AccountService::CallbackService {
 public:
  // `auth` may be null (every call is the anonymous caller).
  AccountService(GatewayCore* core, const CallerAuthenticator* auth) : core_(core), auth_(auth) {}

  grpc::ServerUnaryReactor* ListAccounts(grpc::CallbackServerContext* context,
                                         const payments::v1::ListAccountsRequest* request,
                                         payments::v1::ListAccountsResponse* response) override;
  grpc::ServerUnaryReactor* GetAccount(grpc::CallbackServerContext* context,
                                       const payments::v1::GetAccountRequest* request,
                                       payments::v1::Account* response) override;
  grpc::ServerUnaryReactor* CreateAccount(grpc::CallbackServerContext* context,
                                          const payments::v1::CreateAccountRequest* request,
                                          payments::v1::Account* response) override;
  grpc::ServerUnaryReactor* ListBanks(grpc::CallbackServerContext* context,
                                      const payments::v1::ListBanksRequest* request,
                                      payments::v1::ListBanksResponse* response) override;
  grpc::ServerUnaryReactor* RegisterCounterparty(
      grpc::CallbackServerContext* context,
      const payments::v1::RegisterCounterpartyRequest* request,
      payments::v1::RegisteredCounterparty* response) override;
  grpc::ServerUnaryReactor* ListCounterparties(
      grpc::CallbackServerContext* context, const payments::v1::ListCounterpartiesRequest* request,
      payments::v1::ListCounterpartiesResponse* response) override;
  grpc::ServerUnaryReactor* ListReceivedTransactions(
      grpc::CallbackServerContext* context,
      const payments::v1::ListReceivedTransactionsRequest* request,
      payments::v1::ListReceivedTransactionsResponse* response) override;
  grpc::ServerUnaryReactor* ValidateClabe(grpc::CallbackServerContext* context,
                                          const payments::v1::ValidateClabeRequest* request,
                                          payments::v1::ValidateClabeResponse* response) override;

 private:
  GatewayCore* core_;
  const CallerAuthenticator* auth_;
};

}  // namespace gateway

#endif  // GATEWAY_SERVER_ACCOUNT_SERVICE_H_
