// Failures of the reads (and registrations) an adapter makes before its money-moving call.
// Nothing moved yet, whatever the HTTP client says about the request reaching the server, so
// such a failure must not carry the "may have been sent" mark: with it, the gateway would keep
// the caller's key as a permanent answer to a call that can simply be repeated.
#ifndef PROVIDERS_COMMON_LOOKUP_ERRORS_H_
#define PROVIDERS_COMMON_LOOKUP_ERRORS_H_

#include "absl/status/status.h"

namespace providers {

// `status` without the net::http::RequestMayHaveBeenSent mark; its code, message and other payloads
// (error details) unchanged.
absl::Status LookupFailure(const absl::Status& status);

}  // namespace providers

#endif  // PROVIDERS_COMMON_LOOKUP_ERRORS_H_
