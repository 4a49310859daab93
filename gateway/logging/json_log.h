// Structured logs: one JSON object per line on stderr, written whole so lines from many threads
// never interleave. Callers pass only values that are safe to log (see masking.h).
#ifndef GATEWAY_LOGGING_JSON_LOG_H_
#define GATEWAY_LOGGING_JSON_LOG_H_

#include <boost/json/object.hpp>

#include "absl/strings/string_view.h"

namespace gateway {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// "debug", "info", "warning", "error"; false for anything else.
bool ParseLogLevel(absl::string_view text, LogLevel* level);
void SetMinLogLevel(LogLevel level);

// Writes {"ts": RFC 3339 UTC, "level": ..., "event": event, ...fields} as one line.
void Log(LogLevel level, absl::string_view event, boost::json::object fields = {});

// Where lines go (stderr by default); for tests. `sink` is called with each complete line.
void SetLogSinkForTesting(void (*sink)(absl::string_view line));

}  // namespace gateway

#endif  // GATEWAY_LOGGING_JSON_LOG_H_
