// The gateway's metrics, in one process-wide registry (as Prometheus client libraries keep
// theirs): the conventional gRPC server metrics and the gateway's own. Served by the admin
// endpoint (server.admin_listen_address) at /metrics.
#ifndef METRICS_GATEWAY_METRICS_H_
#define METRICS_GATEWAY_METRICS_H_

#include "metrics/registry.h"

namespace metrics {

struct GatewayMetrics {
  Registry registry;

  // grpc_type, grpc_service, grpc_method, grpc_code (go-grpc-prometheus names).
  Counter* grpc_server_handled;
  // grpc_type, grpc_service, grpc_method.
  Histogram* grpc_server_handling_seconds;
  // provider, operation (the Provider interface method), outcome (a gRPC code name).
  Counter* provider_requests;
  Histogram* provider_request_seconds;  // provider, operation
  Counter* token_refreshes;             // provider, outcome (ok | error)
  Counter* jws_signatures;              // provider, outcome (ok | error)
  // operation, result: new | taken_over | replay | conflict | in_use.
  Counter* idempotency_claims;
  Counter* webhook_events;  // provider, result (applied | duplicate | rejected | ...)
  Counter* payout_transitions;
  // provider, result (resolved | still_unknown | error | refused | needs_reconciliation |
  // found_by_reference):
  // what the resolver's re-asks about unsettled payouts learned.
  Counter* resolver_attempts;   // provider, status: payouts this replica moved to a status
  Counter* credential_reloads;  // credentials (server.callers, ...), outcome (ok | refused)
  Gauge* provider_connections;  // provider, state (open | idle): HTTPS connections in the pool
  Counter* provider_connects;   // provider: TCP connects and TLS handshakes to the provider
  // operation (the GatewayStore method), outcome (a gRPC code name).
  Counter* store_operations;
  Histogram* store_operation_seconds;  // operation
  // reason: operation_not_allowed | account_not_allowed | currency_not_allowed |
  // amount_above_maximum | limit_reached.
  Counter* policy_refusals;
  // caller, limit, unit (minor | count): a caller's rolling limits (docs/policies.md), set after
  // each approved payout and each refusal. For per-account and per-destination limits the value
  // is the window of the most recent payout's account or destination. Caller and limit names
  // come from the policies file, never from a request, so the label sets stay bounded.
  Gauge* caller_limit_used;
  Gauge* caller_limit_allowed;
};

GatewayMetrics& Metrics();

}  // namespace metrics

#endif  // METRICS_GATEWAY_METRICS_H_
