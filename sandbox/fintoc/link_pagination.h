// Fintoc v2 list pagination (docs/providers/fintoc.md#pagination): a bare JSON array, newest first,
// and an RFC 8288 header  Link: <https://host/v2/transfers?limit=2&starting_after=tr_x>; rel="next"
// that is present but empty on the last page. The next URL is absolute and keeps the
// request's other query parameters, because the SDKs follow it as it is.
#ifndef SANDBOX_FINTOC_LINK_PAGINATION_H_
#define SANDBOX_FINTOC_LINK_PAGINATION_H_

#include <functional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "sandbox/fintoc/fintoc_errors.h"
#include "sandbox/http/http_server.h"

namespace sandbox {

// One page of a list reply. `ids_newest_first` are the ids of the filtered list; ?limit=
// (1..300, default 30) and ?starting_after= (an id of the list; the page starts after it)
// choose the page, `item_json` renders each of its items. A bad limit or an unknown
// starting_after is Fintoc's invalid_request error. `scheme`: "https" or "http" for the Link.
ServerReply ListReply(const ServerRequest& request, const std::string& scheme,
                      const std::vector<std::string>& ids_newest_first,
                      const std::function<boost::json::value(const std::string& id)>& item_json);

}  // namespace sandbox

#endif  // SANDBOX_FINTOC_LINK_PAGINATION_H_
