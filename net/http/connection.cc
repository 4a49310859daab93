#include "net/http/connection.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace net::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

namespace {

constexpr size_t kMaxHeaderBytes = 64 * 1024;

std::chrono::steady_clock::duration Remaining(absl::Time deadline) {
  const absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) return std::chrono::steady_clock::duration::zero();
  if (left > absl::Hours(24)) return std::chrono::hours(24);
  return absl::ToChronoNanoseconds(left);
}

bool IsIpAddress(const std::string& host) {
  beast::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

absl::Status SetExpectedPeer(SSL* ssl, const std::string& host) {
  const bool set = IsIpAddress(host)
                       ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1
                       : SSL_set_tlsext_host_name(ssl, host.c_str()) == 1 &&
                             SSL_set1_host(ssl, host.c_str()) == 1;
  if (set) return absl::OkStatus();
  ERR_clear_error();
  // Not retried (the same host fails the same way) and nothing was sent.
  absl::Status status = absl::InternalError(
      absl::StrCat("cannot make TLS verify the server's name or address for host \"",
                   host.substr(0, 100), "\"; refusing to connect without it"));
  status.SetPayload("gateway.http/do-not-retry", absl::Cord("1"));
  return status;
}

absl::Status ConnectionError(const beast::error_code& ec, absl::string_view during,
                             const Url& origin) {
  if (ec == beast::error::timeout) {
    return absl::DeadlineExceededError(
        absl::StrCat("deadline passed during ", during, " with ", origin.Origin()));
  }
  if (ec.category() == net::error::get_ssl_category() &&
      ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
    absl::Status status = absl::UnavailableError(
        absl::StrCat("TLS certificate verification failed for ", origin.Origin(),
                     " (wrong CA bundle, expired certificate or wrong host name)"));
    status.SetPayload("gateway.http/do-not-retry", absl::Cord("1"));
    return status;
  }
  return absl::UnavailableError(
      absl::StrCat(during, " with ", origin.Origin(), " failed: ", ec.message()));
}

Connection::Connection(net::any_io_executor executor, ssl::context* tls, Url origin,
                       size_t max_response_bytes)
    : origin_(std::move(origin)), max_response_bytes_(max_response_bytes), resolver_(executor) {
  if (tls != nullptr) {
    tls_stream_.emplace(executor, *tls);
  } else {
    plain_stream_.emplace(executor);
  }
}

template <typename Op>
void Connection::WithStream(Op&& op) {
  if (tls_stream_) {
    op(*tls_stream_);
  } else {
    op(*plain_stream_);
  }
}

tcp::socket& Connection::socket() {
  return tls_stream_ ? beast::get_lowest_layer(*tls_stream_).socket() : plain_stream_->socket();
}

void Connection::Open(absl::Time deadline, absl::AnyInvocable<void(absl::Status)> done) {
  resolver_.async_resolve(
      origin_.host, std::to_string(origin_.port),
      [self = shared_from_this(), deadline, done = std::move(done)](
          beast::error_code ec, tcp::resolver::results_type endpoints) mutable {
        if (ec) return done(ConnectionError(ec, "name resolution", self->origin_));
        auto& lowest =
            self->tls_stream_ ? beast::get_lowest_layer(*self->tls_stream_) : *self->plain_stream_;
        lowest.expires_after(Remaining(deadline));
        lowest.async_connect(endpoints, [self, done = std::move(done)](
                                            beast::error_code ec, const tcp::endpoint&) mutable {
          if (ec) return done(ConnectionError(ec, "connect", self->origin_));
          if (!self->tls_stream_) return done(absl::OkStatus());
          // Verify the certificate names this host (or IP), and send SNI for names.
          if (absl::Status peer =
                  SetExpectedPeer(self->tls_stream_->native_handle(), self->origin_.host);
              !peer.ok()) {
            return done(std::move(peer));
          }
          self->tls_stream_->async_handshake(
              ssl::stream_base::client,
              [self, done = std::move(done)](beast::error_code ec) mutable {
                beast::get_lowest_layer(*self->tls_stream_).expires_never();
                done(ec ? ConnectionError(ec, "TLS handshake", self->origin_) : absl::OkStatus());
              });
        });
      });
}

void Connection::Exchange(const HttpRequest& request, const std::string& target,
                          absl::Time deadline, absl::AnyInvocable<void(ExchangeResult)> done) {
  result_ = ExchangeResult();
  request_ = {};
  request_.version(11);
  request_.method_string(request.method);
  request_.target(target);
  const bool default_port = origin_.port == (origin_.tls ? 443 : 80);
  request_.set(bhttp::field::host,
               default_port ? origin_.host : absl::StrCat(origin_.host, ":", origin_.port));
  request_.set(bhttp::field::user_agent, "payouts-gateway/1");
  request_.keep_alive(true);  // before the caller's headers: an explicit "Connection: close" wins
  for (const auto& [name, value] : request.headers) request_.insert(name, value);
  request_.body() = request.body;
  request_.prepare_payload();

  WithStream([&](auto& stream) {
    beast::get_lowest_layer(stream).expires_after(Remaining(deadline));
    // From here on, bytes may reach the server at any moment.
    result_.request_written = true;
    bhttp::async_write(
        stream, request_,
        [self = shared_from_this(), done = std::move(done)](beast::error_code ec,
                                                            std::size_t) mutable {
          if (ec) {
            self->result_.status = ConnectionError(ec, "sending the request", self->origin_);
            return done(std::move(self->result_));
          }
          self->parser_.emplace();
          self->parser_->body_limit(self->max_response_bytes_);
          self->parser_->header_limit(kMaxHeaderBytes);
          self->WithStream([&](auto& stream) {
            bhttp::async_read(
                stream, self->buffer_, *self->parser_,
                [self, done = std::move(done)](beast::error_code ec, std::size_t) mutable {
                  self->OnRead(ec, std::move(done));
                });
          });
        });
  });
}

void Connection::OnRead(beast::error_code ec, absl::AnyInvocable<void(ExchangeResult)> done) {
  WithStream([](auto& stream) { beast::get_lowest_layer(stream).expires_never(); });
  result_.response_started = parser_->got_some();
  if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit) {
    result_.status = absl::DataLossError(absl::StrCat(
        "response from ", origin_.Origin(), " is larger than ", max_response_bytes_, " bytes"));
  } else if (ec && ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category() &&
             ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
    result_.status = absl::DataLossError(
        absl::StrCat("malformed HTTP response from ", origin_.Origin(), ": ", ec.message()));
  } else if (ec) {
    result_.status = ConnectionError(ec, "reading the response", origin_);
  } else {
    auto message = parser_->release();
    result_.response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      result_.response.headers.emplace_back(absl::AsciiStrToLower(std::string(field.name_string())),
                                            std::string(field.value()));
    }
    result_.response.body = std::move(message.body());
    // Bytes beyond this response (in our buffer or decrypted inside OpenSSL) were sent by
    // nobody's request: the next exchange on this connection would read them as its answer.
    const bool leftover =
        buffer_.size() > 0 || (tls_stream_ && SSL_pending(tls_stream_->native_handle()) > 0);
    result_.connection_reusable = message.keep_alive() && !message.need_eof() && !leftover;
  }
  done(std::move(result_));
}

bool Connection::LooksAlive() {
  char byte;
  const ssize_t n = ::recv(socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  // 0: the server closed it; >0: bytes nobody asked for (e.g. a TLS close_notify).
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

void Connection::Close() {
  beast::error_code ignored;
  socket().shutdown(tcp::socket::shutdown_both, ignored);
  socket().close(ignored);
}

}  // namespace net::http
