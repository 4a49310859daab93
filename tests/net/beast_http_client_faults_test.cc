// The client against a hand-written TLS server that misbehaves in ways the sandbox's server
// cannot: a reply followed by bytes nobody asked for, a listener that goes away between two
// attempts. And the TLS peer identity it sets before every handshake.
#include <openssl/ssl.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "net/http/beast_http_client.h"
#include "net/http/connection.h"
#include "sandbox/tls/test_pki.h"

namespace net::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using Stream = beast::ssl_stream<net::ip::tcp::socket>;

// Serves one script per accepted connection, in order, on a thread of its own.
class RawTlsServer {
 public:
  using Script = std::function<void(Stream&, RawTlsServer&)>;

  RawTlsServer(const sandbox::TestPki& pki, std::vector<Script> scripts)
      : tls_(net::ssl::context::tls_server),
        acceptor_(io_, {net::ip::make_address("127.0.0.1"), 0}) {
    tls_.use_certificate_chain(net::buffer(pki.server_cert_pem));
    tls_.use_private_key(net::buffer(pki.server_key_pem), net::ssl::context::pem);
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this, scripts = std::move(scripts)] {
      for (const Script& script : scripts) {
        net::ip::tcp::socket socket(io_);
        beast::error_code ec;
        acceptor_.accept(socket, ec);
        if (ec || stopping_) break;
        Stream stream(std::move(socket), tls_);
        stream.handshake(net::ssl::stream_base::server, ec);
        if (ec) break;
        ++accepted_;
        script(stream, *this);
      }
      CloseListener();
    });
  }

  ~RawTlsServer() {
    stopping_ = true;
    if (listening_) {  // wake a blocking accept() that no client will ever complete
      net::io_context io;
      net::ip::tcp::socket poke(io);
      beast::error_code ignored;
      poke.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)},
                   ignored);
    }
    thread_.join();
  }

  int port() const { return port_; }
  int accepted() const { return accepted_.load(); }
  // From a script: later connections are refused (nothing listens on the port any more).
  void CloseListener() {
    beast::error_code ignored;
    acceptor_.close(ignored);
    listening_ = false;
  }

  static bool ReadRequest(Stream& stream) {
    beast::flat_buffer buffer;
    beast::http::request<beast::http::string_body> request;
    beast::error_code ec;
    beast::http::read(stream, buffer, request, ec);
    return !ec;
  }
  static void Write(Stream& stream, const std::string& bytes) {
    beast::error_code ignored;
    net::write(stream, net::buffer(bytes), ignored);
  }
  // Keeps the connection until the client closes it (or sends another request).
  static void AwaitClose(Stream& stream) { ReadRequest(stream); }

 private:
  net::io_context io_;
  net::ssl::context tls_;
  net::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> listening_{true};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

class BeastHttpClientFaultsTest : public testing::Test {
 protected:
  void SetUp() override {
    auto pki = sandbox::MakeTestPki("faults CA", {"localhost"}, {"127.0.0.1"});
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = *pki;
    ca_file_ = absl::StrCat(std::getenv("TEST_TMPDIR"), "/faults-ca.pem");
    std::ofstream(ca_file_) << pki_.ca_cert_pem;
  }

  std::unique_ptr<BeastHttpClient> Client() {
    BeastHttpClientOptions options;
    options.ca_file = ca_file_;
    options.retry.max_attempts = 3;
    options.retry.initial_backoff = absl::Milliseconds(10);
    auto client = BeastHttpClient::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  static HttpRequest Request(int port, const std::string& method, bool safe) {
    HttpRequest request;
    request.method = method;
    request.url = absl::StrCat("https://127.0.0.1:", port, "/v2/transfers");
    if (method == "POST") request.body = R"({"amount":50000})";
    request.safe_to_retry = safe;
    request.deadline = absl::Now() + absl::Seconds(10);
    return request;
  }

  sandbox::TestPki pki_;
  std::string ca_file_;
};

// A reply followed by more bytes (a second, unasked-for response) leaves them in the
// connection's buffer: the next request on it would read them as its own answer.
TEST_F(BeastHttpClientFaultsTest, AConnectionWithUnreadBytesIsNeverPooled) {
  RawTlsServer server(
      pki_, {[](Stream& stream, RawTlsServer&) {
               if (!RawTlsServer::ReadRequest(stream)) return;
               RawTlsServer::Write(stream,
                                   "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                                   "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled");
               RawTlsServer::AwaitClose(stream);
             },
             [](Stream& stream, RawTlsServer&) {
               if (!RawTlsServer::ReadRequest(stream)) return;
               RawTlsServer::Write(stream, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");
               RawTlsServer::AwaitClose(stream);
             }});
  auto client = Client();
  auto first = SendAndWait(*client, Request(server.port(), "GET", true));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->body, "ok");
  EXPECT_EQ(client->PoolSizes(absl::StrCat("https://127.0.0.1:", server.port())).second, 0);

  auto second = SendAndWait(*client, Request(server.port(), "GET", true));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->body, "fresh");  // not "smuggled"
  EXPECT_EQ(client->stats().connections_opened, 2);
  EXPECT_EQ(client->stats().connection_reuses, 0);
}

// Attempt 1 reaches the server and is answered 503; the listener is then gone, so the retries
// fail before writing a byte. The first attempt may have been acted on: the final error must
// say so, or a caller would release its key and send the money again.
TEST_F(BeastHttpClientFaultsTest, AnEarlierAttemptThatWroteMarksAFinalErrorBeforeWriting) {
  RawTlsServer server(pki_, {[](Stream& stream, RawTlsServer& self) {
                        if (!RawTlsServer::ReadRequest(stream)) return;
                        self.CloseListener();
                        RawTlsServer::Write(stream,
                                            "HTTP/1.1 503 Service Unavailable\r\nConnection: "
                                            "close\r\nContent-Length: 0\r\n\r\n");
                      }});
  auto client = Client();
  auto response = SendAndWait(*client, Request(server.port(), "POST", /*safe=*/true));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable) << response.status();
  EXPECT_TRUE(RequestMayHaveBeenSent(response.status())) << response.status();
  EXPECT_EQ(client->stats().attempts, 3);
  EXPECT_EQ(server.accepted(), 1);
}

