// A webhook receiver for tests: a plain-HTTP HttpServer (tls=false) on loopback that answers
// 200 and records every request, with a blocking wait for the n-th one. Its fault injection
// (/_sandbox/faults, or server().SetFaults) makes it fail deliveries to exercise retries.
#ifndef SANDBOX_TESTING_WEBHOOK_RECORDER_H_
#define SANDBOX_TESTING_WEBHOOK_RECORDER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sandbox/http/http_server.h"

namespace sandbox {

class WebhookRecorder {
 public:
  // Starts listening on 127.0.0.1, any port; aborts the test binary if it cannot.
  WebhookRecorder();
  ~WebhookRecorder();

  std::string url(const std::string& path = "/webhooks") const;
  HttpServer& server() { return *server_; }

  // Waits until at least `count` requests arrived (or `timeout` passed) and returns them all.
  std::vector<ServerRequest> WaitFor(size_t count, absl::Duration timeout = absl::Seconds(10));
  std::vector<ServerRequest> requests() const;

 private:
  mutable absl::Mutex mu_;
  std::vector<ServerRequest> requests_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<HttpServer> server_;
};

}  // namespace sandbox

#endif  // SANDBOX_TESTING_WEBHOOK_RECORDER_H_
