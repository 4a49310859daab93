// The grammars of the provider ids the gateway pastes into provider URLs (paths and query
// values). A caller names a provider object through a gateway id whose tail is the provider's
// own id; that tail reaches a URL only after it is checked here, so no id can carry '/', '?',
// '%', "..", spaces, control or non-ASCII bytes and steer a request, with the gateway's
// credentials, to another endpoint. The formats and their sources: docs/providers/ids.md.
#ifndef PROVIDERS_COMMON_NATIVE_ID_H_
#define PROVIDERS_COMMON_NATIVE_ID_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace providers {

enum class NativeId {
  kMonato,               // every Monato (Fincore) id: a UUID, 8-4-4-4-12 hex digits
  kFintocTransfer,       // "tr_" + letters and digits
  kFintocAccount,        // "acc_" + letters and digits
  kFintocAccountNumber,  // "acno_" + letters and digits
  kFintocAnyAccount,     // an account or an account number
};

// True when `id` has the grammar of `kind`.
bool IsNativeId(NativeId kind, absl::string_view id);

// OK, or INVALID_ARGUMENT naming `field` (google.rpc.BadRequest) and saying what was expected.
// The id itself is never echoed: it is caller input and may hold anything.
absl::Status CheckNativeId(NativeId kind, absl::string_view id, absl::string_view field);

}  // namespace providers

#endif  // PROVIDERS_COMMON_NATIVE_ID_H_
