// The webhook listener's HTTP server (net/http/http_server.cc) faces the internet: any
// bytes on a connection must end in replies or a closed connection, never a crash or a hang.
// Beast's parser is driven inside the server's session, so the input is written to a real
// server on loopback (plain HTTP), the connection half-closed, and the answer read to EOF.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_check.h"
#include "net/http/http_server.h"

namespace {

// A handler like the webhook listener's: reads headers and query parameters, answers JSON.
void Handle(const net::http::ServerRequest& request, net::http::Responder responder) {
  const std::string signature = request.Header("fintoc-signature");
  const std::string page = request.QueryParam("page");
  const std::string cursor = request.QueryParam(page);
  responder.Send(net::http::ServerReply::Json(
      request.body.empty() ? 200 : 201,
      absl::StrCat(R"({"path_bytes":)", request.path.size(), R"(,"query_bytes":)",
                   request.query.size(), R"(,"headers":)", request.headers.size(),
                   R"(,"signature_bytes":)", signature.size(), R"(,"cursor_bytes":)", cursor.size(),
                   "}")));
}

int ServerPort() {
  static const int port = [] {
    net::http::ServerOptions options;
    options.tls = false;
    options.threads = 1;
    options.body_limit = 16 * 1024;
    auto server = net::http::HttpServer::Start(options, Handle);
    if (!server.ok()) {
      std::fprintf(stderr, "cannot start the server: %s\n", server.status().ToString().c_str());
      std::abort();
    }
    return server->release()->port();  // lives for the whole process
  }();
  return port;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int port = ServerPort();
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  FUZZ_CHECK(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // Closed with a reset, so the client side leaves no TIME_WAIT behind: at thousands of
  // connections a second those used up the ephemeral ports and connect() failed.
  linger no_time_wait{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &no_time_wait, sizeof(no_time_wait));
  FUZZ_CHECK(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  // The server must answer or close within this, or it can be held open by a client; generous
  // for an ASan build on two loaded cores.
  timeval timeout{20, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));

  size_t written = 0;
  while (written < size) {
    const ssize_t n = send(fd, data + written, size - written, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the server closed early (e.g. 400 on the first bad byte)
    written += static_cast<size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  char buffer[4096];
  for (;;) {
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;  // libFuzzer's timer signal (SIGALRM)
    if (n < 0) {
      if (errno != ECONNRESET) std::fprintf(stderr, "recv: %s\n", std::strerror(errno));
      FUZZ_CHECK(errno == ECONNRESET);  // EAGAIN: the server neither answered nor closed
      break;
    }
  }
  close(fd);
  return 0;
}
