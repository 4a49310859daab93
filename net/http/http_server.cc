#include "net/http/http_server.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/pct_string_view.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "vocabulary/status_macros.h"

namespace net::http {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

constexpr auto kHandshakeTimeout = std::chrono::seconds(10);

std::chrono::steady_clock::duration ToChrono(absl::Duration duration) {
  return absl::ToChronoNanoseconds(duration);
}

// Holds one of max_connections while a connection is open (the count outlives the server:
// a Responder may keep its connection alive after Stop).
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::shared_ptr<std::atomic<int>> open) : open_(std::move(open)) {
    ++*open_;
  }
  ~ConnectionSlot() { --*open_; }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  std::shared_ptr<std::atomic<int>> open_;
};

// A query parameter's name or value as a form encodes it (%XX escapes, '+' for a space), decoded
// by Boost.URL; text with a malformed escape is used as sent.
std::string QueryDecode(absl::string_view in) {
  const auto escaped =
      boost::urls::make_pct_string_view(boost::core::string_view(in.data(), in.size()));
  if (!escaped) return std::string(in);
  boost::urls::encoding_opts form;
  form.space_as_plus = true;
  return escaped->decode(form);
}

ServerRequest Convert(const http::request<http::string_body>& raw) {
  ServerRequest request;
  request.method = std::string(raw.method_string());
  request.target = std::string(raw.target());
  const size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  request.query = question == std::string::npos ? "" : request.target.substr(question + 1);
  for (const auto& field : raw) {
    request.headers[absl::AsciiStrToLower(std::string(field.name_string()))] =
        std::string(field.value());
  }
  request.body = raw.body();
  return request;
}

// What Stop() needs of a connection: to close it, with no server thread running any more.
class LiveConnection {
 public:
  virtual ~LiveConnection() = default;
  virtual void Abort() = 0;
};

// One connection: read a request, hand it to the handler, write its reply, repeat.
template <class Derived>
class Session : public LiveConnection, public std::enable_shared_from_this<Derived> {
 public:
  Session(HttpServer* server, net::any_io_executor executor, std::shared_ptr<std::atomic<int>> open)
      : server_(server), slot_(std::move(open)), timer_(executor) {}

 protected:
  Derived& derived() { return static_cast<Derived&>(*this); }

  // Each phase of reading a request has its own deadline (slowloris): idle_timeout for the
  // first byte, header_timeout for the rest of the header, body_timeout for the body.
  void DoRead() {
    parser_.emplace();
    parser_->body_limit(server_->body_limit());
    if (buffer_.size() > 0) return ReadHeader();  // the next request's bytes are already here
    beast::get_lowest_layer(derived().stream())
        .expires_after(ToChrono(server_->options().idle_timeout));
    derived().stream().async_read_some(
        buffer_.prepare(1024),
        beast::bind_front_handler(&Session::OnFirstBytes, this->shared_from_this()));
  }

  void OnFirstBytes(beast::error_code ec, std::size_t bytes) {
    if (ec) return;  // closed, reset, idle too long: the connection is gone
    buffer_.commit(bytes);
    ReadHeader();
  }

  void ReadHeader() {
    beast::get_lowest_layer(derived().stream())
        .expires_after(ToChrono(server_->options().header_timeout));
    http::async_read_header(
        derived().stream(), buffer_, *parser_,
        beast::bind_front_handler(&Session::OnHeader, this->shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t bytes) {
    if (ec) return OnRead(ec, bytes);
    beast::get_lowest_layer(derived().stream())
        .expires_after(ToChrono(server_->options().body_timeout));
    http::async_read(derived().stream(), buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, this->shared_from_this()));
  }

 private:
  // Delivers a Responder's reply back onto this connection's strand.
  class Target : public Responder::Target {
   public:
    Target(std::shared_ptr<Derived> session, int latency_ms, bool drop_instead)
        : session_(std::move(session)), latency_ms_(latency_ms), drop_instead_(drop_instead) {}
    void Deliver(ServerReply reply) override {
      auto session = session_;
      const bool drop = drop_instead_;
      const int latency = latency_ms_;
      net::post(beast::get_lowest_layer(session->stream()).get_executor(),
                [session, reply = std::move(reply), drop, latency]() mutable {
                  session->Answer(std::move(reply), drop, latency);
                });
    }
    void Close() override {
      auto session = session_;
      net::post(beast::get_lowest_layer(session->stream()).get_executor(),
                [session] { session->Abort(); });
    }

   private:
    std::shared_ptr<Derived> session_;
    int latency_ms_;
    bool drop_instead_;
  };

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return derived().DoClose();
    if (ec == http::error::body_limit) {
      keep_alive_ = false;
      server_->Refused(413);
      return Write(ServerReply::Json(413, R"({"error":"request body too large"})"));
    }
    if (ec == http::error::header_limit) {
      keep_alive_ = false;
      server_->Refused(431);
      return Write(ServerReply::Json(431, R"({"error":"request header fields too large"})"));
    }
    if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
      // Unparseable HTTP (bad header value, bad method, ...): say so, as a server would.
      keep_alive_ = false;
      server_->Refused(400);
      return Write(ServerReply::Json(400, R"({"error":"malformed HTTP request"})"));
    }
    if (ec) return;  // reset, timeout, TLS error: the connection is gone
    http::request<http::string_body> raw = parser_->release();
    keep_alive_ = raw.keep_alive();
    server_->CountRequest();
    beast::get_lowest_layer(derived().stream()).expires_never();
    const ServerRequest request = Convert(raw);
    std::shared_ptr<Derived> self = this->shared_from_this();

