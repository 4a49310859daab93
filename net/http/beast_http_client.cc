#include "net/http/beast_http_client.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace net::http {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;

namespace {

// RFC 9110 token characters: a method or a header name.
bool IsToken(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) &&
        !absl::StrContains("!#$%&'*+-.^_`|~", c)) {
      return false;
    }
  }
  return true;
}

// The method and headers go on the wire as they are: a CR, LF or NUL in one would end the
// header block and start a request of someone else's making, so such a request is refused.
absl::Status CheckRequestHead(const HttpRequest& request) {
  if (!IsToken(request.method)) {
    return absl::InvalidArgumentError("HTTP method is not a token; the request was not sent");
  }
  for (const auto& [name, value] : request.headers) {
    if (!IsToken(name)) {
      return absl::InvalidArgumentError(
          "HTTP header name is not a token; the request was not sent");
    }
    for (char c : value) {
      const unsigned char byte = static_cast<unsigned char>(c);
      if ((byte < 0x20 && byte != '\t') || byte == 0x7f) {
        return absl::InvalidArgumentError(absl::StrCat(
            "HTTP header ", name, " has a control character; the request was not sent"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

// One request's life: attempts, waits between them, and the single answer.
class BeastHttpClient::Call : public std::enable_shared_from_this<Call> {
 public:
  Call(BeastHttpClient* client, ConnectionPool* pool, Url url, HttpRequest request,
       ResponseCallback done)
      : client_(client),
        pool_(pool),
        url_(std::move(url)),
        request_(std::move(request)),
        done_(std::move(done)),
        deadline_(std::min(request_.deadline, absl::Now() + client->options_.request_timeout)),
        timer_(client->io_) {}

  void StartAttempt() {
    ++attempt_;
    ++client_->attempts_;
    if (attempt_ > 1) ++client_->retries_;
    if (request_.prepare_attempt) {
      if (absl::Status prepared = request_.prepare_attempt(request_); !prepared.ok()) {
        return Finish(std::move(prepared));
      }
    }
    // After prepare_attempt, which may add headers (e.g. a signature) on every attempt.
    if (absl::Status head = CheckRequestHead(request_); !head.ok()) {
      ++client_->failures_;
      return Finish(sent_any_ ? MarkRequestSent(std::move(head)) : std::move(head));
    }
    pool_->Acquire(deadline_,
                   [self = shared_from_this()](absl::StatusOr<ConnectionPool::Lease> lease) {
                     if (!lease.ok())
                       return self->AfterError(lease.status(), /*sent=*/false, false);
                     self->Exchange(std::move(lease->connection), lease->reused);
                   });
  }

 private:
  void Exchange(std::shared_ptr<Connection> connection, bool reused) {
    Connection* raw = connection.get();
    raw->Exchange(request_, url_.target, deadline_,
                  [self = shared_from_this(), connection = std::move(connection),
                   reused](ExchangeResult result) mutable {
                    self->pool_->Release(std::move(connection),
                                         result.status.ok() && result.connection_reusable);
                    self->AfterExchange(std::move(result), reused);
                  });
  }

  void AfterExchange(ExchangeResult result, bool reused) {
    // Remembered across attempts: once any attempt may have reached the server, every later
    // error (even one failing before it writes) leaves the outcome unknown.
    sent_any_ = sent_any_ || result.request_written || result.response_started;
    if (!result.status.ok()) {
      // A kept-alive connection the server closed just as we wrote to it: nothing of ours
      // was processed if no response began. Try once more on a fresh connection.
      const bool stale = reused && !result.response_started &&
                         result.status.code() == absl::StatusCode::kUnavailable;
      if (stale && request_.safe_to_retry && !stale_retry_used_) {
        stale_retry_used_ = true;
        ++client_->pool_counters_.stale_connections;
        --attempt_;  // not a retry the policy counts
        --client_->retries_;
        return StartAttempt();
      }
      return AfterError(result.status, result.request_written, result.response_started);
    }
    HttpResponse response = std::move(result.response);
    response.attempts = attempt_;
    if (IsRetryableHttpStatus(response.status) && CanRetry()) {
      absl::Duration wait = client_->backoff_.Delay(attempt_ + 1);
      if (auto retry_after = ParseRetryAfter(response.Header("retry-after"), absl::Now())) {
        if (*retry_after > client_->backoff_.options().max_retry_after) {
          return Finish(std::move(response));
        }
        wait = std::max(wait, *retry_after);
      }
      if (absl::Now() + wait < deadline_) return RetryAfter(wait);
    }
    Finish(std::move(response));
  }

  void AfterError(absl::Status status, bool sent, bool response_started) {
    sent_any_ = sent_any_ || sent || response_started;
    const bool retryable_error = status.code() == absl::StatusCode::kUnavailable &&
                                 !status.GetPayload("gateway.http/do-not-retry").has_value();
    if (retryable_error && CanRetry()) {
      const absl::Duration wait = client_->backoff_.Delay(attempt_ + 1);
      if (absl::Now() + wait < deadline_) return RetryAfter(wait);
    }
    if (status.code() == absl::StatusCode::kDeadlineExceeded) {
      ++client_->timeouts_;
    } else {
      ++client_->failures_;
    }
    // Any attempt that may have reached the server makes the outcome unknown.
    Finish(sent_any_ ? MarkRequestSent(std::move(status)) : std::move(status));
  }

  bool CanRetry() const {
    return request_.safe_to_retry && attempt_ < client_->options_.retry.max_attempts &&
           absl::Now() < deadline_;
  }

  void RetryAfter(absl::Duration wait) {
    timer_.expires_after(absl::ToChronoNanoseconds(wait));
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->StartAttempt();
    });
  }

  void Finish(absl::StatusOr<HttpResponse> result) {
    if (done_) {
      auto done = std::move(done_);
      done(std::move(result));
    }
  }

  BeastHttpClient* client_;
  ConnectionPool* pool_;
  const Url url_;
  HttpRequest request_;
  ResponseCallback done_;
  const absl::Time deadline_;
  net::steady_timer timer_;
  int attempt_ = 0;
  bool stale_retry_used_ = false;
  bool sent_any_ = false;
};

BeastHttpClient::BeastHttpClient(BeastHttpClientOptions options)
    : options_(std::move(options)),
      io_(std::max(1, options_.io_threads)),
      work_(net::make_work_guard(io_)),
      tls_(ssl::context::tls_client),
      backoff_(options_.retry) {}

absl::StatusOr<std::unique_ptr<BeastHttpClient>> BeastHttpClient::Create(
    BeastHttpClientOptions options) {
  std::unique_ptr<BeastHttpClient> client(new BeastHttpClient(std::move(options)));
  SSL_CTX* context = client->tls_.native_handle();
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  client->tls_.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
  client->tls_.set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  if (client->options_.ca_file.empty()) {
    client->tls_.set_default_verify_paths(ec);
  } else {
    client->tls_.load_verify_file(client->options_.ca_file, ec);
  }
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot load CA bundle \"", client->options_.ca_file, "\": ", ec.message()));
  }
  for (int i = 0; i < std::max(1, client->options_.io_threads); ++i) {
    client->threads_.emplace_back([io = &client->io_] { io->run(); });
  }
  return client;
}

BeastHttpClient::~BeastHttpClient() {
  Shutdown();
  absl::MutexLock lock(&mu_);
  pools_.clear();
}

void BeastHttpClient::Shutdown() {
  if (shut_down_.exchange(true)) return;
  work_.reset();
  io_.stop();
  for (auto& thread : threads_) thread.join();
}

ConnectionPool* BeastHttpClient::PoolFor(const Url& url) {
  absl::MutexLock lock(&mu_);
  auto& pool = pools_[url.Origin()];
  if (pool == nullptr) {
    pool = std::make_unique<ConnectionPool>(
        io_, url.tls ? &tls_ : nullptr, url, options_.max_connections_per_origin,
        options_.idle_timeout, options_.max_response_bytes, &pool_counters_);
  }
  return pool.get();
}

void BeastHttpClient::Send(HttpRequest request, ResponseCallback done) {
  if (shut_down_.load()) {
    // Nothing runs on the stopped I/O threads any more: answer here, before anything is sent.
    return done(absl::UnavailableError("the HTTP client is shut down; the request was not sent"));
  }
  ++requests_;
  absl::StatusOr<Url> url = ParseUrl(request.url);
  if (url.ok() && !url->tls && !options_.allow_plain_http) {
    url = absl::InvalidArgumentError("plain http:// is not allowed for provider requests");
  }
  if (!url.ok()) {
    ++failures_;
    // Answer on a client thread, as for every other outcome.
    net::post(io_, [done = std::move(done), status = url.status()]() mutable { done(status); });
    return;
  }
  ConnectionPool* pool = PoolFor(*url);
  auto call =
      std::make_shared<Call>(this, pool, *std::move(url), std::move(request), std::move(done));
  net::post(io_, [call] { call->StartAttempt(); });
}

HttpClientStats BeastHttpClient::stats() const {
  HttpClientStats stats;
  stats.requests = requests_.load();
  stats.attempts = attempts_.load();
  stats.connections_opened = pool_counters_.connections_opened.load();
  stats.connection_reuses = pool_counters_.connection_reuses.load();
  stats.stale_connections = pool_counters_.stale_connections.load();
  stats.retries = retries_.load();
  stats.timeouts = timeouts_.load();
  stats.failures = failures_.load();
  return stats;
}

std::pair<int, int> BeastHttpClient::PoolSizes(const std::string& origin) const {
  absl::MutexLock lock(&mu_);
  auto it = pools_.find(origin);
  if (it == pools_.end()) return {0, 0};
  return {it->second->open_connections(), it->second->idle_connections()};
}

}  // namespace net::http
