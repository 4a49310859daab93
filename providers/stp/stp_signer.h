// STP's `firma` (docs/providers/stp.md#cadena-original): RSA PKCS#1 v1.5 with SHA-256 over
// the UTF-8 bytes of the cadena original, in standard base64 with padding. PKCS#1 v1.5 is
// deterministic: the same key and text always give the same firma.
//
// The key is a PEM private key, usually passphrase-protected as STP issues them. It comes from
// a file, re-read when the file changes (a rotated secret is swapped in as a new file; the
// old key keeps signing until the new one loads), or from memory (tests, tools). Like
// providers/fintoc/jws_signer, a Sign() copies a reference-counted snapshot of the key under
// a reader lock and signs outside it, so a rotation replaces the key atomically. Key material
// and passphrases never appear in statuses or logs.
#ifndef PROVIDERS_STP_STP_SIGNER_H_
#define PROVIDERS_STP_STP_SIGNER_H_

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

namespace providers::stp {

// STP's demo keys are 1024-bit RSA; anything shorter is refused.
inline constexpr int kMinRsaBits = 1024;

struct StpSignerOptions {
  // Exactly one of these: a PEM file (reloaded on change) or the PEM text itself.
  std::string private_key_path;
  std::string private_key_pem;
  // The key's passphrase; empty for an unencrypted key. An encrypted key with a wrong or
  // missing passphrase is a clear FAILED_PRECONDITION, never a terminal prompt.
  std::string passphrase;
  // How often, at most, the file is checked for a change (one stat() call).
  absl::Duration reload_check_interval = absl::Seconds(1);
  // Time of reload checks. Default: absl::Now.
  std::function<absl::Time()> clock;
  // Called after every reload attempt of a changed file, with OK or why the new file was
  // refused (the previous key stays in use).
  std::function<void(const absl::Status&)> on_reload;
};

class StpSigner {
 public:
  // Loads the key now: FAILED_PRECONDITION when none or both sources are configured, the file
  // is unreadable, the PEM is not a private key (or the passphrase is wrong), the key is not
  // RSA or is shorter than kMinRsaBits. Messages name the path, never the contents.
  static absl::StatusOr<std::unique_ptr<StpSigner>> Create(StpSignerOptions options);

  ~StpSigner();
  StpSigner(const StpSigner&) = delete;
  StpSigner& operator=(const StpSigner&) = delete;

  // The base64 firma of `original_string`. Safe from any number of threads at once.
  absl::StatusOr<std::string> Sign(absl::string_view original_string);

  // OK, or why the last attempt to load a changed key file failed (the old key is in use).
  absl::Status key_status() const;
  // How many times a key was loaded successfully (1 after Create).
  int64_t key_loads() const { return key_loads_.load(std::memory_order_relaxed); }

 private:
  struct Key;
  explicit StpSigner(StpSignerOptions options);
  absl::StatusOr<std::shared_ptr<const Key>> LoadFromFile() const;
  std::shared_ptr<const Key> CurrentKey() const;
  void MaybeReload(absl::Time now);

  const StpSignerOptions options_;
  mutable absl::Mutex key_mu_;  // held only to copy or swap the pointer
  std::shared_ptr<const Key> key_ ABSL_GUARDED_BY(key_mu_);
  absl::Status key_status_ ABSL_GUARDED_BY(key_mu_);
  std::atomic<int64_t> next_check_ns_{0};
  absl::Mutex reload_mu_;
  FileStamp last_seen_ ABSL_GUARDED_BY(reload_mu_);
  std::atomic<int64_t> key_loads_{0};
};

// Verifies a base64 firma of `original_string` with a PEM public key (SubjectPublicKeyInfo) or
// certificate: OK, UNAUTHENTICATED when it does not verify (or is not base64), and
// FAILED_PRECONDITION when the PEM holds no RSA public key. For the simulator and tests.
absl::Status VerifyFirma(absl::string_view public_key_or_certificate_pem,
                         absl::string_view original_string, absl::string_view firma_base64);

}  // namespace providers::stp

#endif  // PROVIDERS_STP_STP_SIGNER_H_
