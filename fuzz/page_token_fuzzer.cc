// Page tokens come from callers: decoding any bytes must not crash, and what decodes must
// survive a re-encode unchanged (so a token the gateway hands out is always accepted back).
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "gateway/core/page_token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);

  auto decoded = gateway::DecodePageToken(input);
  if (decoded.ok()) {
    FUZZ_CHECK(decoded->provider != payments::v1::PROVIDER_UNSPECIFIED);
    auto again = gateway::DecodePageToken(gateway::EncodePageToken(*decoded));
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->provider == decoded->provider);
    FUZZ_CHECK(again->provider_token == decoded->provider_token);
    FUZZ_CHECK(again->read_size == decoded->read_size);
    FUZZ_CHECK(again->skip == decoded->skip);
    FUZZ_CHECK(decoded->read_size >= 0 && decoded->read_size <= gateway::kMaxProviderPageSize);
    FUZZ_CHECK(decoded->skip >= 0 && decoded->skip <= gateway::kMaxProviderPageSize);
  }

  // A provider cursor (at most 128 of [A-Za-z0-9_-]) the gateway encodes decodes back to
  // itself; anything else (a URL, CR/LF, a huge value) never comes back out of a token.
  if (size > 0) {
    gateway::PagePosition position;
    position.provider = data[0] % 2 ? payments::v1::PROVIDER_MONATO : payments::v1::PROVIDER_FINTOC;
    position.provider_token = std::string(input.substr(1));
    bool cursor = position.provider_token.size() <= 128;
    for (unsigned char c : position.provider_token) {
      cursor = cursor && (std::isalnum(c) || c == '_' || c == '-');
    }
    auto round = gateway::DecodePageToken(gateway::EncodePageToken(position));
    FUZZ_CHECK(round.ok() == cursor);
    if (cursor) {
      FUZZ_CHECK(round->provider == position.provider);
      FUZZ_CHECK(round->provider_token == position.provider_token);
    }
  }
  return 0;
}
