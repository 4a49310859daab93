// Route matching for the simulators: "/v1/clients/{}/accounts/{}" matches
// "/v1/clients/abc/accounts/42" and captures {"abc", "42"}. A "{}" matches one non-empty
// path segment; everything else must be equal.
#ifndef SANDBOX_COMMON_PATH_MATCH_H_
#define SANDBOX_COMMON_PATH_MATCH_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace sandbox {

bool MatchPath(absl::string_view pattern, absl::string_view path,
               std::vector<std::string>* captures);

}  // namespace sandbox

#endif  // SANDBOX_COMMON_PATH_MATCH_H_
