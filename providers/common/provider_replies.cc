#include "providers/common/provider_replies.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "vocabulary/error_details.h"

namespace providers {
namespace {

absl::Status WithPayloadsOf(const absl::Status& from, absl::Status to) {
  from.ForEachPayload([&to](absl::string_view type_url, const absl::Cord& payload) {
    to.SetPayload(type_url, payload);
  });
  return to;
}

}  // namespace

bool IsSuccess(const absl::StatusOr<net::http::HttpResponse>& response) {
  return response.ok() && response->status >= 200 && response->status < 300;
}

absl::Status CallerFacing(const ProviderReplies& provider, const absl::Status& status) {
  if (status.code() == absl::StatusCode::kUnauthenticated) {
    return WithPayloadsOf(
        status, absl::UnavailableError(absl::StrCat("the gateway's ", provider.credentials,
                                                    " were refused: ", status.message())));
  }
  if (status.code() == absl::StatusCode::kPermissionDenied) {
    return WithPayloadsOf(status, absl::FailedPreconditionError(status.message()));
  }
  return status;
}

absl::Status ReplyError(const ProviderReplies& provider,
                        const absl::StatusOr<net::http::HttpResponse>& response) {
  if (!response.ok()) return CallerFacing(provider, response.status());
  return CallerFacing(provider, provider.error_from_reply(response->status, response->body));
}

absl::Status UnreadableReply(const ProviderReplies& provider, absl::string_view what,
                             const absl::Status& why) {
  return absl::UnavailableError(
      absl::StrCat("unreadable ", provider.name, " ", what, ": ", why.message()));
}

absl::Status NotKnownTo(absl::string_view field, absl::string_view what) {
  return gateway::InvalidField(field, absl::StrCat("is not a ", what));
}

}  // namespace providers
