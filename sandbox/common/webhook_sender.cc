#include "sandbox/common/webhook_sender.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "sandbox/common/log.h"

namespace sandbox {

WebhookSender::WebhookSender(WebhookSenderOptions options)
    : options_(std::move(options)), scheduler_(options_.threads) {}

WebhookSender::~WebhookSender() { Stop(); }

void WebhookSender::Stop() { scheduler_.Stop(); }

void WebhookSender::Send(WebhookDelivery delivery) {
  std::vector<absl::Duration> delays;  // one per copy to deliver
  {
    absl::MutexLock lock(&mu_);
    const int copies = absl::Uniform(random_, 0, 100) < faults_.duplicate_percent ? 2 : 1;
    for (int i = 0; i < copies; ++i) {
      const int64_t max_ms = absl::ToInt64Milliseconds(faults_.max_delay);
      delays.push_back(absl::Milliseconds(
          max_ms > 0 ? absl::Uniform<int64_t>(absl::IntervalClosed, random_, 0, max_ms) : 0));
    }
    stats_.queued += copies;
    stats_.duplicated += copies - 1;
  }
  auto shared = std::make_shared<WebhookDelivery>(std::move(delivery));
  for (absl::Duration delay : delays) {
    scheduler_.RunAfter(delay, [this, shared] { Attempt(shared, 1); });
  }
}

void WebhookSender::SetFaults(WebhookFaults faults) {
  absl::MutexLock lock(&mu_);
  faults_ = faults;
}

WebhookFaults WebhookSender::faults() const {
  absl::MutexLock lock(&mu_);
  return faults_;
}

WebhookStats WebhookSender::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

void WebhookSender::Attempt(const std::shared_ptr<WebhookDelivery>& delivery, int attempt) {
  HeaderList headers = delivery->headers;
  if (delivery->per_attempt_headers) {
    for (auto& header : delivery->per_attempt_headers(delivery->body)) {
      headers.push_back(std::move(header));
    }
  }
  HttpClientOptions client;
  client.ca_file = options_.ca_file;
  client.timeout = options_.timeout;
  const absl::StatusOr<HttpResponse> response =
      HttpFetch(client, "POST", delivery->url, headers, delivery->body);
  const bool delivered = response.ok() && response->status >= 200 && response->status < 300;
  const bool give_up = !delivered && attempt >= options_.max_attempts;
  {
    absl::MutexLock lock(&mu_);
    ++stats_.attempts;
    if (delivered) ++stats_.delivered;
    if (give_up) ++stats_.failed;
  }
  if (delivered) return;
  const std::string outcome = response.ok() ? absl::StrCat("HTTP ", response->status)
                                            : std::string(response.status().message());
  if (give_up) {
    LogJson("warning", "webhook delivery failed",
            {{"kind", delivery->kind},
             {"url", delivery->url},
             {"attempts", attempt},
             {"last_error", outcome}});
    return;
  }
  // 200 ms, 400 ms, 800 ms, ... capped.
  absl::Duration backoff = options_.first_backoff;
  for (int i = 1; i < attempt && backoff < options_.max_backoff; ++i) backoff *= 2;
  backoff = std::min(backoff, options_.max_backoff);
  scheduler_.RunAfter(backoff, [this, delivery, attempt] { Attempt(delivery, attempt + 1); });
}

}  // namespace sandbox
