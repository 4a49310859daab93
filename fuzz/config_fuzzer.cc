// The YAML configuration and its GATEWAY_A__B=value environment overrides: a bad file must be
// refused with a message (absl::Status), never crash the gateway or escape as an exception.
// Input: the YAML up to the first NUL byte, then environment entries, one per line.
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "gateway/config/config.h"
#include "providers/registration/provider_registration.h"

namespace {

// The provider sections and webhook secret keys the gateway binary accepts (Monato's and
// Fintoc's registrations), so that their parsing is fuzzed; no adapter is built here.
const bool kProviderSections = [] {
  for (const auto& [name, id, secrets_key] :
       {std::tuple<const char*, payments::v1::Provider, const char*>{
            "monato", payments::v1::PROVIDER_MONATO, "monato_tokens"},
        {"fintoc", payments::v1::PROVIDER_FINTOC, "fintoc_secrets"}}) {
    providers::ProviderRegistration registration;
    registration.name = name;
    registration.id = id;
    registration.build = [](const providers::ProviderSettings&, const providers::BuildContext&)
        -> absl::StatusOr<providers::BuiltAdapter> { return absl::UnimplementedError("fuzz"); };
    registration.webhook = providers::WebhookRouteSpec{
        secrets_key, [](std::vector<std::string>) { return providers::WebhookVerifier(); }};
    providers::RegisterProvider(std::move(registration));
  }
  return true;
}();

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  const std::string yaml(input.substr(0, nul));
  std::vector<std::string> environment;
  if (nul != absl::string_view::npos) {
    environment = absl::StrSplit(input.substr(nul + 1), '\n');
  }
  auto config = gateway::ParseConfig(yaml, environment);
  if (!config.ok()) FUZZ_CHECK(!config.status().message().empty());
  return 0;
}
