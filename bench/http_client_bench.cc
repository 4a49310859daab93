// Requests per second of the provider HTTPS client against the sandbox's HTTPS server on
// loopback: over one kept-alive connection, and with a new connection (TCP + TLS handshake)
// per request. Both phases run in the same process, back to back, so their ratio is
// meaningful on a shared machine even when the absolute numbers drift.
//
//   bazel run -c opt //bench:http_client_bench -- --requests=3000 --concurrency=1
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "net/http/beast_http_client.h"
#include "sandbox/http/http_server.h"
#include "sandbox/tls/test_pki.h"

ABSL_FLAG(int, requests, 3000, "Requests per phase.");
ABSL_FLAG(int, concurrency, 1, "Requests in flight at once (and pool size).");

namespace {

using net::http::BeastHttpClient;
using net::http::HttpClientStats;
using net::http::HttpRequest;
using net::http::HttpResponse;

struct Phase {
  double requests_per_second = 0;
  int64_t handshakes = 0;
  int errors = 0;
};

// Runs `total` requests keeping `concurrency` in flight.
Phase Run(BeastHttpClient& client, const std::string& url, int total, int concurrency,
          bool new_connection_each) {
  const HttpClientStats before = client.stats();
  std::atomic<int> started{0};
  std::atomic<int> errors{0};
  absl::BlockingCounter finished(total);
  std::function<void()> next = [&] {
    if (started.fetch_add(1) >= total) return;
    HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.body = R"({"amount":"1.95","currency":"MXN"})";
    request.headers = {{"Content-Type", "application/json"}};
    if (new_connection_each) request.headers.emplace_back("Connection", "close");
    client.Send(std::move(request), [&](absl::StatusOr<HttpResponse> response) {
      if (!response.ok() || response->status != 200) ++errors;
      finished.DecrementCount();
      next();
    });
  };
  const absl::Time start = absl::Now();
  for (int i = 0; i < concurrency; ++i) next();
  finished.Wait();
  const absl::Duration took = absl::Now() - start;
  Phase phase;
  phase.requests_per_second = total / absl::ToDoubleSeconds(took);
  phase.handshakes = client.stats().connections_opened - before.connections_opened;
  phase.errors = errors.load();
  return phase;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int total = absl::GetFlag(FLAGS_requests);
  const int concurrency = std::max(1, absl::GetFlag(FLAGS_concurrency));

  auto pki = sandbox::MakeTestPki("bench CA", {"localhost"}, {"127.0.0.1"});
  if (!pki.ok()) return 1;
  const std::string ca_path = "/tmp/http_client_bench_ca.pem";
  std::ofstream(ca_path) << pki->ca_cert_pem;
  sandbox::ServerOptions server_options;
  server_options.cert_pem = pki->server_cert_pem;
  server_options.key_pem = pki->server_key_pem;
  auto server = sandbox::HttpServer::Start(
      server_options, [](const sandbox::ServerRequest&, sandbox::Responder responder) {
        responder.Send(
            sandbox::ServerReply::Json(200, R"({"id":"tx","transactionStatus":"INITIALIZED"})"));
      });
  if (!server.ok()) return 1;

  net::http::BeastHttpClientOptions options;
  options.ca_file = ca_path;
  options.max_connections_per_origin = concurrency;
  auto client = BeastHttpClient::Create(options);
  if (!client.ok()) return 1;
  const std::string url =
      absl::StrCat("https://127.0.0.1:", (*server)->port(), "/v1/transactions/money_out");

  Run(**client, url, std::min(total, 200), concurrency, false);  // warm-up
  const Phase kept = Run(**client, url, total, concurrency, false);
  const Phase fresh = Run(**client, url, total, concurrency, true);

  std::printf("HTTPS client, %d requests per phase, %d in flight, 1 server thread, loopback\n",
              total, concurrency);
  std::printf("  kept-alive connections : %9.0f req/s  (%lld new TLS handshakes, %d errors)\n",
              kept.requests_per_second, static_cast<long long>(kept.handshakes), kept.errors);
  std::printf("  new connection each    : %9.0f req/s  (%lld new TLS handshakes, %d errors)\n",
              fresh.requests_per_second, static_cast<long long>(fresh.handshakes), fresh.errors);
  std::printf("  keep-alive / new-connection ratio: %.1fx\n",
              kept.requests_per_second / fresh.requests_per_second);
  return kept.errors + fresh.errors == 0 ? 0 : 1;
}
