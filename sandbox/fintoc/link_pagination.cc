#include "sandbox/fintoc/link_pagination.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "sandbox/common/json_util.h"

namespace sandbox {
namespace {

struct PageWindow {
  size_t begin = 0;  // index into the newest-first ids
  size_t end = 0;
  bool has_more = false;
};

constexpr int kDefaultLimit = 30;
constexpr int kMaxLimit = 300;

bool SelectPage(const ServerRequest& request, const std::vector<std::string>& ids_newest_first,
                PageWindow* window, FintocError* error) {
  int limit = kDefaultLimit;
  const std::string limit_text = request.QueryParam("limit");
  if (!limit_text.empty() &&
      (!absl::SimpleAtoi(limit_text, &limit) || limit < 1 || limit > kMaxLimit)) {
    *error = InvalidRequest("invalid_parameter",
                            absl::StrCat("limit must be an integer from 1 to ", kMaxLimit, "."),
                            "limit");
    return false;
  }
  size_t begin = 0;
  const std::string after = request.QueryParam("starting_after");
  if (!after.empty()) {
    auto it = std::find(ids_newest_first.begin(), ids_newest_first.end(), after);
    if (it == ids_newest_first.end()) {
      *error = InvalidRequest("invalid_parameter", "starting_after is not an id of this list.",
                              "starting_after");
      return false;
    }
    begin = static_cast<size_t>(it - ids_newest_first.begin()) + 1;
  }
  window->begin = begin;
  window->end = std::min(ids_newest_first.size(), begin + static_cast<size_t>(limit));
  window->has_more = window->end < ids_newest_first.size();
  return true;
}

ServerReply PageReply(const ServerRequest& request, const std::string& scheme,
                      std::string json_array, const std::vector<std::string>& ids_newest_first,
                      const PageWindow& window) {
  ServerReply reply = ServerReply::Json(200, std::move(json_array));
  std::string link;
  if (window.has_more && window.end > window.begin) {
    std::vector<std::string> params;
    for (absl::string_view pair : absl::StrSplit(request.query, '&', absl::SkipEmpty())) {
      if (pair.substr(0, pair.find('=')) == "starting_after") continue;
      params.emplace_back(pair);  // already URL-encoded as the client sent it
    }
    // Fintoc ids are [A-Za-z0-9_]: no encoding needed.
    params.push_back(absl::StrCat("starting_after=", ids_newest_first[window.end - 1]));
    const std::string host = request.Header("host");
    link = absl::StrCat("<", scheme, "://", host.empty() ? "localhost" : host, request.path, "?",
                        absl::StrJoin(params, "&"), ">; rel=\"next\"");
  }
  reply.headers.emplace_back("Link", link);  // empty on the last page, as Fintoc sends it
  return reply;
}

}  // namespace

ServerReply ListReply(const ServerRequest& request, const std::string& scheme,
                      const std::vector<std::string>& ids_newest_first,
                      const std::function<boost::json::value(const std::string& id)>& item_json) {
  PageWindow window;
  FintocError error;
  if (!SelectPage(request, ids_newest_first, &window, &error)) return FintocErrorReply(error);
  boost::json::array page;
  for (size_t i = window.begin; i < window.end; ++i) page.push_back(item_json(ids_newest_first[i]));
  return PageReply(request, scheme, ToJson(page), ids_newest_first, window);
}

}  // namespace sandbox
