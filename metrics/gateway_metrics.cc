#include "metrics/gateway_metrics.h"

namespace metrics {
namespace {

GatewayMetrics* Create() {
  auto* m = new GatewayMetrics();
  Registry& r = m->registry;
  m->grpc_server_handled =
      r.AddCounter("grpc_server_handled_total", "RPCs completed on the server, by status code.",
                   {"grpc_type", "grpc_service", "grpc_method", "grpc_code"});
  m->grpc_server_handling_seconds = r.AddHistogram(
      "grpc_server_handling_seconds", "Time from an RPC's start to its status, in seconds.",
      {"grpc_type", "grpc_service", "grpc_method"}, LatencyBuckets());
  m->provider_requests =
      r.AddCounter("gateway_provider_requests_total",
                   "Calls to a provider adapter, by operation and outcome (gRPC code name).",
                   {"provider", "operation", "outcome"});
  m->provider_request_seconds = r.AddHistogram(
      "gateway_provider_request_seconds", "Provider call latency, retries included, in seconds.",
      {"provider", "operation"}, LatencyBuckets());
  m->token_refreshes =
      r.AddCounter("gateway_provider_token_refreshes_total",
                   "Bearer tokens fetched from a provider.", {"provider", "outcome"});
  m->jws_signatures =
      r.AddCounter("gateway_jws_signatures_total", "JWS signatures made for provider requests.",
                   {"provider", "outcome"});
  m->idempotency_claims =
      r.AddCounter("gateway_idempotency_claims_total",
                   "Idempotency key claims by result: new, taken_over, replay, conflict, in_use.",
                   {"operation", "result"});
  m->webhook_events =
      r.AddCounter("gateway_webhook_events_total", "Webhook deliveries by provider and result.",
                   {"provider", "result"});
  m->payout_transitions =
      r.AddCounter("gateway_payouts_total",
                   "Payouts this replica recorded entering a status (PENDING, SUCCEEDED, ...).",
                   {"provider", "status"});
  m->resolver_attempts = r.AddCounter(
      "gateway_resolver_attempts_total",
      "Resolver re-asks about unsettled payouts by result: resolved, still_unknown, error, "
      "refused, needs_reconciliation, found_by_reference.",
      {"provider", "result"});
  m->provider_connections = r.AddGauge(
      "gateway_provider_connections",
      "HTTPS connections to a provider: open, and idle in the pool.", {"provider", "state"});
  m->credential_reloads = r.AddCounter(
      "gateway_credential_reloads_total",
      "Rotated secret files applied without a restart (refused: the old ones stay in use).",
      {"credentials", "outcome"});
  m->provider_connects = r.AddCounter(
      "gateway_provider_tls_handshakes_total",
      "Connections opened to a provider (TCP connect + TLS handshake); reuses are not counted.",
      {"provider"});
  m->store_operations = r.AddCounter(
      "gateway_store_operations_total",
      "Gateway store calls (each one a round trip or a transaction), by operation and outcome.",
      {"operation", "outcome"});
  m->store_operation_seconds = r.AddHistogram(
      "gateway_store_operation_seconds",
      "Gateway store call latency (disk flushes included), in seconds.", {"operation"},
      // Store calls take from tens of microseconds to a few disk flushes.
      {absl::Microseconds(100), absl::Microseconds(250), absl::Microseconds(500),
       absl::Milliseconds(1), absl::Milliseconds(2.5), absl::Milliseconds(5),
       absl::Milliseconds(10), absl::Milliseconds(25), absl::Milliseconds(100), absl::Seconds(1)});
  m->policy_refusals = r.AddCounter(
      "gateway_policy_refusals_total",
      "Requests refused by the caller's policy: operation_not_allowed, account_not_allowed, "
      "currency_not_allowed, amount_above_maximum, limit_reached.",
      {"reason"});
  m->caller_limit_used = r.AddGauge(
      "gateway_caller_limit_used",
      "What a caller's rolling limit holds (minor units or payouts) in the window of its most "
      "recent payout.",
      {"caller", "limit", "unit"});
  m->caller_limit_allowed =
      r.AddGauge("gateway_caller_limit_allowed",
                 "The most a caller's rolling limit allows (minor units or payouts).",
                 {"caller", "limit", "unit"});
  return m;
}

}  // namespace

GatewayMetrics& Metrics() {
  static GatewayMetrics* metrics = Create();  // never destroyed: used until the process exits
  return *metrics;
}

}  // namespace metrics
