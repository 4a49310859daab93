// When and how long to wait before trying a request again: exponential backoff with full
// jitter, bounded attempts, and the server's Retry-After honoured. Only requests marked
// safe_to_retry are ever retried (see HttpRequest).
#ifndef NET_HTTP_RETRY_POLICY_H_
#define NET_HTTP_RETRY_POLICY_H_

#include "absl/random/random.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"

namespace net::http {

struct RetryOptions {
  int max_attempts = 3;  // the first attempt included; 1 disables retries
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
  // A Retry-After longer than this is not waited for (the response is returned instead).
  absl::Duration max_retry_after = absl::Seconds(10);
};

// 429 and the gateway-ish 5xx that mean "not processed, try again": 502, 503, 504.
bool IsRetryableHttpStatus(int status);

// Retry-After as delta-seconds or an HTTP-date; nullopt when absent or unparsable.
absl::optional<absl::Duration> ParseRetryAfter(absl::string_view value, absl::Time now);

class Backoff {
 public:
  explicit Backoff(RetryOptions options) : options_(options) {}
  // The wait before attempt number `next_attempt` (2 for the first retry): uniformly random
  // in [0, min(max_backoff, initial_backoff * 2^(next_attempt-2))].
  absl::Duration Delay(int next_attempt);
  const RetryOptions& options() const { return options_; }

 private:
  RetryOptions options_;
  absl::Mutex mu_;
  absl::BitGen random_ ABSL_GUARDED_BY(mu_);
};

}  // namespace net::http

#endif  // NET_HTTP_RETRY_POLICY_H_
