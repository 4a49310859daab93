// Monato's timestamp formats (docs/providers/monato.md#time-formats). Mexico City has been on fixed
// UTC-6 (no daylight saving) since 2022, so a fixed zone is exact for current dates.
#ifndef SANDBOX_MONATO_MONATO_TIME_H_
#define SANDBOX_MONATO_MONATO_TIME_H_

#include <string>

#include "absl/time/time.h"

namespace sandbox {

absl::TimeZone MexicoCityTime();

// "2025-03-05 11:16:59.488685-06:00" (created_at, audit fields, update_at).
std::string MonatoTimestamp(absl::Time time);
// "2025-03-06 11:16:59.491631": Mexico City wall time with NO offset (token expires_at).
std::string MonatoNaiveTimestamp(absl::Time time);
// "2025-04-02 10:14:05" (MONEY_IN transaction_date).
std::string MonatoSecondsTimestamp(absl::Time time);
// "20250306": the Mexico City date, as tracking ids start.
std::string MonatoDate(absl::Time time);
// "2025-03-05T10:26:01Z" (webhook msg_date).
std::string IsoUtcSeconds(absl::Time time);

}  // namespace sandbox

#endif  // SANDBOX_MONATO_MONATO_TIME_H_
