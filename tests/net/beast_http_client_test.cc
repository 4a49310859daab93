// The client against a real HTTPS server on loopback (the sandbox's server, with a fresh test
// CA): keep-alive reuse, deadlines, certificate checks, retries, dropped connections.
#include "net/http/beast_http_client.h"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "gtest/gtest.h"
#include "sandbox/http/http_server.h"
#include "sandbox/tls/test_pki.h"

namespace net::http {
namespace {

std::string WriteTemp(const std::string& name, const std::string& content) {
  const std::string path = absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
  std::ofstream(path) << content;
  return path;
}

class BeastHttpClientTest : public testing::Test {
 protected:
  void SetUp() override {
    auto pki = sandbox::MakeTestPki("test CA", {"localhost"}, {"127.0.0.1"});
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = *pki;
    ca_file_ = WriteTemp("ca.pem", pki_.ca_cert_pem);
    sandbox::ServerOptions options;
    options.cert_pem = pki_.server_cert_pem;
    options.key_pem = pki_.server_key_pem;
    options.threads = 2;
    auto server = sandbox::HttpServer::Start(
        options, [this](const sandbox::ServerRequest& request, sandbox::Responder responder) {
          Handle(request, std::move(responder));
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  // /big answers 2 MiB; anything else counts the request and echoes an "x-attempt" header.
  void Handle(const sandbox::ServerRequest& request, sandbox::Responder responder) {
    const int n = ++handled_;
    if (request.path == "/big") {
      responder.Send(sandbox::ServerReply::Json(200, std::string(2 << 20, 'x')));
      return;
    }
    responder.Send(sandbox::ServerReply::Json(
        200, absl::StrCat(R"({"n":)", n, R"(,"attempt":")", request.Header("x-attempt"), "\"}")));
  }

  std::unique_ptr<BeastHttpClient> Client(BeastHttpClientOptions options = {}) {
    if (options.ca_file.empty()) options.ca_file = ca_file_;
    options.retry.initial_backoff = absl::Milliseconds(10);
    auto client = BeastHttpClient::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  HttpRequest Get(const std::string& path = "/ping") {
    HttpRequest request;
    request.url = absl::StrCat("https://127.0.0.1:", server_->port(), path);
    request.safe_to_retry = true;
    request.deadline = absl::Now() + absl::Seconds(10);
    return request;
  }

  HttpRequest Post(bool safe) {
    HttpRequest request = Get("/v1/transactions/money_out");
    request.method = "POST";
    request.body = R"({"amount":"1.95"})";
    request.headers = {{"Content-Type", "application/json"}};
    request.safe_to_retry = safe;
    return request;
  }

  sandbox::TestPki pki_;
  std::string ca_file_;
  std::unique_ptr<sandbox::HttpServer> server_;
  std::atomic<int> handled_{0};
};

TEST_F(BeastHttpClientTest, ManyRequestsReuseFewConnections) {
  BeastHttpClientOptions options;
  options.max_connections_per_origin = 2;
  options.io_threads = 2;
  auto client = Client(options);
  constexpr int kRequests = 300;
  absl::BlockingCounter pending(kRequests);
  std::atomic<int> ok{0};
  for (int i = 0; i < kRequests; ++i) {
    client->Send(Get(), [&](absl::StatusOr<HttpResponse> response) {
      if (response.ok() && response->status == 200) ++ok;
      pending.DecrementCount();
    });
  }
  pending.Wait();
  EXPECT_EQ(ok.load(), kRequests);
  const HttpClientStats stats = client->stats();
  EXPECT_EQ(stats.requests, kRequests);
  EXPECT_LE(stats.connections_opened, 2);         // TLS handshakes
  EXPECT_LE(server_->connections_accepted(), 2);  // as the server saw them
  EXPECT_EQ(stats.connection_reuses, kRequests - stats.connections_opened);
  EXPECT_EQ(stats.retries, 0);
  auto [open, idle] = client->PoolSizes(absl::StrCat("https://127.0.0.1:", server_->port()));
  EXPECT_LE(open, 2);
  EXPECT_EQ(open, idle);
}

TEST_F(BeastHttpClientTest, DeadlineClosesTheRequestAndSaysItMayHaveBeenSent) {
  sandbox::FaultPlan slow;
  slow.latency_ms = 3000;
  server_->SetFaults(slow);
  auto client = Client();
  HttpRequest request = Post(/*safe=*/true);
  request.deadline = absl::Now() + absl::Milliseconds(300);
  const absl::Time start = absl::Now();
  auto response = SendAndWait(*client, request);
  const absl::Duration took = absl::Now() - start;
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded) << response.status();
  EXPECT_TRUE(RequestMayHaveBeenSent(response.status()));
  EXPECT_GE(took, absl::Milliseconds(290));
  EXPECT_LT(took, absl::Seconds(2));
  EXPECT_EQ(client->stats().timeouts, 1);
  EXPECT_EQ(handled_.load(), 1);  // it did reach the server: an unknown outcome, not a failure
}

TEST_F(BeastHttpClientTest, ClientTimeoutAppliesWithoutACallerDeadline) {
  sandbox::FaultPlan slow;
  slow.latency_ms = 3000;
  server_->SetFaults(slow);
  BeastHttpClientOptions options;
  options.request_timeout = absl::Milliseconds(200);
  auto client = Client(options);
  HttpRequest request = Get();
  request.deadline = absl::InfiniteFuture();
  EXPECT_EQ(SendAndWait(*client, request).status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST_F(BeastHttpClientTest, AnotherCaIsRejectedAndNeverRetried) {
  auto other = sandbox::MakeTestPki("some other CA", {"localhost"}, {"127.0.0.1"});
  ASSERT_TRUE(other.ok());
  BeastHttpClientOptions options;
  options.ca_file = WriteTemp("other-ca.pem", other->ca_cert_pem);
  auto client = Client(options);
  auto response = SendAndWait(*client, Get());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(response.status().message().find("certificate verification failed"),
            absl::string_view::npos)
      << response.status();
  EXPECT_FALSE(RequestMayHaveBeenSent(response.status()));
  EXPECT_EQ(client->stats().attempts, 1);
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(BeastHttpClientTest, TheSystemStoreDoesNotTrustTheSandbox) {
  BeastHttpClientOptions options;
  auto client = BeastHttpClient::Create(options);  // no CA file: system store
  ASSERT_TRUE(client.ok());
  auto response = SendAndWait(**client, Get());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(BeastHttpClientTest, HostNameMustMatchTheCertificate) {
  // A certificate for "localhost" only: reaching it as 127.0.0.1 must fail, as localhost work.
  auto named = sandbox::MakeTestPki("named CA", {"localhost"}, {});
  ASSERT_TRUE(named.ok());
  sandbox::ServerOptions options;
  options.cert_pem = named->server_cert_pem;
  options.key_pem = named->server_key_pem;
  auto server = sandbox::HttpServer::Start(
      options, [](const sandbox::ServerRequest&, sandbox::Responder responder) {
        responder.Send(sandbox::ServerReply::Json(200, "{}"));
      });
  ASSERT_TRUE(server.ok());
  BeastHttpClientOptions client_options;
  client_options.ca_file = WriteTemp("named-ca.pem", named->ca_cert_pem);
  auto client = Client(client_options);
  HttpRequest by_ip = Get();
  by_ip.url = absl::StrCat("https://127.0.0.1:", (*server)->port(), "/");
  EXPECT_EQ(SendAndWait(*client, by_ip).status().code(), absl::StatusCode::kUnavailable);
  HttpRequest by_name = by_ip;
  by_name.url = absl::StrCat("https://localhost:", (*server)->port(), "/");
  auto response = SendAndWait(*client, by_name);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
}

TEST_F(BeastHttpClientTest, A503IsRetriedOnlyWhenSafe) {
  sandbox::FaultPlan once;
  once.fail_next = 1;
  server_->SetFaults(once);
  auto client = Client();
  auto unsafe = SendAndWait(*client, Post(/*safe=*/false));
  ASSERT_TRUE(unsafe.ok()) << unsafe.status();
  EXPECT_EQ(unsafe->status, 503);  // handed back as is: nobody may send it again blindly
  EXPECT_EQ(unsafe->attempts, 1);

  server_->SetFaults(once);
  auto safe = SendAndWait(*client, Post(/*safe=*/true));
  ASSERT_TRUE(safe.ok()) << safe.status();
  EXPECT_EQ(safe->status, 200);
  EXPECT_EQ(safe->attempts, 2);
  EXPECT_EQ(client->stats().retries, 1);
}

TEST_F(BeastHttpClientTest, RetriesAreBoundedAndRetryAfterIsHonoured) {
  sandbox::FaultPlan many;
  many.fail_next = 10;
  many.retry_after_s = 0;
  server_->SetFaults(many);
  BeastHttpClientOptions options;
  options.retry.max_attempts = 3;
  auto client = Client(options);
  auto response = SendAndWait(*client, Get());
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->attempts, 3);

  sandbox::FaultPlan wait_long;
  wait_long.fail_next = 1;
  wait_long.retry_after_s = 60;  // beyond max_retry_after: do not sit on the caller's time
  server_->SetFaults(wait_long);
  const absl::Time start = absl::Now();
  auto no_wait = SendAndWait(*client, Get());
  ASSERT_TRUE(no_wait.ok());
  EXPECT_EQ(no_wait->status, 503);
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));

  sandbox::FaultPlan wait_one;
  wait_one.fail_next = 1;
  wait_one.retry_after_s = 1;
  server_->SetFaults(wait_one);
  const absl::Time waited_start = absl::Now();
  auto waited = SendAndWait(*client, Get());
  ASSERT_TRUE(waited.ok());
  EXPECT_EQ(waited->status, 200);
  EXPECT_GE(absl::Now() - waited_start, absl::Milliseconds(990));
}

TEST_F(BeastHttpClientTest, EveryAttemptIsPreparedAfresh) {
  sandbox::FaultPlan once;
  once.fail_next = 1;
  server_->SetFaults(once);
  auto client = Client();
  HttpRequest request = Post(/*safe=*/true);
  int prepared = 0;
  request.prepare_attempt = [&prepared](HttpRequest& attempt) {
    ++prepared;
    attempt.headers.emplace_back("X-Attempt", absl::StrCat("signature-", prepared));
    return absl::OkStatus();
  };
  auto response = SendAndWait(*client, request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(prepared, 2);
  // The retry carried its own header; headers of one attempt do not leak into the next.
  EXPECT_NE(response->body.find("\"attempt\":\"signature-2\""), std::string::npos)
      << response->body;
}

TEST_F(BeastHttpClientTest, ConnectionDroppedAfterTheServerActedIsAnUnknownOutcome) {
  sandbox::FaultPlan drop;
  drop.drop_after_next = 1;
  server_->SetFaults(drop);
  auto client = Client();
  auto response = SendAndWait(*client, Post(/*safe=*/false));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable) << response.status();
  EXPECT_TRUE(RequestMayHaveBeenSent(response.status()));
  EXPECT_EQ(handled_.load(), 1);  // the operation happened; only the reply was lost
}

TEST_F(BeastHttpClientTest, DroppedConnectionIsRetriedWhenSafe) {
  sandbox::FaultPlan drop;
  drop.drop_before_next = 1;
  server_->SetFaults(drop);
  auto client = Client();
  auto response = SendAndWait(*client, Post(/*safe=*/true));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->attempts, 2);
  EXPECT_EQ(handled_.load(), 1);
}

TEST_F(BeastHttpClientTest, AServerClosedIdleConnectionIsReplacedWithoutFailing) {
  auto client = Client();
  sandbox::FaultPlan close;
  close.close_after_reply_next = 1;
  server_->SetFaults(close);
  ASSERT_TRUE(SendAndWait(*client, Get()).ok());
  absl::SleepFor(absl::Milliseconds(50));  // the server's FIN arrives while the connection idles
  auto second = SendAndWait(*client, Post(/*safe=*/false));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(client->stats().connections_opened, 2);
  EXPECT_GE(client->stats().stale_connections, 1);
  EXPECT_EQ(client->stats().retries, 0);
}

TEST_F(BeastHttpClientTest, OversizedResponseIsAnErrorNotACrash) {
  BeastHttpClientOptions options;
  options.max_response_bytes = 1 << 20;
  auto client = Client(options);
  auto response = SendAndWait(*client, Get("/big"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDataLoss) << response.status();
  // The client still works afterwards.
  auto next = SendAndWait(*client, Get());
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->status, 200);
}

TEST_F(BeastHttpClientTest, PlainHttpIsRefusedUnlessAllowed) {
  auto client = Client();
  HttpRequest request = Get();
  request.url = "http://127.0.0.1:1/";
  auto response = SendAndWait(*client, request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BeastHttpClientTest, ConnectionRefusedIsUnavailableAndNotSent) {
  auto client = Client();
  HttpRequest request = Get();
  request.url = "https://127.0.0.1:1/";  // nothing listens on port 1
  auto response = SendAndWait(*client, request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(RequestMayHaveBeenSent(response.status()));
  EXPECT_EQ(client->stats().attempts, 3);  // a GET is safe: retried within the bound
}

// During a process's shutdown adapters may still call a client whose threads are gone: they get
// a clean UNAVAILABLE, inline, and nothing is sent.
TEST_F(BeastHttpClientTest, AfterShutdownRequestsAreRefusedWithoutBeingSent) {
  auto client = Client();
  ASSERT_TRUE(SendAndWait(*client, Get()).ok());
  client->Shutdown();
  client->Shutdown();  // idempotent
  const int handled_before = handled_.load();
  bool answered = false;
  absl::Status status;
  client->Send(Post(/*safe=*/true), [&](absl::StatusOr<HttpResponse> response) {
    answered = true;
    status = response.status();
  });
  EXPECT_TRUE(answered);  // inline: no thread is left to answer later
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(RequestMayHaveBeenSent(status));
  EXPECT_EQ(handled_.load(), handled_before);
}

// A stopped server's port refuses connections at once: a peer must not be accepted into a
// backlog nobody serves and hang until its own timeout.
TEST_F(BeastHttpClientTest, AStoppedServerRefusesConnectionsAtOnce) {
  const int port = server_->port();
  server_->Stop();
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)},
                 ec);
  EXPECT_EQ(ec, boost::asio::error::connection_refused) << ec.message();
}

// Connections already open when the server stops are closed, not left to the peer's timeout.
TEST_F(BeastHttpClientTest, AStoppedServerClosesItsOpenConnections) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect(
      {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(server_->port())},
      ec);
  ASSERT_FALSE(ec) << ec.message();
  // Accepted once the server counts it (it then waits for a TLS handshake that never comes).
  for (int i = 0; i < 200 && server_->connections_accepted() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(server_->connections_accepted(), 1);
  server_->Stop();
  char byte;
  const absl::Time start = absl::Now();
  socket.read_some(boost::asio::buffer(&byte, 1), ec);  // blocks until the server closes
  EXPECT_TRUE(ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset)
      << ec.message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

// A server that answers every request with bytes that are not HTTP.
TEST_F(BeastHttpClientTest, MalformedResponseIsAnErrorNotACrash) {
  namespace net = boost::asio;
  namespace beast = boost::beast;
  net::io_context io;
  net::ssl::context tls(net::ssl::context::tls_server);
  tls.use_certificate_chain(net::buffer(pki_.server_cert_pem));
  tls.use_private_key(net::buffer(pki_.server_key_pem), net::ssl::context::pem);
  net::ip::tcp::acceptor acceptor(io, {net::ip::make_address("127.0.0.1"), 0});
  const int port = acceptor.local_endpoint().port();
  std::thread garbage([&] {
    net::ip::tcp::socket socket(io);
    acceptor.accept(socket);
    beast::ssl_stream<net::ip::tcp::socket> stream(std::move(socket), tls);
    beast::error_code ec;
    stream.handshake(net::ssl::stream_base::server, ec);
    char buffer[4096];
    stream.read_some(net::buffer(buffer), ec);
    net::write(stream,
               net::buffer(std::string("HTTP/1.1 200 OK\r\nContent-Length: banana\r\n\r\n")), ec);
    stream.shutdown(ec);
  });
  auto client = Client();
  HttpRequest request = Post(/*safe=*/false);
  request.url = absl::StrCat("https://127.0.0.1:", port, "/");
  auto response = SendAndWait(*client, request);
  garbage.join();
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDataLoss) << response.status();
  EXPECT_TRUE(RequestMayHaveBeenSent(response.status()));
}

}  // namespace
}  // namespace net::http
