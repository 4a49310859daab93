// A bounded pool of kept-alive connections to one origin. Requests beyond the bound wait for a
// connection to come back (or for their deadline). Idle connections the server has closed,
// or that sat idle too long, are dropped instead of being handed out.
#ifndef NET_HTTP_CONNECTION_POOL_H_
#define NET_HTTP_CONNECTION_POOL_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "net/http/connection.h"

namespace net::http {

struct PoolCounters {
  std::atomic<int64_t> connections_opened{0};
  std::atomic<int64_t> connection_reuses{0};
  std::atomic<int64_t> stale_connections{0};
};

class ConnectionPool {
 public:
  struct Lease {
    std::shared_ptr<Connection> connection;
    bool reused = false;
  };

  ConnectionPool(boost::asio::io_context& io, boost::asio::ssl::context* tls, Url origin,
                 int max_connections, absl::Duration idle_timeout, size_t max_response_bytes,
                 PoolCounters* counters);

  // Calls `done` with a connection (idle, or newly opened) or an error: the open failed, or
  // no connection came free before `deadline`. `done` never runs under the pool's lock.
  void Acquire(absl::Time deadline, absl::AnyInvocable<void(absl::StatusOr<Lease>)> done);
  // Gives a leased connection back; a non-reusable one is closed and frees its place.
  void Release(std::shared_ptr<Connection> connection, bool reusable);

  int open_connections() const;
  int idle_connections() const;

 private:
  struct Waiter;
  void OpenNew(absl::Time deadline, absl::AnyInvocable<void(absl::StatusOr<Lease>)> done);
  void ExpireWaiter(uint64_t id);

  boost::asio::io_context& io_;
  boost::asio::ssl::context* tls_;
  const Url origin_;
  const int max_connections_;
  const absl::Duration idle_timeout_;
  const size_t max_response_bytes_;
  PoolCounters* counters_;

  mutable absl::Mutex mu_;
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<std::shared_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  std::deque<std::shared_ptr<Waiter>> waiters_ ABSL_GUARDED_BY(mu_);
  uint64_t next_waiter_id_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace net::http

#endif  // NET_HTTP_CONNECTION_POOL_H_
