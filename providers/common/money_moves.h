// The reply to a call that moves money (a payout, a refund), judged once for every provider.
// A reply that leaves the money's fate open is UNKNOWN, never a failure: a failure invites the
// caller to pay again, while UNKNOWN keeps the caller's key claimed until a retry with the same
// provider key (or the provider's later word) tells what happened.
//   - the request may have reached the provider but no reply came back: UNKNOWN;
//   - 2xx: the provider's answer, read from its JSON body; an unreadable body: UNKNOWN (the
//     provider acted, the gateway cannot tell how);
//   - 4xx: a definite refusal, the provider's error as the caller sees it (ReplyError); except a
//     409 met by a retried attempt, which may be the earlier attempt still running under the
//     same key: UNKNOWN unless the provider says that conflict is definite;
//   - 5xx or any other status: UNKNOWN (it may come after the provider acted);
//   - a request that never left: its error, as nothing happened.
#ifndef PROVIDERS_COMMON_MONEY_MOVES_H_
#define PROVIDERS_COMMON_MONEY_MOVES_H_

#include <string>
#include <utility>

#include <boost/json/object.hpp>
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "net/http/http_types.h"
#include "providers/common/json_fields.h"
#include "providers/common/payout_results.h"
#include "providers/common/provider_replies.h"

namespace providers {

// What a reply to a money-moving call says before its body is read.
struct MoneyMoveVerdict {
  enum class Kind { kAnswered, kRefused, kUnknown };
  Kind kind = Kind::kUnknown;
  absl::Status refusal;     // kRefused: the caller-facing error
  std::string unknown_why;  // kUnknown: why the outcome is open
};

MoneyMoveVerdict JudgeMoneyMoveReply(const ProviderReplies& provider,
                                     const absl::StatusOr<net::http::HttpResponse>& response);

// The outcome of a money-moving call: `read(body)` for a readable 2xx, a refusal, or
// `unknown(why)` (a T that says UNKNOWN). `what` names the reply in the reason of an unreadable
// one ("money_out reply").
template <typename T, typename Read, typename Unknown>
absl::StatusOr<T> MoneyMoveOutcome(const ProviderReplies& provider,
                                   const absl::StatusOr<net::http::HttpResponse>& response,
                                   absl::string_view what, Read read, Unknown unknown) {
  MoneyMoveVerdict verdict = JudgeMoneyMoveReply(provider, response);
  if (verdict.kind == MoneyMoveVerdict::Kind::kRefused) return std::move(verdict.refusal);
  if (verdict.kind == MoneyMoveVerdict::Kind::kUnknown) return unknown(verdict.unknown_why);
  auto body = ParseJsonObject(response->body);
  absl::StatusOr<T> result = body.ok() ? read(*body) : absl::StatusOr<T>(body.status());
  if (!result.ok()) {
    return unknown(absl::StrCat("unreadable ", what, ": ", result.status().message()));
  }
  return result;
}

// A payout's outcome: the provider's payout completed with the caller's order, a refusal, or
// an UNKNOWN payout that `provider_key` resolves.
template <typename Read>
absl::StatusOr<payments::v1::Payout> PayoutOutcome(
    const ProviderReplies& provider, const PayoutOrder& order, const std::string& provider_key,
    const absl::StatusOr<net::http::HttpResponse>& response, absl::string_view what, Read read) {
  auto payout = MoneyMoveOutcome<payments::v1::Payout>(
      provider, response, what, read, [&](absl::string_view why) {
        return UnknownOutcome(provider.provider, order, provider_key, why);
      });
  if (!payout.ok()) return payout;
  return WithOrder(*std::move(payout), order);  // idempotent on an UnknownOutcome
}

}  // namespace providers

#endif  // PROVIDERS_COMMON_MONEY_MOVES_H_
