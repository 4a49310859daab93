// Provider webhooks in: an HTTP listener on its own port (TLS optional: in Kubernetes it
// usually sits behind an ingress) with one route per linked provider that has one
// (gateway/webhooks/webhook_routes.h), e.g.
//   POST /webhooks/fintoc   Fintoc-Signature (HMAC-SHA256, tolerance, rotation)
//   POST /webhooks/monato   Authorization: Bearer <registered token>; status and money in
//                           re-read from Monato before they are believed
// Answers (docs/webhooks.md): 201 money recorded, 200 other events handled, 422 money refused
// on purpose, 400 malformed, 401 unauthenticated, 409 redelivered while still being applied,
// 503 not applied (the event id is released so the redelivery is).
// Nothing changes until a request is verified. Verified events are deduplicated by the
// provider's event id (through the idempotency store, so every replica agrees), applied to the
// payout record (monotonic), and published to WatchPayouts.
#ifndef GATEWAY_WEBHOOKS_WEBHOOK_SERVICE_H_
#define GATEWAY_WEBHOOKS_WEBHOOK_SERVICE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/core/payout_engine.h"
#include "idempotency/store_executor.h"
#include "net/http/http_server.h"
#include "providers/registration/provider_registration.h"

namespace gateway {

// One provider's path on the listener and how its requests are authenticated and translated.
struct WebhookRoute {
  std::string provider;  // its name: the metrics label of its events
  std::string path;      // "/webhooks/<provider>"
  providers::WebhookVerifier verify;
};

struct WebhookOptions {
  std::string address = "127.0.0.1";
  int port = 8081;           // 0: any free port
  std::string tls_cert_pem;  // both empty: plain HTTP
  std::string tls_key_pem;
  std::vector<WebhookRoute> routes;  // unknown paths: 404
  size_t max_body_bytes = 64 * 1024;
  // Connections open at once (more are closed on accept) and the time a request's header may
  // take once it started (slowloris); see net/http/http_server.h.
  int max_connections = 256;
  absl::Duration header_timeout = absl::Seconds(10);
};

struct WebhookCounters {
  std::atomic<int64_t> applied{0};            // verified, new, and applied to a payout
  std::atomic<int64_t> duplicates{0};         // verified, seen before: nothing changed
  std::atomic<int64_t> not_ours{0};           // verified, but about no payout of this gateway
  std::atomic<int64_t> money_in{0};           // verified incoming money, recorded (201)
  std::atomic<int64_t> money_in_rejected{0};  // money in the provider's read contradicts (422)
  std::atomic<int64_t> in_flight{0};          // redelivered while the first is being applied (409)
  std::atomic<int64_t> unavailable{0};        // not confirmed or not stored: 503, id released
  std::atomic<int64_t> rejected_auth{0};      // unsigned, badly signed, stale, wrong token
  std::atomic<int64_t> rejected_malformed{0};
  std::atomic<int64_t> rejected_oversized{0};  // refused by the server before any parsing
};

class WebhookService {
 public:
  static absl::StatusOr<std::unique_ptr<WebhookService>> Start(WebhookOptions options,
                                                               PayoutEngine* engine,
                                                               idempotency::StoreExecutor* store);
  ~WebhookService();
  void Stop();

  int port() const { return server_->port(); }
  const WebhookCounters& counters() const { return counters_; }

 private:
  WebhookService(WebhookOptions options, PayoutEngine* engine, idempotency::StoreExecutor* store);
  void Handle(const net::http::ServerRequest& request, net::http::Responder responder);
  // A claimed event id and the request to answer: Finish stores the answer with the id (a
  // redelivery is answered the same); Retry gives the id back and answers 503.
  struct Handled {
    WebhookService* service;
    idempotency::ClaimRequest claim;
    net::http::Responder responder;
    void Finish(int status, absl::string_view message) const;
    void Retry() const;
  };
  // Dedupe, then apply; answers the provider when done.
  void Accept(const providers::WebhookEvent& event, const std::string& body,
              net::http::Responder responder);
  // Money in: confirmed by reading it back when the provider signs nothing, then recorded.
  void AcceptMoneyIn(const providers::WebhookEvent& event, Handled handled);
  void RejectMoneyIn(const providers::WebhookEvent& event, absl::string_view why, Handled handled);
  // Names the account it came into (finding it by number when the event gives only that).
  void RecordMoneyIn(const providers::WebhookEvent& event, Handled handled);
  void SaveMoneyIn(const providers::WebhookEvent& event, payments::v1::ReceivedTransaction received,
                   Handled handled);

  const WebhookOptions options_;
  PayoutEngine* engine_;
  idempotency::StoreExecutor* store_;
  WebhookCounters counters_;
  std::unique_ptr<net::http::HttpServer> server_;
};

}  // namespace gateway

#endif  // GATEWAY_WEBHOOKS_WEBHOOK_SERVICE_H_
