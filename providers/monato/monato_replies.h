// What Monato's replies mean: the Monato-specific part of the shared reply rules
// (providers/common/provider_replies.h, money_moves.h), used by every file of the adapter.
#ifndef PROVIDERS_MONATO_MONATO_REPLIES_H_
#define PROVIDERS_MONATO_MONATO_REPLIES_H_

#include "absl/status/statusor.h"
#include "net/http/http_types.h"
#include "providers/common/provider_replies.h"
#include "providers/monato/monato_messages.h"

namespace providers::monato {

// Every Monato conflict refuses for sure: Monato replays its first answer to a repeated key,
// and a payout still running under it is operation_in_progress (ABORTED: retry later).
inline constexpr ProviderReplies kMonatoReplies{payments::v1::PROVIDER_MONATO, "Monato",
                                                "Monato credentials", &ErrorFromReply};

// A 404 or 405 to a single-object read: the object is unknown, or the endpoint itself is
// missing (both read endpoints are known only from third-party clients,
// docs/providers/monato.md). Callers with a documented fallback use it instead.
inline bool MaybeMissingEndpoint(const absl::StatusOr<net::http::HttpResponse>& response) {
  return response.ok() && (response->status == 404 || response->status == 405);
}

}  // namespace providers::monato

#endif  // PROVIDERS_MONATO_MONATO_REPLIES_H_
