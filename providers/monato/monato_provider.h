// The Monato adapter: payments.v1 calls carried out through Monato's Fincore API over the
// shared HTTPS client. It translates (monato_messages) and orchestrates what Monato needs
// first (tokens, banks, instruments); it never decides money semantics beyond the reply:
// a money_out whose reply is lost, 5xx or unreadable is UNKNOWN, never a failure (the shared
// rules, providers/common/money_moves.h; monato_replies.h says what Monato's replies mean).
#ifndef PROVIDERS_MONATO_MONATO_PROVIDER_H_
#define PROVIDERS_MONATO_MONATO_PROVIDER_H_

#include <memory>
#include <string>

#include "net/http/http_client.h"
#include "providers/monato/monato_directory.h"
#include "providers/monato/monato_session.h"
#include "providers/provider.h"

namespace providers::monato {

struct MonatoOptions {
  std::string base_url;  // "https://apicore.stg.finch.lat"
  std::string client_id;
  std::string api_key;
  std::string client_secret;
  // Namespace of the UUID v5 Idempotency-Keys; Monato assigns one per environment.
  std::string idempotency_namespace = "fb9e4ed2-ab8c-4ce3-9bec-4ae7008bfd43";
  int64_t max_payout_minor = 99'999'999'999;  // MXN 999,999,999.99
  absl::Duration bank_cache_ttl = absl::Hours(1);
  // Source accounts and destination instruments: how long one is trusted, how many are kept.
  absl::Duration directory_cache_ttl = absl::Hours(1);
  size_t directory_cache_max_entries = 10'000;
  absl::Duration token_refresh_ahead = absl::Minutes(5);
  // Called after each bearer-token fetch with its outcome (metrics); optional.
  std::function<void(const absl::Status&)> on_token_fetched;
};

class MonatoProvider final : public Provider {
 public:
  // `http` must outlive the provider.
  MonatoProvider(net::http::HttpClient* http, MonatoOptions options);

  payments::v1::Provider id() const override { return payments::v1::PROVIDER_MONATO; }
  const Capabilities& capabilities() const override { return capabilities_; }

  void CreatePayout(const PayoutOrder& order, const CallContext& context,
                    Callback<payments::v1::Payout> done) override;
  void GetPayout(const std::string& native_payout_id, const CallContext& context,
                 Callback<payments::v1::Payout> done) override;
  void ListPayouts(const payments::v1::ListPayoutsRequest& filter, const PageQuery& page,
                   const CallContext& context,
                   Callback<payments::v1::ListPayoutsResponse> done) override;
  void RefundTransaction(const RefundOrder& order, const CallContext& context,
                         Callback<payments::v1::Refund> done) override;
  // monato_lookup.cc: Monato documents no transaction listing, so this is UNIMPLEMENTED.
  void FindPayoutByReference(const PayoutOrder& order, absl::Time sent_after,
                             const CallContext& context,
                             Callback<payments::v1::Payout> done) override;
  // UNIMPLEMENTED: Monato documents no listing (monato_lookup.cc).
  void ListSentPayouts(const TimeWindow& window, const PageQuery& page, const CallContext& context,
                       Callback<payments::v1::ListPayoutsResponse> done) override;
  void ListAccounts(const PageQuery& page, const CallContext& context,
                    Callback<payments::v1::ListAccountsResponse> done) override;
  void GetAccount(const std::string& native_account_id, const CallContext& context,
                  Callback<payments::v1::Account> done) override;
  void CreateAccount(const payments::v1::CreateAccountRequest& request,
                     const std::string& parent_native_id, const CallContext& context,
                     Callback<payments::v1::Account> done) override;
  void ListBanks(const PageQuery& page, const CallContext& context,
                 Callback<payments::v1::ListBanksResponse> done) override;
  void RegisterCounterparty(const payments::v1::RegisterCounterpartyRequest& request,
                            const CallContext& context,
                            Callback<payments::v1::RegisteredCounterparty> done) override;
  void ListCounterparties(const PageQuery& page, const CallContext& context,
                          Callback<payments::v1::ListCounterpartiesResponse> done) override;

  // Registers `url` to receive STATUS_UPDATE and MONEY_IN webhooks with `token` as their
  // bearer (POST /v1/webhooks). Safe to repeat at every start: duplicate deliveries are
  // deduplicated by id_msg.
  void RegisterWebhooks(const std::string& url, const std::string& token, absl::Time deadline,
                        absl::AnyInvocable<void(absl::Status)> done);

  // The Idempotency-Key sent for a caller's key: the same across retries and restarts.
  absl::StatusOr<std::string> ProviderIdempotencyKey(const std::string& caller,
                                                     const std::string& caller_key) const;

  MonatoSession& session() { return session_; }
  MonatoDirectory& directory() { return directory_; }

 private:
  void SendMoneyOut(const PayoutOrder& order, const std::string& source_instrument,
                    const std::string& destination_instrument, const std::string& key,
                    absl::Time deadline, Callback<payments::v1::Payout> done);
  void AccountFromList(const std::string& native_account_id, absl::Time deadline,
                       Callback<payments::v1::Account> done);
  void SendRefund(const RefundOrder& order, const std::string& path, absl::Time deadline,
                  Callback<payments::v1::Refund> done);

  const MonatoOptions options_;
  const Capabilities capabilities_;
  MonatoSession session_;
  MonatoDirectory directory_;
};

}  // namespace providers::monato

#endif  // PROVIDERS_MONATO_MONATO_PROVIDER_H_
