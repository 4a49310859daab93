#include "providers/fintoc/fintoc_session.h"

#include <algorithm>
#include <atomic>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace providers::fintoc {
namespace {

void RemoveHeader(net::http::Headers& headers, absl::string_view name) {
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [name](const auto& header) {
                                 return absl::EqualsIgnoreCase(header.first, name);
                               }),
                headers.end());
}

}  // namespace

FintocSession::FintocSession(net::http::HttpClient* http, std::string base_url,
                             std::string secret_key, std::string api_version,
                             std::shared_ptr<JwsSigner> signer)
    : http_(http),
      base_url_(std::move(base_url)),
      secret_key_(std::move(secret_key)),
      api_version_(std::move(api_version)),
      signer_(std::move(signer)) {}

std::string FintocSession::Url(absl::string_view path) const {
  return absl::StrCat(base_url_, path);
}

void FintocSession::SetSecretKey(std::string secret_key) {
  absl::MutexLock lock(&mu_);
  secret_key_ = std::move(secret_key);
}

std::string FintocSession::secret_key() const {
  absl::MutexLock lock(&mu_);
  return secret_key_;
}

net::http::HttpRequest FintocSession::NewRequest(std::string method, std::string url,
                                                 absl::Time deadline) const {
  net::http::HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.headers = {{"Accept", "application/json"}, {"Authorization", secret_key()}};
  if (!api_version_.empty()) request.headers.emplace_back("Fintoc-Version", api_version_);
  request.deadline = deadline;
  return request;
}

void FintocSession::Get(std::string url, absl::Time deadline, net::http::ResponseCallback done) {
  net::http::HttpRequest request = NewRequest("GET", std::move(url), deadline);
  request.safe_to_retry = true;
  http_->Send(std::move(request), std::move(done));
}

void FintocSession::Post(absl::string_view path, std::string body, std::string idempotency_key,
                         absl::Time deadline, net::http::ResponseCallback done) {
  net::http::HttpRequest request = NewRequest("POST", Url(path), deadline);
  request.headers.emplace_back("Content-Type", "application/json");
  request.safe_to_retry = !idempotency_key.empty();
  if (!idempotency_key.empty()) {
    request.headers.emplace_back("Idempotency-Key", std::move(idempotency_key));
  }
  request.body = std::move(body);  // serialized once; every attempt signs and sends these bytes
  request.prepare_attempt = SigningHook(signer_);
  http_->Send(std::move(request), std::move(done));
}

std::function<absl::Status(net::http::HttpRequest&)> FintocSession::SigningHook(
    std::shared_ptr<JwsSigner> signer) {
  auto attempts = std::make_shared<std::atomic<int>>(0);
  return [signer = std::move(signer), attempts](net::http::HttpRequest& request) -> absl::Status {
    const int attempt = ++*attempts;
    auto signature = signer->Sign(request.body);
    if (!signature.ok()) {
      absl::Status failed = absl::InternalError(
          absl::StrCat("could not sign the Fintoc request: ", signature.status().message()));
      return attempt > 1 ? net::http::MarkRequestSent(std::move(failed)) : failed;
    }
    RemoveHeader(request.headers, kJwsHeaderName);
    request.headers.emplace_back(std::string(kJwsHeaderName), *std::move(signature));
    return absl::OkStatus();
  };
}

}  // namespace providers::fintoc
