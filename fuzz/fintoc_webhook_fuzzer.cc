// A Fintoc webhook is a POST from the internet until its signature is checked. Input: the
// Fintoc-Signature header up to the first newline, then the body. The body is also verified
// under a correct signature, so the parsing behind the signature check is reached too.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fuzz/fuzz_check.h"
#include "providers/fintoc/webhook_verifier.h"

namespace fintoc = providers::fintoc;

namespace {
void CheckEvent(const absl::StatusOr<providers::WebhookEvent>& event) {
  if (!event.ok()) return;
  FUZZ_CHECK(event->provider == payments::v1::PROVIDER_FINTOC);
  FUZZ_CHECK(!event->event_id.empty());
  if (event->kind == providers::WebhookEvent::Kind::kMoneyIn) FUZZ_CHECK(event->amount_minor >= 0);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const absl::string_view header = input.substr(0, newline);
  const absl::string_view body =
      newline == absl::string_view::npos ? absl::string_view() : input.substr(newline + 1);

  fintoc::FintocWebhookOptions options;
  options.secrets = {"whsec_current", "whsec_previous"};
  const int64_t now_s = 1767225600;  // 2026-01-01T00:00:00Z
  const absl::Time now = absl::FromUnixSeconds(now_s);

  auto forged = fintoc::VerifyFintocWebhook(options, header, body, now);
  CheckEvent(forged);

  const std::string signed_header = absl::StrCat(
      "t=", now_s, ",v1=", fintoc::FintocWebhookSignature("whsec_previous", now_s, body));
  auto genuine = fintoc::VerifyFintocWebhook(options, signed_header, body, now);
  FUZZ_CHECK(genuine.status().code() != absl::StatusCode::kUnauthenticated);
  CheckEvent(genuine);
  // The same signature from another secret, or too old, is refused.
  FUZZ_CHECK(
      fintoc::VerifyFintocWebhook({{"whsec_other"}}, signed_header, body, now).status().code() ==
      absl::StatusCode::kUnauthenticated);
  FUZZ_CHECK(fintoc::VerifyFintocWebhook(options, signed_header, body, now + absl::Seconds(301))
                 .status()
                 .code() == absl::StatusCode::kUnauthenticated);
  return 0;
}
