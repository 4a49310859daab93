#include "net/http/connection_pool.h"

#include <utility>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace net::http {

namespace net = boost::asio;

struct ConnectionPool::Waiter {
  uint64_t id;
  absl::Time deadline;
  absl::AnyInvocable<void(absl::StatusOr<Lease>)> done;
  std::unique_ptr<net::steady_timer> timer;
};

ConnectionPool::ConnectionPool(net::io_context& io, net::ssl::context* tls, Url origin,
                               int max_connections, absl::Duration idle_timeout,
                               size_t max_response_bytes, PoolCounters* counters)
    : io_(io),
      tls_(tls),
      origin_(std::move(origin)),
      max_connections_(max_connections),
      idle_timeout_(idle_timeout),
      max_response_bytes_(max_response_bytes),
      counters_(counters) {}

void ConnectionPool::Acquire(absl::Time deadline,
                             absl::AnyInvocable<void(absl::StatusOr<Lease>)> done) {
  std::shared_ptr<Connection> reuse;
  std::vector<std::shared_ptr<Connection>> discard;
  bool open_new = false;
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = absl::Now();
    while (!idle_.empty()) {
      std::shared_ptr<Connection> candidate = std::move(idle_.back());
      idle_.pop_back();
      if (now - candidate->idle_since() < idle_timeout_ && candidate->LooksAlive()) {
        reuse = std::move(candidate);
        break;
      }
      --open_;
      ++counters_->stale_connections;
      discard.push_back(std::move(candidate));
    }
    if (reuse == nullptr) {
      if (open_ < max_connections_) {
        ++open_;
        open_new = true;
      } else {
        auto waiter = std::make_shared<Waiter>();
        waiter->id = next_waiter_id_++;
        waiter->deadline = deadline;
        waiter->done = std::move(done);
        waiter->timer = std::make_unique<net::steady_timer>(io_);
        const absl::Duration left = std::max(absl::ZeroDuration(), deadline - now);
        waiter->timer->expires_after(absl::ToChronoNanoseconds(std::min(left, absl::Hours(24))));
        waiter->timer->async_wait([this, id = waiter->id](const boost::system::error_code& ec) {
          if (!ec) ExpireWaiter(id);
        });
        waiters_.push_back(std::move(waiter));
      }
    }
  }
  for (auto& connection : discard) connection->Close();
  if (reuse != nullptr) {
    ++counters_->connection_reuses;
    done(Lease{std::move(reuse), true});
  } else if (open_new) {
    OpenNew(deadline, std::move(done));
  }
}

void ConnectionPool::OpenNew(absl::Time deadline,
                             absl::AnyInvocable<void(absl::StatusOr<Lease>)> done) {
  auto connection =
      std::make_shared<Connection>(net::make_strand(io_), tls_, origin_, max_response_bytes_);
  ++counters_->connections_opened;
  connection->Open(
      deadline, [this, connection, done = std::move(done)](absl::Status status) mutable {
        if (status.ok()) return done(Lease{connection, false});
        connection->Close();
        Release(nullptr, /*reusable=*/false);  // frees the place (and may open for a waiter)
        done(std::move(status));
      });
}

void ConnectionPool::Release(std::shared_ptr<Connection> connection, bool reusable) {
  std::shared_ptr<Waiter> waiter;
  bool hand_over = false;
  {
    absl::MutexLock lock(&mu_);
    if (connection == nullptr || !reusable) {
      --open_;
      if (!waiters_.empty() && open_ < max_connections_) {
        ++open_;
        waiter = std::move(waiters_.front());
        waiters_.pop_front();
      }
    } else if (!waiters_.empty()) {
      waiter = std::move(waiters_.front());
      waiters_.pop_front();
      hand_over = true;
    } else {
      connection->set_idle_since(absl::Now());
      idle_.push_back(std::move(connection));
    }
  }
  if (connection != nullptr && !reusable) connection->Close();
  if (waiter == nullptr) return;
  waiter->timer->cancel();
  if (hand_over) {
    ++counters_->connection_reuses;
    waiter->done(Lease{std::move(connection), true});
  } else {
    OpenNew(waiter->deadline, std::move(waiter->done));
  }
}

void ConnectionPool::ExpireWaiter(uint64_t id) {
  std::shared_ptr<Waiter> expired;
  {
    absl::MutexLock lock(&mu_);
    for (auto it = waiters_.begin(); it != waiters_.end(); ++it) {
      if ((*it)->id == id) {
        expired = std::move(*it);
        waiters_.erase(it);
        break;
      }
    }
  }
  if (expired != nullptr) {
    expired->done(absl::DeadlineExceededError(
        absl::StrCat("deadline passed waiting for a free connection to ", origin_.Origin(),
                     " (pool of ", max_connections_, ")")));
  }
}

int ConnectionPool::open_connections() const {
  absl::MutexLock lock(&mu_);
  return open_;
}

int ConnectionPool::idle_connections() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(idle_.size());
}

}  // namespace net::http
