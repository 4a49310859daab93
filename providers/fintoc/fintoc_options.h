// Configuration of the Fintoc adapter, and the checks that refuse to start with a dangerous one
// (a live key in test mode, a test key in live mode, a secret that could inject headers).
#ifndef PROVIDERS_FINTOC_FINTOC_OPTIONS_H_
#define PROVIDERS_FINTOC_FINTOC_OPTIONS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace providers::fintoc {

struct FintocOptions {
  std::string base_url = "https://api.fintoc.com";
  // sk_test_... or sk_live_...; it must agree with `mode`. Never logged.
  std::string secret_key;
  // "test" or "live", stated explicitly so a key of the other mode cannot slip in.
  std::string mode;
  // PEM file of the RSA key whose public half is registered with Fintoc; re-read on change.
  std::string jws_private_key_path;
  // How often, at most, the key file is checked for a change.
  absl::Duration jws_key_check_interval = absl::Seconds(1);
  // Called after each attempt to load a changed key file, with OK or why it was refused (the
  // old key stays in use); wire it to the logs. Runs on the signing thread: keep it cheap.
  std::function<void(const absl::Status&)> on_jws_key_reload;
  // Called after each JWS signature with its outcome (metrics); optional.
  std::function<void(const absl::Status&)> on_jws_signed;
  // Namespace of the UUID v5 Idempotency-Keys. Changing it changes every key, so a retry of an
  // earlier payout would no longer be recognized: keep it fixed per environment.
  std::string idempotency_namespace = "17bf388b-208e-4a98-90d8-3a7743052a26";
  int64_t max_payout_minor = 99'999'999'999;  // MXN 999,999,999.99; Fintoc sets no MX maximum
  // Fintoc-Version header (e.g. "2023-11-15"); empty: not sent (the account's default).
  std::string api_version;
};

// The checks Create makes before anything else; messages never contain the secret key.
// FAILED_PRECONDITION when the mode is not "test"/"live", the key is of the other mode (or not
// a Fintoc secret key), live mode is not over https, a limit or the namespace is invalid, or
// (with `need_key_path`) no JWS key file is configured.
absl::Status ValidateOptions(const FintocOptions& options, bool need_key_path = true);

// Letters and digits, plus the characters of `extra`; false for "".
bool IsWordText(absl::string_view text, absl::string_view extra);

}  // namespace providers::fintoc

#endif  // PROVIDERS_FINTOC_FINTOC_OPTIONS_H_
