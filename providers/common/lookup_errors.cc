#include "providers/common/lookup_errors.h"

#include "absl/strings/cord.h"
#include "vocabulary/outcome_unknown.h"

namespace providers {

absl::Status LookupFailure(const absl::Status& status) {
  if (!net::http::RequestMayHaveBeenSent(status)) return status;
  absl::Status unmarked(status.code(), status.message());
  status.ForEachPayload([&unmarked](absl::string_view type_url, const absl::Cord& payload) {
    // The mark's own payload is recognised through http_types, which owns its name.
    absl::Status probe = absl::UnknownError("");
    probe.SetPayload(type_url, payload);
    if (!net::http::RequestMayHaveBeenSent(probe)) unmarked.SetPayload(type_url, payload);
  });
  return unmarked;
}

}  // namespace providers
