// STP's replies and notifications are bytes from the network (notifications are not even
// signed): every STP parser must refuse garbage without crashing, and what it accepts must be
// safe to use. Input: byte 0 picks the parser, the rest is the body.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "providers/common/json_fields.h"
#include "providers/stp/stp_messages.h"
#include "providers/stp/stp_notifications.h"
#include "providers/stp/stp_original_string.h"
#include "providers/stp/stp_tracking_key.h"

namespace {

bool AllDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const absl::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  using providers::stp::RegistraOutcome;
  switch (data[0] % 5) {
    case 0: {
      auto outcome = providers::stp::ParseRegistraReply(body);
      if (outcome.ok() && outcome->kind == RegistraOutcome::Kind::kRegistered) {
        FUZZ_CHECK(AllDigits(outcome->order_id));
      }
      break;
    }
    case 1: {
      auto payout = providers::stp::ParseStatusQueryReply(body);
      if (payout.ok()) {
        FUZZ_CHECK(providers::stp::IsValidTrackingKey(payout->tracking_key()));
        FUZZ_CHECK(payout->amount().amount_minor() >= 0);
        FUZZ_CHECK(payout->description().size() <= 200);
      }
      break;
    }
    case 2: {
      auto event = providers::stp::ParseStateChange(body);
      if (event.ok()) {
        FUZZ_CHECK(AllDigits(event->provider_payout_id));
        FUZZ_CHECK(!event->event_id.empty());
        FUZZ_CHECK(event->confirm_by_reading);
        FUZZ_CHECK(event->tracking_key.empty() ||
                   providers::stp::IsValidTrackingKey(event->tracking_key));
      }
      break;
    }
    case 3: {
      auto event = providers::stp::ParseDeposit(body);
      if (event.ok()) {
        FUZZ_CHECK(event->amount_minor > 0);
        FUZZ_CHECK(AllDigits(event->receiving_account_number));
        FUZZ_CHECK(!event->event_id.empty());
      }
      break;
    }
    default: {
      // The simulator's path: a registra body back into the signed cadena.
      auto object = providers::ParseJsonObject(body);
      if (!object.ok()) break;
      auto fields = providers::stp::OrderFieldsFromBody(*object);
      if (!fields.ok()) break;
      auto cadena = providers::stp::OriginalString(*fields);
      if (cadena.ok()) {
        size_t bars = 0;
        for (char c : *cadena) bars += c == '|';
        FUZZ_CHECK(bars == 37);  // no value can add a separator
      }
      break;
    }
  }
  return 0;
}
