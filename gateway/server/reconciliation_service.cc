#include "gateway/server/reconciliation_service.h"

#include "gateway/reconciliation/reconcile_call.h"
#include "gateway/server/call_context.h"

namespace gateway {

grpc::ServerUnaryReactor* ReconciliationService::Reconcile(
    grpc::CallbackServerContext* context, const payments::v1::ReconcileRequest* request,
    payments::v1::ReconciliationReport* response) {
  auto* reactor = context->DefaultReactor();
  auto call = Authorize(*context, auth_, reactor);
  if (!call) return reactor;
  if (runner_ == nullptr) {
    reactor->Finish(
        grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "this server runs no reconciliation"));
    return reactor;
  }
  gateway::Reconcile(runner_, core_->policies(), *request, *call, FinishUnary(reactor, response));
  return reactor;
}

}  // namespace gateway
