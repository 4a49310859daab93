#include "sandbox/common/log.h"

#include <cstdio>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace sandbox {

void LogJson(absl::string_view level, absl::string_view message, boost::json::object fields) {
  boost::json::object line;
  line["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  line["level"] = boost::json::string_view(level.data(), level.size());
  line["msg"] = boost::json::string_view(message.data(), message.size());
  for (auto& field : fields) line[field.key()] = std::move(field.value());
  const std::string text = boost::json::serialize(line);
  static absl::Mutex mu(absl::kConstInit);
  absl::MutexLock lock(&mu);
  std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
}

}  // namespace sandbox
