// Monato timestamps come in several shapes (docs/providers/monato.md#time-formats):
//   "2025-03-05 11:16:59.488685-06:00", "2025-03-06 11:16:59.491631" (no offset: Mexico City
//   time, UTC-6), "2025-03-05T10:26:01Z", "2025-04-02", "20250402".
#ifndef PROVIDERS_MONATO_MONATO_TIME_H_
#define PROVIDERS_MONATO_MONATO_TIME_H_

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"

namespace providers::monato {

// nullopt when the text matches none of the shapes (or is "None").
absl::optional<absl::Time> ParseMonatoTime(absl::string_view text);

}  // namespace providers::monato

#endif  // PROVIDERS_MONATO_MONATO_TIME_H_
