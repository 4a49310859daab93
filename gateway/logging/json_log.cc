#include "gateway/logging/json_log.h"

#include <unistd.h>

#include <atomic>
#include <string>

#include <boost/json/serialize.hpp>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace gateway {
namespace {

std::atomic<int> min_level{static_cast<int>(LogLevel::kInfo)};
std::atomic<void (*)(absl::string_view)> sink{nullptr};

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

}  // namespace

bool ParseLogLevel(absl::string_view text, LogLevel* level) {
  for (LogLevel candidate :
       {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning, LogLevel::kError}) {
    if (text == LevelName(candidate)) {
      *level = candidate;
      return true;
    }
  }
  return false;
}

void SetMinLogLevel(LogLevel level) { min_level.store(static_cast<int>(level)); }

void SetLogSinkForTesting(void (*new_sink)(absl::string_view line)) { sink.store(new_sink); }

void Log(LogLevel level, absl::string_view event, boost::json::object fields) {
  if (static_cast<int>(level) < min_level.load(std::memory_order_relaxed)) return;
  boost::json::object line;
  line.reserve(fields.size() + 3);
  line["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  line["level"] = LevelName(level);
  line["event"] = boost::json::string_view(event.data(), event.size());
  for (auto& field : fields) line[field.key()] = std::move(field.value());
  std::string text = boost::json::serialize(line);
  text.push_back('\n');
  if (auto* test_sink = sink.load()) {
    test_sink(text);
    return;
  }
  // One write(2) per line: atomic with respect to other lines for pipe-sized lines.
  const char* data = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t written = ::write(STDERR_FILENO, data, left);
    if (written <= 0) return;
    data += written;
    left -= static_cast<size_t>(written);
  }
}

}  // namespace gateway
