// Provider URLs reach ParseUrl from configuration and from provider replies (Link headers,
// page tokens), and its host and target are written into an HTTP request line and Host
// header: whatever it accepts must be safe to write there (issue 12: no control characters,
// spaces or non-ASCII in any part).
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "net/http/url.h"

namespace {
bool SafeOnTheWire(absl::string_view text) {
  for (unsigned char c : text) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  auto url = net::http::ParseUrl(input);
  if (!url.ok()) return 0;
  FUZZ_CHECK(!url->host.empty());
  FUZZ_CHECK(url->port >= 1 && url->port <= 65535);
  FUZZ_CHECK(!url->target.empty() && url->target.front() == '/');
  FUZZ_CHECK(url->target.find('#') == std::string::npos);
  FUZZ_CHECK(SafeOnTheWire(url->host));
  FUZZ_CHECK(SafeOnTheWire(url->target));
  (void)url->Origin();
  return 0;
}