// The same when attempt 1 lost its connection after writing (no reply at all).
TEST_F(BeastHttpClientFaultsTest, ALostAttemptStaysMarkedAfterRetriesThatCouldNotConnect) {
  RawTlsServer server(pki_, {[](Stream& stream, RawTlsServer& self) {
                        if (!RawTlsServer::ReadRequest(stream)) return;
                        self.CloseListener();
                        beast::error_code ignored;
                        stream.next_layer().close(ignored);  // cut off: no reply
                      }});
  auto client = Client();
  auto response = SendAndWait(*client, Request(server.port(), "POST", /*safe=*/true));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable) << response.status();
  EXPECT_TRUE(RequestMayHaveBeenSent(response.status())) << response.status();
  EXPECT_EQ(client->stats().attempts, 3);
}

// Nothing was written by any attempt: the error says so, and the caller may safely report a
// definite failure.
TEST_F(BeastHttpClientFaultsTest, NoAttemptWroteSoTheErrorIsNotMarked) {
  int port = 0;
  {
    RawTlsServer gone(pki_, {});
    port = gone.port();
  }
  auto client = Client();
  auto response = SendAndWait(*client, Request(port, "POST", /*safe=*/true));
  ASSERT_FALSE(response.ok());
  EXPECT_FALSE(RequestMayHaveBeenSent(response.status())) << response.status();
}

// Header names and values are written as they are: a CR or LF in one would end the header
// block and start a request of the caller's making. Such a request is refused, unsent.
TEST_F(BeastHttpClientFaultsTest, HeadersThatCouldSplitTheRequestAreRefusedUnsent) {
  RawTlsServer server(pki_, {[](Stream& stream, RawTlsServer&) {
                        if (!RawTlsServer::ReadRequest(stream)) return;
                        RawTlsServer::Write(stream, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
                      }});
  auto client = Client();
  std::vector<HttpRequest> bad;
  for (const Headers& headers :
       {Headers{{"Idempotency-Key", "k\r\n\r\nPOST /v2/transfers/return HTTP/1.1"}},
        Headers{{"Authorization", "sk_test_x\nX-Injected: 1"}},
        Headers{{"X-Null", std::string("a\0b", 3)}}, Headers{{"Bad Name", "v"}},
        Headers{{"X-Split\r\nInjected", "v"}}, Headers{{"", "v"}}}) {
    HttpRequest request = Request(server.port(), "POST", /*safe=*/true);
    request.headers = headers;
    bad.push_back(request);
  }
  HttpRequest bad_method = Request(server.port(), "POST", true);
  bad_method.method = "GET /x HTTP/1.1\r\n";
  bad.push_back(bad_method);
  HttpRequest signed_badly = Request(server.port(), "POST", true);
  signed_badly.prepare_attempt = [](HttpRequest& attempt) {
    attempt.headers.emplace_back("Fintoc-JWS-Signature", "sig\r\nX: 1");
    return absl::OkStatus();
  };
  bad.push_back(signed_badly);
  for (const HttpRequest& request : bad) {
    auto response = SendAndWait(*client, request);
    EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument) << response.status();
    EXPECT_FALSE(RequestMayHaveBeenSent(response.status()));
  }
  EXPECT_EQ(server.accepted(), 0);
  EXPECT_EQ(client->stats().connections_opened, 0);
}

// The expected peer is set before every handshake; failing to set it is an error, never a
// connection that goes on without checking the certificate's name.
TEST(ExpectedPeerTest, AHostTheCheckCannotBeSetForIsAnError) {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  ASSERT_NE(context, nullptr);
  for (const char* good : {"127.0.0.1", "::1", "localhost", "api.fintoc.com"}) {
    SSL* ssl = SSL_new(context);
    EXPECT_TRUE(SetExpectedPeer(ssl, good).ok()) << good;
    SSL_free(ssl);
  }
  // An IPv6 literal with a zone: Asio reads it as an address, OpenSSL cannot match on it.
  SSL* ssl = SSL_new(context);
  const absl::Status zone = SetExpectedPeer(ssl, "fe80::1%1");
  EXPECT_FALSE(zone.ok());
  EXPECT_FALSE(RequestMayHaveBeenSent(zone));
  SSL_free(ssl);
  SSL_CTX_free(context);
}

}  // namespace
}  // namespace net::http
