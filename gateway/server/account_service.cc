#include "gateway/server/account_service.h"

#include "gateway/server/call_context.h"

namespace gateway {

grpc::ServerUnaryReactor* AccountService::ListAccounts(
    grpc::CallbackServerContext* context, const payments::v1::ListAccountsRequest* request,
    payments::v1::ListAccountsResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto call = Authorize(*context, auth_, reactor);
  if (!call) return reactor;
  core_->ListAccounts(*request, *call, FinishUnary(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* AccountService::GetAccount(grpc::CallbackServerContext* context,
                                                     const payments::v1::GetAccountRequest* request,
                                                     payments::v1::Account* response) {
  auto* reactor = context->DefaultReactor();
  auto call = Authorize(*context, auth_, reactor);
  if (!call) return reactor;
  core_->GetAccount(*request, *call, FinishUnary(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* AccountService::CreateAccount(
    grpc::CallbackServerContext* context, const payments::v1::CreateAccountRequest* request,
    payments::v1::Account* response) {
  auto* reactor = context->DefaultReactor();
  auto call = Authorize(*context, auth_, reactor);
  if (!call) return reactor;
  core_->CreateAccount(*request, *call, FinishUnary(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* AccountService::ListBanks(grpc::CallbackServerContext* context,
                                                    const payments::v1::ListBanksRequest* request,
                                                    payments::v1::ListBanksResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto call = Authorize(*context, auth_, reactor);
  if (!call) return reactor;
  core_->ListBanks(*request, *call, FinishUnary(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* AccountService::RegisterCounterparty(
    grpc::CallbackServerContext* context, const payments::v1::RegisterCounterpartyRequest* request,
    payments::v1::RegisteredCounterparty* response) {
  auto* reactor = context->DefaultReactor();
  auto call = Authorize(*context, auth_, reactor);
  if (!call) return reactor;
  core_->RegisterCounterparty(*request, *call, FinishUnary(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* AccountService::ListCounterparties(
    grpc::CallbackServerContext* context, const payments::v1::ListCounterpartiesRequest* request,
    payments::v1::ListCounterpartiesResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto call = Authorize(*context, auth_, reactor);
  if (!call) return reactor;
  core_->ListCounterparties(*request, *call, FinishUnary(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* AccountService::ListReceivedTransactions(
    grpc::CallbackServerContext* context,
    const payments::v1::ListReceivedTransactionsRequest* request,
    payments::v1::ListReceivedTransactionsResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto call = Authorize(*context, auth_, reactor);
  if (!call) return reactor;
  core_->ListReceivedTransactions(*request, *call, FinishUnary(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* AccountService::ValidateClabe(
    grpc::CallbackServerContext* context, const payments::v1::ValidateClabeRequest* request,
    payments::v1::ValidateClabeResponse* response) {
  auto* reactor = context->DefaultReactor();
  if (!Authorize(*context, auth_, reactor)) return reactor;
  *response = core_->ValidateClabe(*request);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace gateway
