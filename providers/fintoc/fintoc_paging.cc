#include "providers/fintoc/fintoc_paging.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "absl/strings/str_cat.h"
#include "net/http/url.h"
#include "providers/fintoc/fintoc_messages.h"
#include "vocabulary/error_details.h"

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

absl::StatusOr<std::string> NextPageToken(const net::http::HttpResponse& response,
                                          NativeId cursor) {
  const std::string next = ParseLinkNext(response.Header("link"));
  if (next.empty()) return std::string();
  auto url = net::http::ParseUrl(next);
  // ParseUrl has checked the whole URL; Boost.URL splits the query of its target. The cursor
  // is compared as sent, not decoded: a Fintoc id has nothing to escape.
  if (url.ok()) {
    if (const auto target = boost::urls::parse_origin_form(url->target)) {
      for (const boost::urls::param_pct_view param : target->encoded_params()) {
        const absl::string_view value(param.value.data(), param.value.size());
        if (param.key == "starting_after" && param.has_value && IsNativeId(cursor, value)) {
          return std::string(value);
        }
      }
    }
  }
  return absl::UnavailableError(
      "unreadable Fintoc list: its next-page link has no starting_after cursor of this list");
}

}  // namespace providers::fintoc
