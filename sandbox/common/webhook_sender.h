// Delivers webhooks off the request path: Send() only queues. Each delivery is a POST of a
// JSON body to an http:// or https:// URL (https verifies the receiver against a configured
// CA file); anything but a 2xx, or a transport error, is retried with exponential backoff up
// to max_attempts, then counted as failed and logged.
//
// For chaos runs it can misbehave like a real provider (WebhookFaults): deliver an event twice
// and hold each delivery back a random while, so later events overtake earlier ones.
#ifndef SANDBOX_COMMON_WEBHOOK_SENDER_H_
#define SANDBOX_COMMON_WEBHOOK_SENDER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sandbox/common/http_client.h"
#include "sandbox/common/scheduler.h"

namespace sandbox {

struct WebhookDelivery {
  std::string url;
  std::string body;
  HeaderList headers;
  // Called before every attempt; its headers are added to `headers`. Fintoc signs each attempt
  // with a fresh timestamp so a late retry still passes the receiver's tolerance.
  std::function<HeaderList(const std::string& body)> per_attempt_headers;
  std::string kind;  // for logs and stats, e.g. "STATUS_UPDATE"
};

struct WebhookSenderOptions {
  std::string ca_file;  // for https receivers; empty: the system store
  int max_attempts = 5;
  absl::Duration first_backoff = absl::Milliseconds(200);
  absl::Duration max_backoff = absl::Seconds(10);
  absl::Duration timeout = absl::Seconds(5);  // per attempt
  int threads = 2;
};

// Set at run time (SetFaults); none by default.
struct WebhookFaults {
  int duplicate_percent = 0;  // 0-100: this share of events is delivered twice
  // Each delivery (and each duplicate) waits a uniform random 0..max_delay first.
  absl::Duration max_delay = absl::ZeroDuration();
};

struct WebhookStats {
  int64_t queued = 0;
  int64_t delivered = 0;
  int64_t failed = 0;      // gave up after max_attempts
  int64_t attempts = 0;    // every POST tried, including retries
  int64_t duplicated = 0;  // extra copies queued by WebhookFaults (also counted in queued)
  int64_t pending() const { return queued - delivered - failed; }
};

class WebhookSender {
 public:
  explicit WebhookSender(WebhookSenderOptions options);
  ~WebhookSender();  // Stop()

  void Send(WebhookDelivery delivery);
  WebhookStats stats() const;
  void SetFaults(WebhookFaults faults);
  WebhookFaults faults() const;
  // Drops what is still queued and waits for attempts in flight.
  void Stop();

 private:
  void Attempt(const std::shared_ptr<WebhookDelivery>& delivery, int attempt);

  const WebhookSenderOptions options_;
  mutable absl::Mutex mu_;
  WebhookStats stats_ ABSL_GUARDED_BY(mu_);
  WebhookFaults faults_ ABSL_GUARDED_BY(mu_);
  absl::BitGen random_ ABSL_GUARDED_BY(mu_);
  Scheduler scheduler_;  // last: its threads stop before the members above go away
};

}  // namespace sandbox

#endif  // SANDBOX_COMMON_WEBHOOK_SENDER_H_
