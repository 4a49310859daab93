// One kept-alive HTTP/1.1 connection to an origin, over TLS (verified: certificate chain,
// host name or IP, SNI) or plain TCP. One exchange at a time; a deadline closes the socket.
#ifndef NET_HTTP_CONNECTION_H_
#define NET_HTTP_CONNECTION_H_

#include <openssl/ssl.h>

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "net/http/http_types.h"
#include "net/http/url.h"

namespace net::http {

struct ExchangeResult {
  absl::Status status;               // OK when `response` is complete
  HttpResponse response;             // status, headers, body
  bool request_written = false;      // some of the request may have reached the server
  bool response_started = false;     // at least one byte of a response arrived
  bool connection_reusable = false;  // keep-alive, fully read and nothing read beyond it
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `tls` is null for plain http. `executor` should be a strand.
  Connection(boost::asio::any_io_executor executor, boost::asio::ssl::context* tls, Url origin,
             size_t max_response_bytes);

  // Resolves, connects and (for https) handshakes before `deadline`.
  void Open(absl::Time deadline, absl::AnyInvocable<void(absl::Status)> done);

  // Writes `request` (to `target` on this origin) and reads the response before `deadline`.
  void Exchange(const HttpRequest& request, const std::string& target, absl::Time deadline,
                absl::AnyInvocable<void(ExchangeResult)> done);

  // An idle connection the server has closed (or sent unexpected bytes on) must not be used.
  bool LooksAlive();
  void Close();

  absl::Time idle_since() const { return idle_since_; }
  void set_idle_since(absl::Time when) { idle_since_ = when; }

 private:
  template <typename Op>
  void WithStream(Op&& op);
  void OnRead(boost::beast::error_code ec, absl::AnyInvocable<void(ExchangeResult)> done);
  boost::asio::ip::tcp::socket& socket();

  const Url origin_;
  const size_t max_response_bytes_;
  boost::asio::ip::tcp::resolver resolver_;
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls_stream_;
  std::optional<boost::beast::tcp_stream> plain_stream_;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::request<boost::beast::http::string_body> request_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::string_body>> parser_;
  ExchangeResult result_;
  absl::Time idle_since_;
};

// Makes the handshake on `ssl` check that the server's certificate names `host` (its IP when
// `host` is an address, else its DNS name, which also goes out as SNI). An error when OpenSSL
// refuses any of it: a connection must never go on with the name unchecked.
absl::Status SetExpectedPeer(SSL* ssl, const std::string& host);

// Maps a Beast/Asio/OpenSSL error to a status the caller can act on.
absl::Status ConnectionError(const boost::beast::error_code& ec, absl::string_view during,
                             const Url& origin);

}  // namespace net::http

#endif  // NET_HTTP_CONNECTION_H_
