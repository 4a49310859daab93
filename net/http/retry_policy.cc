#include "net/http/retry_policy.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"

namespace net::http {

bool IsRetryableHttpStatus(int status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

absl::optional<absl::Duration> ParseRetryAfter(absl::string_view value, absl::Time now) {
  value = absl::StripAsciiWhitespace(value);
  if (value.empty()) return absl::nullopt;
  int64_t seconds = 0;
  if (absl::SimpleAtoi(value, &seconds)) {
    if (seconds < 0) return absl::nullopt;
    return absl::Seconds(seconds);
  }
  absl::Time when;
  std::string error;
  if (absl::ParseTime("%a, %d %b %Y %H:%M:%S GMT", value, absl::UTCTimeZone(), &when, &error)) {
    return std::max(absl::ZeroDuration(), when - now);
  }
  return absl::nullopt;
}

absl::Duration Backoff::Delay(int next_attempt) {
  absl::Duration ceiling = options_.initial_backoff;
  for (int i = 2; i < next_attempt && ceiling < options_.max_backoff; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, options_.max_backoff);
  const int64_t ceiling_us = absl::ToInt64Microseconds(ceiling);
  if (ceiling_us <= 0) return absl::ZeroDuration();
  absl::MutexLock lock(&mu_);
  return absl::Microseconds(absl::Uniform<int64_t>(absl::IntervalClosed, random_, 0, ceiling_us));
}

}  // namespace net::http
