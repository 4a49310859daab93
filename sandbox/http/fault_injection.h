// The sandbox's fault injection on the shared HTTP server (net/http/http_server.h): a plan of
// injected failures, drops and latency, and, only when asked for, the control endpoints
//   GET  /_sandbox/stats   {"connections":N,"requests":N}
//   POST /_sandbox/faults  a FaultPlan as JSON (see below); GET returns the current plan
// which must never be reachable on a production port. It runs as the server's request filter.
#ifndef SANDBOX_HTTP_FAULT_INJECTION_H_
#define SANDBOX_HTTP_FAULT_INJECTION_H_

#include <atomic>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "net/http/http_server.h"

namespace sandbox {

// Faults apply to requests whose path starts with path_prefix ("" = every request).
struct FaultPlan {
  std::string path_prefix;
  int latency_ms = 0;  // added before every matching reply
  int fail_next = 0;   // next N matching requests get fail_status; the handler never runs
  int fail_status = 503;
  bool fail_html = false;          // with fail_next: an HTML error page (a proxy's), not JSON
  int retry_after_s = -1;          // with fail_next: a Retry-After header, when >= 0
  int drop_before_next = 0;        // next N: the connection closes before the handler runs
  int drop_after_next = 0;         // next N: the handler runs (the operation happens), then the
                                   // connection closes instead of the reply
  int close_after_reply_next = 0;  // next N: a normal keep-alive reply, then the server closes
                                   // the connection, as an idle timeout would
};

class FaultInjector {
 public:
  explicit FaultInjector(bool control_endpoints) : control_endpoints_(control_endpoints) {}

  void SetFaults(FaultPlan plan);
  FaultPlan faults() const;

  // The server whose counts /_sandbox/stats reports (set once it has started).
  void set_server(const net::http::HttpServer* server) { server_.store(server); }

  // The request filter: control endpoints first, then the plan (consuming one count of a
  // "next N" fault).
  net::http::FilterDecision Decide(const net::http::ServerRequest& request);

 private:
  bool HandleControl(const net::http::ServerRequest& request, net::http::ServerReply* reply);

  const bool control_endpoints_;
  std::atomic<const net::http::HttpServer*> server_{nullptr};
  mutable absl::Mutex mu_;
  FaultPlan faults_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sandbox

#endif  // SANDBOX_HTTP_FAULT_INJECTION_H_
