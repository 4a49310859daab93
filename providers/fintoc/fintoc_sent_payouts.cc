#include "providers/fintoc/fintoc_sent_payouts.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "net/http/http_types.h"
#include "providers/common/json_fields.h"
#include "providers/common/native_id.h"
#include "providers/common/provider_replies.h"
#include "providers/fintoc/fintoc_messages.h"
#include "providers/fintoc/fintoc_paging.h"
#include "providers/fintoc/fintoc_provider.h"

namespace providers::fintoc {
namespace {

constexpr ProviderReplies kListReplies{payments::v1::PROVIDER_FINTOC, "Fintoc",
                                       "Fintoc credentials or request signature", &ErrorFromReply};

// The statuses Fintoc's list reference names (docs/providers/fintoc.md#statuses). Any other is
// a reply the gateway cannot classify: the page is refused rather than guessed at.
bool IsDocumentedStatus(absl::string_view status) {
  const std::string lower = absl::AsciiStrToLower(status);
  return lower == "pending" || lower == "succeeded" || lower == "rejected" || lower == "failed" ||
         lower == "returned" || lower == "return_pending" || lower == "reject_failed";
}

// One page of the listing as the API's payouts, or why it cannot be read (UNAVAILABLE: a read,
// it can simply be repeated).
absl::StatusOr<payments::v1::ListPayoutsResponse> ParseSentPage(
    const net::http::HttpResponse& response) {
  auto items = ParseList(response.body);
  if (!items.ok()) return UnreadableReply(kListReplies, "transfer list", items.status());
  payments::v1::ListPayoutsResponse out;
  for (const auto& item : *items) {
    // Fintoc filters by direction; this holds even if it ignored the filter.
    if (StringOr(item, "direction", "outbound") != "outbound") continue;
    auto payout = ParseTransfer(item);
    if (!payout.ok()) return UnreadableReply(kListReplies, "transfer", payout.status());
    if (!IsDocumentedStatus(payout->provider_status())) {
      return UnreadableReply(
          kListReplies, "transfer",
          absl::InvalidArgumentError(absl::StrCat("transfer ", payout->provider_payout_id(),
                                                  " has an undocumented status")));
    }
    *out.add_payouts() = *std::move(payout);
  }
  auto next = NextPageToken(response, NativeId::kFintocTransfer);
  if (!next.ok()) return next.status();
  out.set_next_page_token(*std::move(next));
  return out;
}

}  // namespace

std::string FintocDateTime(absl::Time time, bool round_up) {
  absl::Time whole = absl::FromUnixSeconds(absl::ToUnixSeconds(time));  // floors
  if (round_up && whole < time) whole += absl::Seconds(1);
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", whole, absl::UTCTimeZone());
}

std::string SentTransfersQuery(const TimeWindow& window, int page_size) {
  std::string query = "direction=outbound";
  if (window.from != absl::InfinitePast()) {
    absl::StrAppend(&query, "&since=", FintocDateTime(window.from));
  }
  if (window.to != absl::InfiniteFuture()) {
    // `until` is inclusive, the window's end is not: one transfer dated exactly at `to` may
    // come back, and the core filters it.
    absl::StrAppend(&query, "&until=", FintocDateTime(window.to, /*round_up=*/true));
  }
  absl::StrAppend(&query, "&limit=", std::clamp(page_size, 1, kSentPageMax));
  return query;
}

void FintocProvider::ListSentPayouts(const TimeWindow& window, const PageQuery& page,
                                     const CallContext& context,
                                     Callback<payments::v1::ListPayoutsResponse> done) {
  if (window.to <= window.from) {
    return done(absl::InvalidArgumentError("the reconciliation window is empty (to <= from)"));
  }
  // The page token is checked to be a Fintoc transfer id before it reaches Fintoc.
  auto url = PageUrl(session_, page, "/v2/transfers", SentTransfersQuery(window, page.page_size),
                     NativeId::kFintocTransfer);
  if (!url.ok()) return done(url.status());
  session_.Get(*std::move(url), context.deadline,
               [done = std::move(done)](absl::StatusOr<net::http::HttpResponse> response) mutable {
                 if (!IsSuccess(response)) return done(ReplyError(kListReplies, response));
                 done(ParseSentPage(*response));
               });
}

}  // namespace providers::fintoc
