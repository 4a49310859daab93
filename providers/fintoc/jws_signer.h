// Fintoc's detached JWS request signature (docs/providers/fintoc.md#jws): RS256 over
//   b64url(protected header) + "." + b64url(exact body bytes)
// with the protected header {"alg":"RS256","nonce":<32 lowercase hex>,"ts":<unix s>,
// "crit":["ts","nonce"]}, sent as `Fintoc-JWS-Signature: b64url(protected).b64url(signature)`.
// A signature is single-use and lives two minutes, so every HTTP attempt needs a fresh one.
//
// The private key comes from a PEM file and is re-read when the file changes (Kubernetes
// rotates mounted secrets by swapping the file), checked at most once per interval. Signing
// takes no lock shared with other signers: each call copies a reference-counted snapshot of
// the key (a reader lock held for a pointer copy) and signs with its own EVP_MD_CTX.
#ifndef PROVIDERS_FINTOC_JWS_SIGNER_H_
#define PROVIDERS_FINTOC_JWS_SIGNER_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "providers/common/file_stamp.h"

namespace providers::fintoc {

inline constexpr absl::string_view kJwsHeaderName = "Fintoc-JWS-Signature";

// 16 random bytes for a nonce. The default draws them from OpenSSL's CSPRNG.
using NonceSource = std::function<absl::StatusOr<std::array<unsigned char, 16>>()>;
using Clock = std::function<absl::Time()>;

struct JwsSignerOptions {
  // PEM file holding the RSA private key (PKCS#8 or PKCS#1, unencrypted), 2048 bits or more.
  std::string private_key_path;
  // How often, at most, the file is checked for a change (one stat() call).
  absl::Duration reload_check_interval = absl::Seconds(1);
  // Time of the "ts" member and of reload checks. Default: absl::Now.
  Clock clock;
  // Default: OpenSSL RAND_bytes.
  NonceSource nonce_source;
  // Called after every reload attempt of a changed file, with OK or why the new file was
  // refused (the previous key stays in use). The status never holds key material.
  std::function<void(const absl::Status&)> on_reload;
  // Called after each Sign() with its outcome (metrics); optional.
  std::function<void(const absl::Status&)> on_signed;
};

// The compact protected header, byte for byte as signed: vector B of
// docs/providers/fintoc.md#test-vectors.
std::string CompactProtectedHeader(absl::string_view nonce_hex, int64_t unix_seconds);

class JwsSigner {
 public:
  // Loads the key now; FAILED_PRECONDITION when the file is missing, unreadable, not an
  // unencrypted RSA key, or shorter than 2048 bits (the message names the path, never the
  // contents).
  static absl::StatusOr<std::unique_ptr<JwsSigner>> Create(JwsSignerOptions options);

  ~JwsSigner();
  JwsSigner(const JwsSigner&) = delete;
  JwsSigner& operator=(const JwsSigner&) = delete;

  // The Fintoc-JWS-Signature header value for `body`, with a new nonce and the current time.
  // Safe to call from any number of threads at once.
  absl::StatusOr<std::string> Sign(absl::string_view body);

  // Signs with exactly these protected-header bytes (tests: reproducing vector A, whose
  // header has Python's spacing). Production code uses Sign().
  absl::StatusOr<std::string> SignWithProtectedHeaderForTesting(absl::string_view protected_header,
                                                                absl::string_view body);

  // OK, or why the last attempt to load a changed key file failed (the old key is in use).
  absl::Status key_status() const;
  // How many times a key was loaded successfully (1 after Create).
  int64_t key_loads() const { return key_loads_.load(std::memory_order_relaxed); }

 private:
  struct Key;
  // What identifies one version of the key file: a changed file changes one of these.
  explicit JwsSigner(JwsSignerOptions options);
  static absl::StatusOr<std::shared_ptr<Key>> LoadKey(const std::string& path);

  std::shared_ptr<const Key> CurrentKey() const;
  void MaybeReload(absl::Time now);
  absl::StatusOr<std::string> SignInput(const Key& key, absl::string_view protected_b64,
                                        absl::string_view body) const;

  const JwsSignerOptions options_;

  // Held only to copy or swap the pointer; signing happens outside it.
  mutable absl::Mutex key_mu_;
  std::shared_ptr<const Key> key_ ABSL_GUARDED_BY(key_mu_);
  absl::Status key_status_ ABSL_GUARDED_BY(key_mu_);

  // Reload checks: the thread that moves `next_check_ns_` forward does the stat(); the others
  // go on signing with the current key.
  std::atomic<int64_t> next_check_ns_{0};
  absl::Mutex reload_mu_;
  FileStamp last_seen_ ABSL_GUARDED_BY(reload_mu_);
  std::atomic<int64_t> key_loads_{0};
};

}  // namespace providers::fintoc

#endif  // PROVIDERS_FINTOC_JWS_SIGNER_H_
