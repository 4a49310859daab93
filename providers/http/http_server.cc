#include "providers/http/http_server.h"

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
#include <boost/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"

namespace providers::http {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(60);
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);

std::string PercentDecode(absl::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out.push_back(' ');
    } else if (in[i] == '%' && i + 2 < in.size() && absl::ascii_isxdigit(in[i + 1]) &&
               absl::ascii_isxdigit(in[i + 2])) {
      int value = 0;
      (void)absl::SimpleHexAtoi(in.substr(i + 1, 2), &value);
      out.push_back(static_cast<char>(value));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

Request Convert(const http::request<http::string_body>& raw) {
  Request request;
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

std::string FaultsToJson(const FaultPlan& plan) {
  boost::json::object object{{"path_prefix", plan.path_prefix},
                             {"latency_ms", plan.latency_ms},
                             {"fail_next", plan.fail_next},
                             {"fail_status", plan.fail_status},
                             {"retry_after_s", plan.retry_after_s},
                             {"drop_before_next", plan.drop_before_next},
                             {"drop_after_next", plan.drop_after_next},
                             {"close_after_reply_next", plan.close_after_reply_next}};
  return boost::json::serialize(object);
}

bool FaultsFromJson(const std::string& text, FaultPlan* plan) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return false;
  const auto& object = value.as_object();
  auto read_int = [&](const char* key, int* out) {
    if (const auto* field = object.if_contains(key)) {
      if (!field->is_int64()) return false;
      *out = static_cast<int>(field->as_int64());
    }
    return true;
  };
  if (const auto* prefix = object.if_contains("path_prefix")) {
    if (!prefix->is_string()) return false;
    plan->path_prefix = std::string(prefix->as_string());
  }
  return read_int("latency_ms", &plan->latency_ms) && read_int("fail_next", &plan->fail_next) &&
         read_int("fail_status", &plan->fail_status) &&
         read_int("retry_after_s", &plan->retry_after_s) &&
         read_int("drop_before_next", &plan->drop_before_next) &&
         read_int("drop_after_next", &plan->drop_after_next) &&
         read_int("close_after_reply_next", &plan->close_after_reply_next);
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
  Session(HttpsServer* server, net::any_io_executor executor) : server_(server), timer_(executor) {}

 protected:
  Derived& derived() { return static_cast<Derived&>(*this); }

  void DoRead() {
    parser_.emplace();
    parser_->body_limit(server_->body_limit());
    beast::get_lowest_layer(derived().stream()).expires_after(kIdleTimeout);
    http::async_read(derived().stream(), buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, this->shared_from_this()));
  }

 private:
  // Delivers a Responder's reply back onto this connection's strand.
  class Target : public Responder::Target {
   public:
    Target(std::shared_ptr<Derived> session, int latency_ms, bool drop_instead)
        : session_(std::move(session)), latency_ms_(latency_ms), drop_instead_(drop_instead) {}
    void Deliver(Reply reply) override {
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
      return Write(Reply::Json(413, R"({"error":"request body too large"})"));
    }
    if (ec == http::error::header_limit) {
      keep_alive_ = false;
      server_->Refused(431);
      return Write(Reply::Json(431, R"({"error":"request header fields too large"})"));
    }
    if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
      // Unparseable HTTP (bad header value, bad method, ...): say so, as a server would.
      keep_alive_ = false;
      server_->Refused(400);
      return Write(Reply::Json(400, R"({"error":"malformed HTTP request"})"));
    }
    if (ec) return;  // reset, timeout, TLS error: the connection is gone
    http::request<http::string_body> raw = parser_->release();
    keep_alive_ = raw.keep_alive();
    server_->CountRequest();
    beast::get_lowest_layer(derived().stream()).expires_never();
    const Request request = Convert(raw);
    std::shared_ptr<Derived> self = this->shared_from_this();

    if (server_->HandleControl(request, Responder(std::make_shared<Target>(self, 0, false)))) {
      return;
    }
    int latency_ms = 0, fail_status = 503, retry_after_s = -1;
    switch (server_->TakeFault(request.path, &latency_ms, &fail_status, &retry_after_s)) {
      case HttpsServer::FaultAction::kFail: {
        Reply reply = Reply::Json(
            fail_status, absl::StrCat(R"({"error":{"type":"api_error","code":"sandbox_fault",)",
                                      R"("message":"injected failure"}})"));
        if (retry_after_s >= 0)
          reply.headers.emplace_back("Retry-After", absl::StrCat(retry_after_s));
        Responder(std::make_shared<Target>(self, latency_ms, false)).Send(std::move(reply));
        return;
      }
      case HttpsServer::FaultAction::kDropBefore:
        return Abort();
      case HttpsServer::FaultAction::kDropAfter:
        server_->handler()(request, Responder(std::make_shared<Target>(self, latency_ms, true)));
        return;
      case HttpsServer::FaultAction::kCloseAfterReply:
        close_after_write_ = true;
        server_->handler()(request, Responder(std::make_shared<Target>(self, latency_ms, false)));
        return;
      case HttpsServer::FaultAction::kNone:
        server_->handler()(request, Responder(std::make_shared<Target>(self, latency_ms, false)));
        return;
    }
  }

 public:
  // Runs on the strand.
  void Answer(Reply reply, bool drop_instead, int latency_ms) {
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
  void Write(Reply reply) {
    response_ = {};
    response_.version(11);
    response_.result(static_cast<http::status>(reply.status));
    response_.set(http::field::server, server_->server_name());
    response_.set(http::field::content_type, reply.content_type);
    for (const auto& [name, value] : reply.headers) response_.insert(name, value);
    response_.body() = std::move(reply.body);
    response_.keep_alive(keep_alive_);
    response_.prepare_payload();
    http::async_write(derived().stream(), response_,
                      beast::bind_front_handler(&Session::OnWrite, this->shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    if (ec) return;
    if (close_after_write_) return Abort();  // the reply promised keep-alive; close anyway
    if (!keep_alive_) return derived().DoClose();
    DoRead();
  }

  HttpsServer* server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  bool keep_alive_ = true;
  bool close_after_write_ = false;
  net::steady_timer timer_;
};

class TlsSession : public Session<TlsSession> {
 public:
  TlsSession(HttpsServer* server, tcp::socket&& socket, ssl::context& context)
      : Session<TlsSession>(server, socket.get_executor()), stream_(std::move(socket), context) {}

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
  PlainSession(HttpsServer* server, tcp::socket&& socket)
      : Session<PlainSession>(server, socket.get_executor()), stream_(std::move(socket)) {}

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

std::string Request::Header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? "" : it->second;
}

std::string Request::QueryParam(const std::string& name) const {
  for (absl::string_view pair : absl::StrSplit(query, '&')) {
    const size_t equals = pair.find('=');
    if (PercentDecode(pair.substr(0, equals)) == name) {
      return equals == absl::string_view::npos ? "" : PercentDecode(pair.substr(equals + 1));
    }
  }
  return "";
}

void Responder::Send(Reply reply) const {
  if (!state_->used.exchange(true)) state_->target->Deliver(std::move(reply));
}

void Responder::Drop() const {
  if (!state_->used.exchange(true)) state_->target->Close();
}

struct HttpsServer::Impl {
  explicit Impl(net::io_context& io) : acceptor(net::make_strand(io)) {}
  std::optional<ssl::context> tls;
  tcp::acceptor acceptor;
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

  void Accept(HttpsServer* server, net::io_context& io) {
    acceptor.async_accept(
        net::make_strand(io), [this, server, &io](beast::error_code ec, tcp::socket socket) {
          if (ec == net::error::operation_aborted) return;
          if (!ec) {
            server->CountConnection();
            if (tls) {
              auto session = std::make_shared<TlsSession>(server, std::move(socket), *tls);
              Track(session);
              session->Run();
            } else {
              auto session = std::make_shared<PlainSession>(server, std::move(socket));
              Track(session);
              session->Run();
            }
          }
          Accept(server, io);
        });
  }
};

HttpsServer::HttpsServer(ServerOptions options, Handler handler)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      io_context_(std::make_unique<net::io_context>(options_.threads)),
      impl_(std::make_unique<Impl>(*io_context_)) {}

HttpsServer::~HttpsServer() { Stop(); }

absl::StatusOr<std::unique_ptr<HttpsServer>> HttpsServer::Start(ServerOptions options,
                                                                Handler handler) {
  std::unique_ptr<HttpsServer> server(new HttpsServer(std::move(options), std::move(handler)));
  if (absl::Status listening = server->Listen(); !listening.ok()) return listening;
  server->impl_->Accept(server.get(), *server->io_context_);
  for (int i = 0; i < std::max(1, server->options_.threads); ++i) {
    server->threads_.emplace_back([io = server->io_context_.get()] { io->run(); });
  }
  return server;
}

absl::Status HttpsServer::Listen() {
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

void HttpsServer::Stop() {
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

void HttpsServer::SetFaults(FaultPlan plan) {
  absl::MutexLock lock(&mu_);
  faults_ = std::move(plan);
}

FaultPlan HttpsServer::faults() const {
  absl::MutexLock lock(&mu_);
  return faults_;
}

HttpsServer::FaultAction HttpsServer::TakeFault(const std::string& path, int* latency_ms,
                                                int* fail_status, int* retry_after_s) {
  absl::MutexLock lock(&mu_);
  if (path.compare(0, faults_.path_prefix.size(), faults_.path_prefix) != 0) {
    return FaultAction::kNone;
  }
  *latency_ms = faults_.latency_ms;
  *fail_status = faults_.fail_status;
  *retry_after_s = faults_.retry_after_s;
  if (faults_.drop_before_next > 0) {
    --faults_.drop_before_next;
    return FaultAction::kDropBefore;
  }
  if (faults_.fail_next > 0) {
    --faults_.fail_next;
    return FaultAction::kFail;
  }
  if (faults_.drop_after_next > 0) {
    --faults_.drop_after_next;
    return FaultAction::kDropAfter;
  }
  if (faults_.close_after_reply_next > 0) {
    --faults_.close_after_reply_next;
    return FaultAction::kCloseAfterReply;
  }
  return FaultAction::kNone;
}

bool HttpsServer::HandleControl(const Request& request, Responder responder) {
  if (!options_.control_endpoints) return false;
  if (request.path == "/_sandbox/stats") {
    responder.Send(Reply::Json(200, absl::StrCat(R"({"connections":)", connections_.load(),
                                                 R"(,"requests":)", requests_.load(), "}")));
    return true;
  }
  if (request.path == "/_sandbox/faults") {
    if (request.method == "POST") {
      FaultPlan plan;
      if (!FaultsFromJson(request.body, &plan)) {
        responder.Send(Reply::Json(400, R"({"error":"expected a FaultPlan JSON object"})"));
        return true;
      }
      SetFaults(plan);
    }
    responder.Send(Reply::Json(200, FaultsToJson(faults())));
    return true;
  }
  return false;
}

}  // namespace providers::http
