#include "sandbox/common/path_match.h"

#include "absl/strings/str_split.h"

namespace sandbox {

bool MatchPath(absl::string_view pattern, absl::string_view path,
               std::vector<std::string>* captures) {
  const std::vector<absl::string_view> want = absl::StrSplit(pattern, '/');
  const std::vector<absl::string_view> got = absl::StrSplit(path, '/');
  if (want.size() != got.size()) return false;
  std::vector<std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i] == "{}") {
      if (got[i].empty()) return false;
      found.emplace_back(got[i]);
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  if (captures != nullptr) *captures = std::move(found);
  return true;
}

}  // namespace sandbox
