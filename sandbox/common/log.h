// One JSON object per line on stderr, like the gateway's logs, so a demo can grep the
// sandbox's start-up lines (ports, seeded ids) and its webhook failures.
#ifndef SANDBOX_COMMON_LOG_H_
#define SANDBOX_COMMON_LOG_H_

#include <boost/json.hpp>

#include "absl/strings/string_view.h"

namespace sandbox {

// Adds "ts" (RFC 3339 UTC), "level" and "msg" in front of `fields`.
void LogJson(absl::string_view level, absl::string_view message, boost::json::object fields = {});

}  // namespace sandbox

#endif  // SANDBOX_COMMON_LOG_H_
