// Authenticated sending to Fintoc: every request carries the secret key, raw, in Authorization
// (no "Bearer": the form of Fintoc's docs and its Python and Node SDKs) and the pinned
// Fintoc-Version if any; every POST carries a Fintoc-JWS-Signature made fresh for each HTTP
// attempt, over exactly the bytes of that attempt's body.
#ifndef PROVIDERS_FINTOC_FINTOC_SESSION_H_
#define PROVIDERS_FINTOC_FINTOC_SESSION_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "net/http/http_client.h"
#include "providers/fintoc/jws_signer.h"

namespace providers::fintoc {

class FintocSession {
 public:
  // `http` must outlive the session. `base_url` has no trailing '/'.
  FintocSession(net::http::HttpClient* http, std::string base_url, std::string secret_key,
                std::string api_version, std::shared_ptr<JwsSigner> signer);

  // GET an absolute URL built from Url(path) (never a URL from a caller or a reply). Reads are
  // retried by the HTTP client.
  void Get(std::string url, absl::Time deadline, net::http::ResponseCallback done);

  // POST `body` (sent byte for byte) to Url(path), signed afresh on every attempt. With an
  // idempotency key the request is safe to retry (Fintoc answers a repeated key with the first
  // answer); without one it is sent at most once.
  void Post(absl::string_view path, std::string body, std::string idempotency_key,
            absl::Time deadline, net::http::ResponseCallback done);

  std::string Url(absl::string_view path) const;

  // The prepare_attempt hook of a signed request: drops any earlier Fintoc-JWS-Signature and
  // adds a new one over request.body. A signing failure after the first attempt is marked
  // "may have been sent", since an earlier attempt may have reached Fintoc.
  //
  // It runs on the HTTP client's I/O thread (~0.4 ms of RSA per attempt) and takes no lock
  // shared by all requests. If profiling shows it stalling the I/O threads, sign the first
  // attempt on a small worker pool before Send (and only re-sign retries here); JwsSigner is
  // already safe for that.
  // The Authorization key of later requests (secret rotation); the caller validated it.
  void SetSecretKey(std::string secret_key);

  static std::function<absl::Status(net::http::HttpRequest&)> SigningHook(
      std::shared_ptr<JwsSigner> signer);

 private:
  net::http::HttpRequest NewRequest(std::string method, std::string url, absl::Time deadline) const;
  std::string secret_key() const;

  net::http::HttpClient* const http_;
  const std::string base_url_;
  mutable absl::Mutex mu_;
  std::string secret_key_ ABSL_GUARDED_BY(mu_);  // replaced by SetSecretKey on rotation
  const std::string api_version_;
  const std::shared_ptr<JwsSigner> signer_;
};

}  // namespace providers::fintoc

#endif  // PROVIDERS_FINTOC_FINTOC_SESSION_H_
