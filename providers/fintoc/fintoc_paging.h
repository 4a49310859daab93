// Fintoc v2 list paging (docs/providers/ids.md): a page token is only the starting_after
// cursor of Fintoc's Link next URL, an id of the list's kind, and the URL of the next page is
// rebuilt from the base URL and the caller's filters, so nothing of a token but one
// well-formed id ever reaches Fintoc.
#ifndef PROVIDERS_FINTOC_FINTOC_PAGING_H_
#define PROVIDERS_FINTOC_FINTOC_PAGING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "net/http/http_types.h"
#include "providers/common/native_id.h"
#include "providers/fintoc/fintoc_session.h"
#include "providers/provider.h"

namespace providers::fintoc {

// The URL of the page `page` asks for: Url(path)?first_page_query, plus
// &starting_after=<token> after the first page. INVALID_ARGUMENT naming page_token when the
// token is not an id of kind `cursor`.
absl::StatusOr<std::string> PageUrl(const FintocSession& session, const PageQuery& page,
                                    absl::string_view path, absl::string_view first_page_query,
                                    NativeId cursor);

// The token of the page after `response`: the starting_after cursor of its Link next URL, ""
// on the last page. UNAVAILABLE (an unreadable reply) when a next link has no cursor of kind
// `cursor`.
absl::StatusOr<std::string> NextPageToken(const net::http::HttpResponse& response, NativeId cursor);

}  // namespace providers::fintoc

#endif  // PROVIDERS_FINTOC_FINTOC_PAGING_H_
