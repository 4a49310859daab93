#include "sandbox/monato/monato_time.h"

namespace sandbox {

absl::TimeZone MexicoCityTime() { return absl::FixedTimeZone(-6 * 60 * 60); }

std::string MonatoTimestamp(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S%Ez", time, MexicoCityTime());
}

std::string MonatoNaiveTimestamp(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S", time, MexicoCityTime());
}

std::string MonatoSecondsTimestamp(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", time, MexicoCityTime());
}

std::string MonatoDate(absl::Time time) {
  return absl::FormatTime("%Y%m%d", time, MexicoCityTime());
}

std::string IsoUtcSeconds(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

}  // namespace sandbox
