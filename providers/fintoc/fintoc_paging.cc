#include "providers/fintoc/fintoc_paging.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "vocabulary/error_details.h"
#include "providers/fintoc/fintoc_messages.h"
#include "net/http/url.h"

namespace providers::fintoc {

absl::StatusOr<std::string> PageUrl(const FintocSession& session, const PageQuery& page,
                                    absl::string_view path, absl::string_view first_page_query,
                                    NativeId cursor) {
  std::string url = absl::StrCat(session.Url(path), "?", first_page_query);
  if (page.page_token.empty()) return url;
  if (!IsNativeId(cursor, page.page_token)) {
    return gateway::InvalidField("page_token", "is not a token from a page of this Fintoc list");
  }
  return absl::StrCat(url, "&starting_after=", page.page_token);
}

absl::StatusOr<std::string> NextPageToken(const net::http::HttpResponse& response, NativeId cursor) {
  const std::string next = ParseLinkNext(response.Header("link"));
  if (next.empty()) return std::string();
  auto url = net::http::ParseUrl(next);
  if (url.ok()) {
    const absl::string_view target = url->target;
    const size_t query = target.find('?');
    if (query != absl::string_view::npos) {
      for (absl::string_view pair : absl::StrSplit(target.substr(query + 1), '&')) {
        if (absl::ConsumePrefix(&pair, "starting_after=") && IsNativeId(cursor, pair)) {
          return std::string(pair);
        }
      }
    }
  }
  return absl::UnavailableError(
      "unreadable Fintoc list: its next-page link has no starting_after cursor of this list");
}

}  // namespace providers::fintoc