    FilterDecision decision;
    if (server_->options().request_filter) decision = server_->options().request_filter(request);
    if (decision.drop_now) return Abort();
    Responder responder(
        std::make_shared<Target>(self, decision.delay_ms, decision.drop_instead_of_reply));
    if (decision.reply) return responder.Send(std::move(*decision.reply));
    close_after_write_ = decision.close_after_reply;
    server_->handler()(request, std::move(responder));
  }

 public:
  // Runs on the strand.
  void Answer(ServerReply reply, bool drop_instead, int latency_ms) {
    if (latency_ms > 0) {
      timer_.expires_after(std::chrono::milliseconds(latency_ms));
      timer_.async_wait([self = this->shared_from_this(), reply = std::move(reply),
                         drop_instead](beast::error_code) mutable {
        self->Answer(std::move(reply), drop_instead, 0);
      });
      return;
    }
    if (drop_instead) return Abort();
    Write(std::move(reply));
  }

  // Closes the socket at once: no reply, no TLS close_notify.
  void Abort() override {
    beast::error_code ignored;
    auto& socket = beast::get_lowest_layer(derived().stream()).socket();
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

 private:
  void Write(ServerReply reply) {
    response_ = {};
    response_.version(11);
    response_.result(static_cast<http::status>(reply.status));
    response_.set(http::field::server, server_->server_name());
    response_.set(http::field::content_type, reply.content_type);
    for (const auto& [name, value] : reply.headers) response_.insert(name, value);
    response_.body() = std::move(reply.body);
    response_.keep_alive(keep_alive_);
    response_.prepare_payload();
    // A peer that does not take the reply holds the connection no longer than a slow body.
    beast::get_lowest_layer(derived().stream())
        .expires_after(ToChrono(server_->options().body_timeout));
    http::async_write(derived().stream(), response_,
                      beast::bind_front_handler(&Session::OnWrite, this->shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    if (ec) return;
    if (close_after_write_) return Abort();  // the reply promised keep-alive; close anyway
    if (!keep_alive_) return derived().DoClose();
    DoRead();
  }

  HttpServer* server_;
  ConnectionSlot slot_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  bool keep_alive_ = true;
  bool close_after_write_ = false;
  net::steady_timer timer_;
};

class TlsSession : public Session<TlsSession> {
 public:
  TlsSession(HttpServer* server, tcp::socket&& socket, ssl::context& context,
             std::shared_ptr<std::atomic<int>> open)
      : Session<TlsSession>(server, socket.get_executor(), std::move(open)),
        stream_(std::move(socket), context) {}

  beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }

  void Run() {
    beast::get_lowest_layer(stream_).expires_after(kHandshakeTimeout);
    stream_.async_handshake(ssl::stream_base::server,
                            [self = shared_from_this()](beast::error_code ec) {
                              if (!ec) self->DoRead();
                            });
  }

  void DoClose() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().close(ignored);
    });
  }

 private:
  beast::ssl_stream<beast::tcp_stream> stream_;
};

class PlainSession : public Session<PlainSession> {
 public:
  PlainSession(HttpServer* server, tcp::socket&& socket, std::shared_ptr<std::atomic<int>> open)
      : Session<PlainSession>(server, socket.get_executor(), std::move(open)),
        stream_(std::move(socket)) {}

  beast::tcp_stream& stream() { return stream_; }
  void Run() { DoRead(); }
  void DoClose() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

 private:
  beast::tcp_stream stream_;
};

}  // namespace

std::string ServerRequest::Header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? "" : it->second;
}

