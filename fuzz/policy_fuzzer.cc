// The caller policies file: a bad file must be refused with a short message (absl::Status),
// never crash the gateway or escape as an exception; what is accepted must be what the checks
// and the store can rely on (patterns of id characters, positive windows up to 31 days,
// non-negative maxima, one-line ASCII callers). Input: the file's text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "gateway/policy/policy_book.h"

namespace {

bool OneLineAscii(absl::string_view text) {
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) return false;
  }
  return true;
}

bool IdCharacters(absl::string_view text) {
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-' || c == '*';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto book = gateway::PolicyBook::FromYaml(text);
  if (!book.ok()) {
    FUZZ_CHECK(book.status().code() == absl::StatusCode::kInvalidArgument);
    FUZZ_CHECK(!book.status().message().empty());
    // Values are quoted cut short: a huge value never comes back whole.
    FUZZ_CHECK(book.status().message().size() <= 1024);
    return 0;
  }
  FUZZ_CHECK((*book)->enabled());
  // A caller the file cannot name: an empty policy, never null.
  auto nobody = (*book)->For(std::string("\n"));
  FUZZ_CHECK(nobody != nullptr && nobody->operations.empty() && nobody->source_accounts.empty());
  const auto all = (*book)->All();
  FUZZ_CHECK(!all.empty());
  for (const auto& policy : all) {
    FUZZ_CHECK(!policy->caller.empty() && OneLineAscii(policy->caller));
    FUZZ_CHECK((*book)->For(policy->caller) == policy);
    FUZZ_CHECK(policy->currency == "MXN");
    FUZZ_CHECK(policy->max_per_payout_minor >= -1);
    for (const std::string& pattern : policy->source_accounts) {
      FUZZ_CHECK(!pattern.empty() && IdCharacters(pattern));
    }
    for (const auto& limit : policy->limits) {
      FUZZ_CHECK(!limit.name.empty() && IdCharacters(limit.name) &&
                 limit.name.find('*') == std::string::npos);
      FUZZ_CHECK(limit.window > absl::ZeroDuration() &&
                 limit.window <= idempotency::kLongestLimitWindow);
      FUZZ_CHECK(limit.max_amount_minor >= 0 || limit.max_count >= 0);
      FUZZ_CHECK(limit.max_amount_minor >= -1 && limit.max_count >= -1);
      FUZZ_CHECK(limit.currency == "MXN");
    }
  }
  return 0;
}
