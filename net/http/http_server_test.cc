// The listener's own limits (webhook and admin ports face the network): a cap on connections
// open at once, and bounded time to receive a request (slowloris).
#include "net/http/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace net::http {
namespace {

TEST(RequestTest, QueryParamDecodesFormEncodingAndTheFirstMatchWins) {
  ServerRequest request;
  request.query = "limit=2&starting%5Fafter=tr%5F1&q=a+b%20c&flag&limit=3&bad=%zz";
  EXPECT_EQ(request.QueryParam("limit"), "2");
  EXPECT_EQ(request.QueryParam("starting_after"), "tr_1");  // the name is decoded too
  EXPECT_EQ(request.QueryParam("q"), "a b c");              // '+' and %20 are spaces
  EXPECT_EQ(request.QueryParam("flag"), "");
  EXPECT_EQ(request.QueryParam("missing"), "");
  EXPECT_EQ(request.QueryParam("bad"), "%zz");  // a malformed escape is kept as sent
}

std::unique_ptr<HttpServer> StartServer(ServerOptions options) {
  options.tls = false;
  auto server = HttpServer::Start(options, [](const ServerRequest&, Responder responder) {
    responder.Send(ServerReply::Json(200, R"({"ok":true})"));
  });
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// True when the server has closed `fd` (EOF or reset) within `wait`; false if it is still open.
bool ClosedWithin(int fd, absl::Duration wait) {
  timeval timeout = absl::ToTimeval(wait);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  char byte;
  const ssize_t got = recv(fd, &byte, 1, 0);
  if (got == 0) return true;
  if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return true;  // reset
  return false;
}

// A request on `fd` and the first bytes of its answer ("" if none).
std::string Exchange(int fd) {
  const std::string request = "GET /x HTTP/1.1\r\nHost: t\r\n\r\n";
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) < 0) return "";
  timeval timeout = absl::ToTimeval(absl::Seconds(5));
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  char buffer[64];
  const ssize_t got = recv(fd, buffer, sizeof(buffer), 0);
  return got > 0 ? std::string(buffer, got) : "";
}

TEST(HttpServerLimitsTest, ConnectionsBeyondTheCapAreClosedAtOnce) {
  ServerOptions options;
  options.max_connections = 4;
  auto server = StartServer(options);
  ASSERT_NE(server, nullptr);
  std::vector<int> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(Connect(server->port()));
    ASSERT_GE(held.back(), 0);
  }
  // The first four are served; each of six more is closed by the server without a request.
  for (int fd : held) EXPECT_EQ(Exchange(fd).rfind("HTTP/1.1 200", 0), 0u);
  for (int i = 0; i < 6; ++i) {
    const int extra = Connect(server->port());
    ASSERT_GE(extra, 0);
    EXPECT_TRUE(ClosedWithin(extra, absl::Seconds(5))) << "connection " << 5 + i << " was kept";
    close(extra);
  }
  EXPECT_EQ(server->connections_refused(), 6);
  for (int fd : held) EXPECT_FALSE(ClosedWithin(fd, absl::Milliseconds(50)));
  // A freed slot is usable again.
  close(held.back());
  held.pop_back();
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  std::string answer;
  while (answer.empty() && absl::Now() < give_up) {
    const int again = Connect(server->port());
    answer = Exchange(again);
    close(again);
  }
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u);
  for (int fd : held) close(fd);
}

TEST(HttpServerLimitsTest, AHeaderSentAByteAtATimeIsCutOffAtTheHeaderLimit) {
  ServerOptions options;
  options.header_timeout = absl::Seconds(1);
  auto server = StartServer(options);
  ASSERT_NE(server, nullptr);
  const int fd = Connect(server->port());
  ASSERT_GE(fd, 0);
  // Slowloris: a byte every 200 ms; the header would take 8 s to arrive.
  const std::string header = "GET /x HTTP/1.1\r\nHost: t\r\nX-Slow: abcdefghijklmnopqrstuv\r\n";
  const absl::Time start = absl::Now();
  bool cut_off = false;
  for (char byte : header) {
    if (send(fd, &byte, 1, MSG_NOSIGNAL) < 0 || ClosedWithin(fd, absl::Milliseconds(200))) {
      cut_off = true;
      break;
    }
  }
  const absl::Duration took = absl::Now() - start;
  EXPECT_TRUE(cut_off) << "the whole slow header was accepted";
  EXPECT_LT(took, absl::Seconds(4));
  close(fd);
}

TEST(HttpServerLimitsTest, AnIdleConnectionIsClosedAfterTheIdleLimit) {
  ServerOptions options;
  options.idle_timeout = absl::Seconds(1);
  auto server = StartServer(options);
  ASSERT_NE(server, nullptr);
  const int fd = Connect(server->port());
  ASSERT_GE(fd, 0);
  EXPECT_TRUE(ClosedWithin(fd, absl::Seconds(5)));
  close(fd);
}

}  // namespace
}  // namespace net::http
