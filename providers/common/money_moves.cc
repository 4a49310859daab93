#include "providers/common/money_moves.h"

namespace providers {

MoneyMoveVerdict JudgeMoneyMoveReply(const ProviderReplies& provider,
                                     const absl::StatusOr<net::http::HttpResponse>& response) {
  using Kind = MoneyMoveVerdict::Kind;
  if (!response.ok()) {
    if (net::http::RequestMayHaveBeenSent(response.status())) {
      return {Kind::kUnknown, absl::OkStatus(), std::string(response.status().message())};
    }
    return {Kind::kRefused, CallerFacing(provider, response.status()), ""};  // never left
  }
  const int status = response->status;
  if (status >= 200 && status < 300) return {Kind::kAnswered, absl::OkStatus(), ""};
  if (status >= 400 && status < 500) {
    absl::Status refused = ReplyError(provider, response);
    if (status == 409 && response->attempts > 1 && provider.definite_conflict != nullptr &&
        !provider.definite_conflict(refused)) {
      return {Kind::kUnknown, absl::OkStatus(),
              absl::StrCat("a retry met a conflict: ", refused.message())};
    }
    return {Kind::kRefused, std::move(refused), ""};
  }
  return {Kind::kUnknown, absl::OkStatus(), absl::StrCat(provider.name, " answered HTTP ", status)};
}

}  // namespace providers
