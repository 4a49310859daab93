// The account money came into, when a provider's event names it only by number (Monato's
// MONEY_IN says beneficiary_account, a CLABE, and no account id): found in the provider's own
// account list, the list ListAccounts shows, so the id is the one callers know.
#ifndef GATEWAY_WEBHOOKS_RECEIVING_ACCOUNT_H_
#define GATEWAY_WEBHOOKS_RECEIVING_ACCOUNT_H_

#include <string>

#include "absl/time/time.h"
#include "providers/provider.h"

namespace gateway {

// Pages of 100 read at most: an event for an account past them is recorded without one.
inline constexpr int kMaxAccountPagesToSearch = 20;

// The gateway id of the account whose CLABE or account number is `number`, or "" when the list
// (read to its end, or kMaxAccountPagesToSearch pages) holds none; the list's error when a page
// could not be read.
void FindAccountByNumber(providers::Provider* provider, const std::string& number,
                         absl::Time deadline, providers::Callback<std::string> done);

}  // namespace gateway

#endif  // GATEWAY_WEBHOOKS_RECEIVING_ACCOUNT_H_
