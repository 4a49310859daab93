#include "net/http/testing/fake_http_client.h"

#include "absl/strings/ascii.h"

namespace net::http {

void FakeHttpClient::AddResponse(int status, std::string body, Headers headers) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  for (auto& [name, value] : headers) {
    response.headers.emplace_back(absl::AsciiStrToLower(name), std::move(value));
  }
  response.attempts = 1;
  absl::MutexLock lock(&mu_);
  script_.push_back(std::move(response));
}

void FakeHttpClient::AddError(absl::Status status) {
  absl::MutexLock lock(&mu_);
  script_.push_back(std::move(status));
}

std::vector<HttpRequest> FakeHttpClient::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

int FakeHttpClient::request_count() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(requests_.size());
}

void FakeHttpClient::Send(HttpRequest request, ResponseCallback done) {
  if (request.prepare_attempt) {
    if (absl::Status prepared = request.prepare_attempt(request); !prepared.ok()) {
      done(prepared);
      return;
    }
  }
  absl::StatusOr<HttpResponse> answer =
      absl::UnavailableError("FakeHttpClient: no scripted answer");
  {
    absl::MutexLock lock(&mu_);
    request.prepare_attempt = nullptr;
    requests_.push_back(std::move(request));
    if (holding_) {
      held_.push_back(std::move(done));
      return;
    }
    if (!script_.empty()) {
      answer = std::move(script_.front());
      script_.pop_front();
    }
  }
  done(std::move(answer));
}

void FakeHttpClient::HoldReplies() {
  absl::MutexLock lock(&mu_);
  holding_ = true;
}

int FakeHttpClient::ReleaseHeld() {
  std::vector<ResponseCallback> held;
  std::vector<absl::StatusOr<HttpResponse>> answers;
  {
    absl::MutexLock lock(&mu_);
    holding_ = false;
    held.swap(held_);
    for (size_t i = 0; i < held.size(); ++i) {
      if (script_.empty()) {
        answers.push_back(absl::UnavailableError("FakeHttpClient: no scripted answer"));
      } else {
        answers.push_back(std::move(script_.front()));
        script_.pop_front();
      }
    }
  }
  for (size_t i = 0; i < held.size(); ++i) held[i](std::move(answers[i]));
  return static_cast<int>(held.size());
}

HttpClientStats FakeHttpClient::stats() const {
  HttpClientStats stats;
  stats.requests = request_count();
  stats.attempts = stats.requests;
  return stats;
}

}  // namespace net::http