std::string ServerRequest::QueryParam(const std::string& name) const {
  for (absl::string_view pair : absl::StrSplit(query, '&')) {
    const size_t equals = pair.find('=');
    if (QueryDecode(pair.substr(0, equals)) == name) {
      return equals == absl::string_view::npos ? "" : QueryDecode(pair.substr(equals + 1));
    }
  }
  return "";
}

void Responder::Send(ServerReply reply) const {
  if (!state_->used.exchange(true)) state_->target->Deliver(std::move(reply));
}

void Responder::Drop() const {
  if (!state_->used.exchange(true)) state_->target->Close();
}

struct HttpServer::Impl {
  explicit Impl(net::io_context& io) : acceptor(net::make_strand(io)) {}
  std::optional<ssl::context> tls;
  tcp::acceptor acceptor;
  // Connections open now (ServerOptions::max_connections).
  std::shared_ptr<std::atomic<int>> open = std::make_shared<std::atomic<int>>(0);
  absl::Mutex connections_mu;
  std::vector<std::weak_ptr<LiveConnection>> connections ABSL_GUARDED_BY(connections_mu);

  template <class SessionType>
  void Track(const std::shared_ptr<SessionType>& session) {
    absl::MutexLock lock(&connections_mu);
    // Forget closed connections now and then, so the list stays as long as the open ones.
    if (connections.size() >= 64 && (connections.size() & (connections.size() - 1)) == 0) {
      connections.erase(std::remove_if(connections.begin(), connections.end(),
                                       [](const auto& weak) { return weak.expired(); }),
                        connections.end());
    }
    connections.push_back(session);
  }

  // Closes every connection still open; a stopped server must not leave peers waiting on
  // connections no thread serves any more.
  void AbortConnections() {
    absl::MutexLock lock(&connections_mu);
    for (const auto& weak : connections) {
      if (auto connection = weak.lock()) connection->Abort();
    }
    connections.clear();
  }

  void Accept(HttpServer* server, net::io_context& io) {
    acceptor.async_accept(
        net::make_strand(io), [this, server, &io](beast::error_code ec, tcp::socket socket) {
          if (ec == net::error::operation_aborted) return;
          const int cap = server->options().max_connections;
          if (!ec && cap > 0 && open->load() >= cap) {
            // Full: closed at once, so idle or slow peers cannot pile up sockets and memory.
            server->CountRefusedConnection();
            beast::error_code ignored;
            socket.close(ignored);
          } else if (!ec) {
            server->CountConnection();
            if (tls) {
              auto session = std::make_shared<TlsSession>(server, std::move(socket), *tls, open);
              Track(session);
              session->Run();
            } else {
              auto session = std::make_shared<PlainSession>(server, std::move(socket), open);
              Track(session);
              session->Run();
            }
          }
          Accept(server, io);
        });
  }
};

HttpServer::HttpServer(ServerOptions options, Handler handler)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      io_context_(std::make_unique<net::io_context>(options_.threads)),
      impl_(std::make_unique<Impl>(*io_context_)) {}

HttpServer::~HttpServer() { Stop(); }

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(ServerOptions options,
                                                              Handler handler) {
  std::unique_ptr<HttpServer> server(new HttpServer(std::move(options), std::move(handler)));
  RETURN_IF_ERROR(server->Listen());
  server->impl_->Accept(server.get(), *server->io_context_);
  for (int i = 0; i < std::max(1, server->options_.threads); ++i) {
    server->threads_.emplace_back([io = server->io_context_.get()] { io->run(); });
  }
  return server;
}

absl::Status HttpServer::Listen() {
  beast::error_code ec;
  if (options_.tls) {
    impl_->tls.emplace(ssl::context::tls_server);
    impl_->tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                            ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                            ssl::context::no_tlsv1_1);
    impl_->tls->use_certificate_chain(net::buffer(options_.cert_pem), ec);
    if (!ec) impl_->tls->use_private_key(net::buffer(options_.key_pem), ssl::context::pem, ec);
    if (ec) return absl::InvalidArgumentError(absl::StrCat("TLS setup: ", ec.message()));
  }
  const auto address = net::ip::make_address(options_.address, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("bad address ", options_.address));
  tcp::endpoint endpoint(address, static_cast<unsigned short>(options_.port));
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options_.address, ":",
                                               options_.port, ": ", ec.message()));
  }
  port_ = acceptor.local_endpoint().port();
  return absl::OkStatus();
}

void HttpServer::Stop() {
  if (stopped_) return;
  stopped_ = true;
  io_context_->stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  // Closed only now that no thread runs: a close posted before stop() might never run, and an
  // open listener would keep accepting connections nobody serves (peers hang to their timeout).
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->AbortConnections();
}

}  // namespace net::http
