// A counterparty as the gateway shows it once registered with a provider: a gateway id over the
// provider's own, and of the CLABE or card number only the last four digits (the API promises
// no more, proto/payments/v1/account_service.proto).
#ifndef PROVIDERS_COMMON_REGISTERED_COUNTERPARTY_H_
#define PROVIDERS_COMMON_REGISTERED_COUNTERPARTY_H_

#include <string>

#include "absl/strings/string_view.h"
#include "proto/payments/v1/account_service.pb.h"

namespace providers {

// The last four characters of an account number; all of a shorter one.
std::string LastFour(absl::string_view number);

// The registration `native_id` of `provider` for `counterparty`, its number cut to LastFour.
payments::v1::RegisteredCounterparty Registered(payments::v1::Provider provider,
                                                absl::string_view native_id,
                                                payments::v1::Counterparty counterparty,
                                                absl::string_view alias);

}  // namespace providers

#endif  // PROVIDERS_COMMON_REGISTERED_COUNTERPARTY_H_
