#include "providers/fintoc/fintoc_options.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "net/http/url.h"
#include "vocabulary/idempotency_keys.h"

namespace providers::fintoc {

bool IsWordText(absl::string_view text, absl::string_view extra) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [extra](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || absl::StrContains(extra, c);
  });
}

absl::Status ValidateOptions(const FintocOptions& options, bool need_key_path) {
  auto refuse = [](absl::string_view why) {
    return absl::FailedPreconditionError(absl::StrCat("providers.fintoc: ", why));
  };
  if (options.mode != "test" && options.mode != "live") {
    return refuse("mode must be \"test\" or \"live\"");
  }
  const bool test_key = absl::StartsWith(options.secret_key, "sk_test_");
  const bool live_key = absl::StartsWith(options.secret_key, "sk_live_");
  if (!test_key && !live_key) {
    return refuse("the secret key is not a Fintoc secret key (sk_test_... or sk_live_...)");
  }
  // Header injection guard, and the usual trailing newline of a secret file.
  if (!IsWordText(options.secret_key, "_")) {
    return refuse("the secret key has characters other than letters, digits and '_'");
  }
  if (live_key && options.mode == "test") {
    return refuse("a live secret key (sk_live_...) is configured with mode \"test\"");
  }
  if (test_key && options.mode == "live") {
    return refuse("a test secret key (sk_test_...) is configured with mode \"live\"");
  }
  auto url = net::http::ParseUrl(options.base_url);
  if (!url.ok()) return refuse(absl::StrCat("base_url: ", url.status().message()));
  if (absl::StrContains(options.base_url, '?')) return refuse("base_url must have no query");
  if (options.mode == "live" && !url->tls) return refuse("live mode needs an https base_url");
  if (options.max_payout_minor < 1) return refuse("max_payout_minor must be at least 1");
  if (!UuidV5(options.idempotency_namespace, "").ok()) {
    return refuse("idempotency_namespace is not a UUID");
  }
  if (!options.api_version.empty() && !IsWordText(options.api_version, "-.")) {
    return refuse("api_version has characters other than letters, digits, '-' and '.'");
  }
  if (need_key_path && options.jws_private_key_path.empty()) {
    return refuse("jws_private_key_path is not configured (transfers must be signed)");
  }
  return absl::OkStatus();
}

}  // namespace providers::fintoc
