// Fintoc v2 list pagination (providers.md §2.7): a bare JSON array, newest first, and an
// RFC 8288 header  Link: <https://host/v2/transfers?limit=2&starting_after=tr_x>; rel="next"
// that is present but empty on the last page. The next URL is absolute and keeps the
// request's other query parameters, because the SDKs follow it as it is.
#ifndef SANDBOX_FINTOC_LINK_PAGINATION_H_
#define SANDBOX_FINTOC_LINK_PAGINATION_H_

#include <string>
#include <vector>

#include "sandbox/fintoc/fintoc_errors.h"
#include "sandbox/http/https_server.h"

namespace sandbox {

struct PageWindow {
  size_t begin = 0;  // index into the newest-first ids
  size_t end = 0;
  bool has_more = false;
};

// `ids_newest_first` are the ids of the filtered list. Reads ?limit= (1..300, default 30) and
// ?starting_after= (an id of the list; the page starts after it).
bool SelectPage(const Request& request, const std::vector<std::string>& ids_newest_first,
                PageWindow* window, FintocError* error);

// The bare array reply with its Link header; `scheme` "https" or "http".
Reply PageReply(const Request& request, const std::string& scheme, std::string json_array,
                const std::vector<std::string>& ids_newest_first, const PageWindow& window);

}  // namespace sandbox

#endif  // SANDBOX_FINTOC_LINK_PAGINATION_H_
