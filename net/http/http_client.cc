#include "net/http/http_client.h"

#include <utility>

#include "absl/synchronization/notification.h"

namespace net::http {

absl::StatusOr<HttpResponse> SendAndWait(HttpClient& client, HttpRequest request) {
  absl::Notification done;
  absl::StatusOr<HttpResponse> answer;
  client.Send(std::move(request), [&](absl::StatusOr<HttpResponse> response) {
    answer = std::move(response);
    done.Notify();
  });
  done.WaitForNotification();
  return answer;
}

}  // namespace net::http
