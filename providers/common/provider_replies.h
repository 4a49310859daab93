// A provider's replies as the gateway's callers see them. Each adapter describes its provider
// once (a ProviderReplies: its name, what credentials it presents, how it reads an error reply);
// the rules that turn a reply into a caller-facing answer are written here, once for all.
#ifndef PROVIDERS_COMMON_PROVIDER_REPLIES_H_
#define PROVIDERS_COMMON_PROVIDER_REPLIES_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "net/http/http_types.h"
#include "proto/payments/v1/payout_service.pb.h"

namespace providers {

// The provider-specific translation an adapter supplies; everything else is shared.
struct ProviderReplies {
  payments::v1::Provider provider;
  absl::string_view name;         // "Monato": in messages ("Monato answered HTTP 502")
  absl::string_view credentials;  // what the gateway presents: "Monato credentials"
  // The provider's error reply (status and body) as a precise status.
  absl::Status (*error_from_reply)(int http_status, absl::string_view body);
  // Whether a 409 met by a retried attempt of a money-moving call still refuses for sure. A
  // conflict may otherwise be the earlier attempt still running under the same key (see
  // money_moves.h). Null: every conflict the provider answers refuses for sure.
  bool (*definite_conflict)(const absl::Status& refusal) = nullptr;
};

// The provider answered 2xx.
bool IsSuccess(const absl::StatusOr<net::http::HttpResponse>& response);

// The provider refusing the gateway's own credentials is not the caller's fault: it is an
// outage of this gateway's access (UNAVAILABLE rather than UNAUTHENTICATED), and a refused
// permission is a precondition of the gateway's account (FAILED_PRECONDITION). Error details
// (the provider's ErrorInfo reason) are kept so the cause stays visible.
absl::Status CallerFacing(const ProviderReplies& provider, const absl::Status& status);

// A failed call as the caller sees it: the client's error, or the provider's error reply.
absl::Status ReplyError(const ProviderReplies& provider,
                        const absl::StatusOr<net::http::HttpResponse>& response);

// A reply to a read (nothing moved) that cannot be read: UNAVAILABLE, as the read can simply be
// repeated. `what` names it ("account"); the message says "unreadable Monato account: <why>".
absl::Status UnreadableReply(const ProviderReplies& provider, absl::string_view what,
                             const absl::Status& why);

// An id the caller gave that the provider does not know (it answered 404): the caller's
// mistake in `field`, e.g. NotKnownTo("transaction_id", "Monato transaction").
absl::Status NotKnownTo(absl::string_view field, absl::string_view what);

}  // namespace providers

#endif  // PROVIDERS_COMMON_PROVIDER_REPLIES_H_
