// Resource ids come from callers and are routed on: parsing any bytes must not crash, and an
// id that parses prints back as the same text (so it names one resource only).
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "vocabulary/resource_id.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const absl::string_view kKinds[] = {gateway::kind::kAccount, gateway::kind::kPayout,
                                             gateway::kind::kTransaction, gateway::kind::kRefund,
                                             gateway::kind::kCounterparty};
  const absl::string_view kind = kKinds[data[0] % 5];
  const absl::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  auto id = gateway::ResourceId::Parse(text, kind);
  if (!id.ok()) return 0;
  FUZZ_CHECK(id->provider != payments::v1::PROVIDER_UNSPECIFIED);
  FUZZ_CHECK(id->kind == kind);
  FUZZ_CHECK(!id->native_id.empty());
  FUZZ_CHECK(id->ToString() == text);
  auto again = gateway::ResourceId::Parse(id->ToString(), kind);
  FUZZ_CHECK(again.ok() && again->native_id == id->native_id);
  FUZZ_CHECK(gateway::ProviderFromName(gateway::ProviderName(id->provider)) == id->provider);
  return 0;
}
