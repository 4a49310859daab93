#include "providers/monato/monato_time.h"

#include <string>

namespace providers::monato {
namespace {

// Mexico City has had no daylight saving time since 2022: a fixed UTC-6.
const absl::TimeZone& MexicoCity() {
  static const absl::TimeZone zone = absl::FixedTimeZone(-6 * 3600);
  return zone;
}

}  // namespace

absl::optional<absl::Time> ParseMonatoTime(absl::string_view text) {
  if (text.empty() || text == "None") return absl::nullopt;
  std::string value(text);
  for (char& c : value) {
    if (c == 'T') c = ' ';
  }
  absl::Time when;
  std::string error;
  if (!value.empty() && value.back() == 'Z') {  // UTC
    value.pop_back();
    if (absl::ParseTime("%Y-%m-%d %H:%M:%E*S", value, absl::UTCTimeZone(), &when, &error)) {
      return when;
    }
    return absl::nullopt;
  }
  // "20250402": %Y would swallow all eight digits, so give it its dashes.
  if (value.size() == 8 && value.find_first_not_of("0123456789") == std::string::npos) {
    value = value.substr(0, 4) + "-" + value.substr(4, 2) + "-" + value.substr(6, 2);
  }
  // An explicit offset wins; without one the time is Mexico City's.
  for (const char* format : {"%Y-%m-%d %H:%M:%E*S%Ez", "%Y-%m-%d %H:%M:%E*S", "%Y-%m-%d"}) {
    if (absl::ParseTime(format, value, MexicoCity(), &when, &error)) return when;
  }
  return absl::nullopt;
}

}  // namespace providers::monato
