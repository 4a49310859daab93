// A test double of HttpClient for adapter unit tests: records every request exactly as sent
// (after prepare_attempt) and answers from a script of recorded responses, in order.
#ifndef NET_HTTP_TESTING_FAKE_HTTP_CLIENT_H_
#define NET_HTTP_TESTING_FAKE_HTTP_CLIENT_H_

#include <deque>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "net/http/http_client.h"

namespace net::http {

class FakeHttpClient : public HttpClient {
 public:
  // Queues the answer to the next request: a response (status + JSON body + headers)...
  void AddResponse(int status, std::string body, Headers headers = {});
  // ...or an error (e.g. MarkRequestSent(DeadlineExceededError(...)) for a lost reply).
  void AddError(absl::Status status);

  // Every request received, in order, as it would have gone on the wire.
  std::vector<HttpRequest> requests() const;
  int request_count() const;

  // From now on, requests are recorded but not answered until ReleaseHeld(), so tests can
  // line up concurrent callers behind one request.
  void HoldReplies();
  // Answers every held request (from the script, in order) and stops holding; returns how
  // many were answered.
  int ReleaseHeld();

  // Answers inline, on the calling thread (unless holding). With no scripted answer left:
  // UNAVAILABLE.
  void Send(HttpRequest request, ResponseCallback done) override;
  HttpClientStats stats() const override;

 private:
  mutable absl::Mutex mu_;
  std::deque<absl::StatusOr<HttpResponse>> script_ ABSL_GUARDED_BY(mu_);
  std::vector<HttpRequest> requests_ ABSL_GUARDED_BY(mu_);
  bool holding_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<ResponseCallback> held_ ABSL_GUARDED_BY(mu_);
};

}  // namespace net::http

#endif  // NET_HTTP_TESTING_FAKE_HTTP_CLIENT_H_
