// A Monato webhook is an unauthenticated POST from the internet until its bearer token is
// checked: the Authorization header and the body are any bytes. Input: the header up to the
// first newline, then the body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "providers/monato/webhook_messages.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const absl::string_view authorization = input.substr(0, newline);
  const absl::string_view body =
      newline == absl::string_view::npos ? absl::string_view() : input.substr(newline + 1);

  static const std::vector<std::string> kTokens = {"whsec-current-0123456789", "whsec-old"};
  const absl::Status verified = providers::monato::VerifyMonatoBearer(kTokens, authorization);
  if (verified.ok()) {
    FUZZ_CHECK(authorization == "Bearer whsec-current-0123456789" ||
               authorization == "Bearer whsec-old");
  }
  FUZZ_CHECK(providers::monato::VerifyMonatoBearer({}, authorization).code() !=
             absl::StatusCode::kOk);

  auto event = providers::monato::ParseMonatoWebhook(body);
  if (event.ok()) {
    FUZZ_CHECK(event->provider == payments::v1::PROVIDER_MONATO);
    FUZZ_CHECK(!event->event_id.empty());
    if (event->kind == providers::WebhookEvent::Kind::kMoneyIn) {
      FUZZ_CHECK(event->amount_minor >= 0);
    }
  }
  return 0;
}
