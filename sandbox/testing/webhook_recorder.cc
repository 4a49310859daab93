#include "sandbox/testing/webhook_recorder.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace sandbox {

WebhookRecorder::WebhookRecorder() {
  ServerOptions options;
  options.tls = false;
  options.threads = 1;
  auto server =
      HttpServer::Start(options, [this](const ServerRequest& request, const Responder& responder) {
        {
          absl::MutexLock lock(&mu_);
          requests_.push_back(request);
        }
        responder.Send(ServerReply::Json(200, R"({"received":true})"));
      });
  if (!server.ok()) {
    std::fprintf(stderr, "webhook recorder: %s\n", server.status().ToString().c_str());
    std::abort();
  }
  server_ = *std::move(server);
}

WebhookRecorder::~WebhookRecorder() { server_->Stop(); }

std::string WebhookRecorder::url(const std::string& path) const {
  return absl::StrCat("http://127.0.0.1:", server_->port(), path);
}

std::vector<ServerRequest> WebhookRecorder::WaitFor(size_t count, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto enough = [this, count]()
                    ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return requests_.size() >= count; };
  mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
  return requests_;
}

std::vector<ServerRequest> WebhookRecorder::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

}  // namespace sandbox
