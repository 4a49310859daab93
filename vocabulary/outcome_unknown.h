// The "outcome unknown" marker: an error status that says whether the request may have
// reached the provider. When it may have, the outcome is unknown: never report it as a failure
// that invites a second payout. The HTTP client sets it (net/http/); adapters and the gateway
// core read it. Kept in the namespace it had when it lived in the HTTP client's types.
#ifndef VOCABULARY_OUTCOME_UNKNOWN_H_
#define VOCABULARY_OUTCOME_UNKNOWN_H_

#include "absl/status/status.h"

namespace net::http {

bool RequestMayHaveBeenSent(const absl::Status& status);
absl::Status MarkRequestSent(absl::Status status);

}  // namespace net::http

#endif  // VOCABULARY_OUTCOME_UNKNOWN_H_
