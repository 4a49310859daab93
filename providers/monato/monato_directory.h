// What a Monato payout needs besides the payout itself, cached: the bank catalogue (Monato
// names banks by UUID, SPEI by Banxico code), the source account's instrument (from the
// documented account list, docs/providers/monato.md), and the destination instrument for a
// CLABE or card, found among the registered ones or registered once (single flight per
// destination). Finding before registering keeps instrument ids, and so money_out bodies,
// identical across gateway restarts: a replay with the same idempotency key must send the
// same body. Every cache expires and is bounded in size.
#ifndef PROVIDERS_MONATO_MONATO_DIRECTORY_H_
#define PROVIDERS_MONATO_MONATO_DIRECTORY_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "proto/payments/v1/common.pb.h"
#include "providers/common/single_flight.h"
#include "providers/monato/expiring_cache.h"
#include "providers/monato/monato_messages.h"
#include "providers/monato/monato_session.h"
#include "providers/provider.h"

namespace providers::monato {

struct MonatoAccountInfo {
  std::string id;
  std::string instrument_id;
  std::string bank_id;
  std::string owner_id;
  std::string client_bank_adapter_id;
  boost::json::object raw;  // the account as Monato answered
};

using BankList = std::vector<MonatoBank>;

struct DirectoryOptions {
  absl::Duration bank_cache_ttl = absl::Hours(1);
  // Accounts and destination instruments: how long one is trusted, and how many are kept.
  absl::Duration entry_ttl = absl::Hours(1);
  size_t max_entries = 10'000;
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

class MonatoDirectory {
 public:
  MonatoDirectory(MonatoSession* session, DirectoryOptions options);

  // The whole bank catalogue (every page), cached for the configured lifetime.
  void Banks(absl::Time deadline, Callback<std::shared_ptr<const BankList>> done);
  // Monato's bank UUID for a 5-digit Banxico code; FAILED_PRECONDITION when Monato lists none.
  void BankIdFor(const std::string& banxico_code, absl::Time deadline, Callback<std::string> done);
  // An account with its instrument and bank ids, cached, else found in Monato's documented
  // account list (GET /v1/clients/{clientId}/accounts, every page). NOT_FOUND when the list
  // does not hold it; FAILED_PRECONDITION naming the endpoint when Monato does not serve it.
  void Account(const std::string& account_id, absl::Time deadline,
               Callback<MonatoAccountInfo> done);
  // The same, always read from the list now (it refreshes the cache).
  void FreshAccount(const std::string& account_id, absl::Time deadline,
                    Callback<MonatoAccountInfo> done);
  // The instrument id to pay `counterparty` (validated), found or registered once.
  void DestinationInstrument(const payments::v1::Counterparty& counterparty,
                             const std::string& source_bank_id, absl::Time deadline,
                             Callback<std::string> done);

  int64_t instruments_registered() const { return instruments_registered_.load(); }
  int64_t bank_catalogue_fetches() const { return bank_fetches_.load(); }
  size_t cached_accounts() const { return accounts_.size(); }
  size_t cached_instruments() const { return instruments_.size(); }

 private:
  void FetchBankPage(int page, std::shared_ptr<BankList> so_far, absl::Time deadline);
  void FetchAccountPage(const std::string& account_id, int page, absl::Time deadline);
  void FindInstrument(const std::string& key, const payments::v1::Counterparty& counterparty,
                      const std::string& source_bank_id, int page, absl::Time deadline);
  void RegisterInstrument(const std::string& key, const payments::v1::Counterparty& counterparty,
                          const std::string& source_bank_id, absl::Time deadline);
  void FinishInstrument(const std::string& key, absl::StatusOr<std::string> result);

  MonatoSession* session_;
  const absl::Duration bank_cache_ttl_;
  const std::function<absl::Time()> now_;
  std::atomic<int64_t> instruments_registered_{0};
  std::atomic<int64_t> bank_fetches_{0};

  absl::Mutex mu_;
  std::shared_ptr<const BankList> banks_ ABSL_GUARDED_BY(mu_);
  absl::Time banks_fetched_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  ExpiringCache<MonatoAccountInfo> accounts_;
  ExpiringCache<std::string> instruments_;  // by destination (number, holder, RFC)

  SingleFlight<std::shared_ptr<const BankList>> bank_flight_;
  SingleFlight<MonatoAccountInfo> account_flight_;
  SingleFlight<std::string> instrument_flight_;
};

}  // namespace providers::monato

#endif  // PROVIDERS_MONATO_MONATO_DIRECTORY_H_
